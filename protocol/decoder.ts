// Streaming MC-NMF decoder: accepts input in any chunking and returns whole records.
// Written by hand because framing is the product's core and must match .NET byte for byte;
// no maintained npm package decodes MC-NMF.

import { FramingError, FramingErrorCode } from './errors.ts';
import { DEFAULT_LIMITS, type Limits } from './limits.ts';
import { MbintReader } from './mbint.ts';
import { type FramingRecord, Mode, RecordType } from './records.ts';

export type DecoderOptions = Partial<Limits> & {
  // Stop after the first record this returns true for; later bytes stay unread (see rest()).
  // Used where the bytes that follow are not framing (after an UpgradeResponse) or belong to someone else.
  stopAfter?: (r: FramingRecord) => boolean;
};

// What the decoder is in the middle of.
const S = {
  Type: 0,
  VersionMajor: 1,
  VersionMinor: 2,
  ModeValue: 3,
  EncodingValue: 4,
  StringSize: 5,
  StringBytes: 6,
  SizedSize: 7,
  SizedBytes: 8,
  ChunkSize: 9,
  ChunkBytes: 10,
  Stopped: 11,
  Failed: 12,
} as const;
type State = (typeof S)[keyof typeof S];

const utf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
const EMPTY = new Uint8Array(0);

export class FramingDecoder {
  readonly limits: Readonly<Limits>;
  #stopAfter: ((r: FramingRecord) => boolean) | undefined;
  #state: State = S.Type;
  #offset = 0;
  #recordStart = 0;
  #type = 0;
  #major = 0;
  #size = new MbintReader();
  // The value being collected: its declared length, and storage once it spans chunks.
  #need = 0;
  #buf: Uint8Array | undefined;
  #filled = 0;
  #chunks: Uint8Array[] = [];
  #unsizedTotal = 0;
  #rest: Uint8Array = EMPTY;
  #error: FramingError | undefined;

  constructor(options: DecoderOptions = {}) {
    const { stopAfter, ...limits } = options;
    this.limits = { ...DEFAULT_LIMITS, ...limits };
    this.#stopAfter = stopAfter;
  }

  // Bytes consumed so far (into whole records or the partial one).
  get offset(): number {
    return this.#offset;
  }

  // Whether the decoder sits between records (nothing partial held).
  get atBoundary(): boolean {
    return this.#state === S.Type || this.#state === S.Stopped;
  }

  // Whether stopAfter matched; further input goes to rest().
  get stopped(): boolean {
    return this.#state === S.Stopped;
  }

  // Bytes received after the stop record, unread.
  rest(): Uint8Array {
    return this.#rest;
  }

  // Decodes a chunk; returns the records it completed. Throws FramingError on bad input (its `records`
  // holds the records this chunk completed before the bad byte), and again on any later push.
  // Envelope payloads may be views into `chunk`: do not reuse the chunk's memory.
  push(chunk: Uint8Array): FramingRecord[] {
    if (this.#state === S.Failed) throw this.#closedError();
    if (this.#state === S.Stopped) {
      this.#rest = this.#rest.length === 0 ? chunk : concat(this.#rest, chunk);
      return [];
    }
    const out: FramingRecord[] = [];
    try {
      this.#decode(chunk, out);
    } catch (e) {
      this.#state = S.Failed;
      this.#error = e as FramingError;
      this.#error.records = out;
      throw e;
    }
    return out;
  }

  // Like push, but returns a framing error instead of throwing it, next to the records the chunk
  // completed before it: what a session handles first, then acts on the error.
  decode(chunk: Uint8Array): { records: FramingRecord[]; error?: FramingError } {
    try {
      return { records: this.push(chunk) };
    } catch (e) {
      if (!(e instanceof FramingError)) throw e;
      return { records: e.records, error: e };
    }
  }

  // Declares the end of input; throws PrematureEof if it came inside a record.
  end(): void {
    if (this.#state === S.Failed) throw this.#closedError();
    if (!this.atBoundary) {
      this.#state = S.Failed;
      this.#error = new FramingError(
        FramingErrorCode.PrematureEof,
        `input ended inside a record that started at byte ${this.#recordStart}`,
        { offset: this.#offset },
      );
      throw this.#error;
    }
  }

  #closedError(): FramingError {
    return new FramingError(FramingErrorCode.DecoderClosed, 'the decoder already failed', {
      cause: this.#error,
      offset: this.#offset,
    });
  }

  #emit(r: FramingRecord, out: FramingRecord[], chunk: Uint8Array, next: number): boolean {
    out.push(r);
    this.#state = S.Type;
    if (this.#stopAfter?.(r)) {
      this.#state = S.Stopped;
      this.#rest = next < chunk.length ? chunk.subarray(next) : EMPTY;
      return true;
    }
    return false;
  }

  #decode(chunk: Uint8Array, out: FramingRecord[]): void {
    const n = chunk.length;
    let i = 0;
    while (i < n) {
      const at = this.#offset;
      switch (this.#state) {
        case S.Type: {
          const t = chunk[i++]!;
          this.#offset++;
          this.#recordStart = at;
          this.#type = t;
          switch (t) {
            case RecordType.Version:
              this.#state = S.VersionMajor;
              break;
            case RecordType.Mode:
              this.#state = S.ModeValue;
              break;
            case RecordType.KnownEncoding:
              this.#state = S.EncodingValue;
              break;
            case RecordType.Via:
            case RecordType.ExtensibleEncoding:
            case RecordType.Fault:
            case RecordType.UpgradeRequest:
              this.#state = S.StringSize;
              break;
            case RecordType.SizedEnvelope:
              this.#state = S.SizedSize;
              break;
            case RecordType.UnsizedEnvelope:
              this.#chunks = [];
              this.#unsizedTotal = 0;
              this.#state = S.ChunkSize;
              break;
            case RecordType.End:
              if (this.#emit({ type: 'end' }, out, chunk, i)) return;
              break;
            case RecordType.UpgradeResponse:
              if (this.#emit({ type: 'upgrade-response' }, out, chunk, i)) return;
              break;
            case RecordType.PreambleAck:
              if (this.#emit({ type: 'preamble-ack' }, out, chunk, i)) return;
              break;
            case RecordType.PreambleEnd:
              if (this.#emit({ type: 'preamble-end' }, out, chunk, i)) return;
              break;
            default:
              throw new FramingError(
                FramingErrorCode.UnknownRecord,
                `byte 0x${t.toString(16).padStart(2, '0')} at offset ${at} starts no MC-NMF record` +
                  (t === 0x48 || t === 0x68 ? ' (it looks like HTTP)' : ''),
                { offset: at, looksLikeHttp: t === 0x48 || t === 0x68 },
              );
          }
          break;
        }
        case S.VersionMajor: {
          const major = chunk[i++]!;
          this.#offset++;
          if (major !== 1) {
            throw new FramingError(
              FramingErrorCode.UnsupportedVersion,
              `framing major version ${major} is not supported (only 1)`,
              { offset: at, fault: 'UnsupportedVersion' },
            );
          }
          this.#major = major;
          this.#state = S.VersionMinor;
          break;
        }
        case S.VersionMinor: {
          const minor = chunk[i++]!;
          this.#offset++;
          if (this.#emit({ type: 'version', major: this.#major, minor }, out, chunk, i)) return;
          break;
        }
        case S.ModeValue: {
          const mode = chunk[i++]!;
          this.#offset++;
          if (mode < Mode.SingletonUnsized || mode > Mode.SingletonSized) {
            throw new FramingError(
              FramingErrorCode.UnsupportedMode,
              `framing mode 0x${mode.toString(16)} is not supported`,
              {
                offset: at,
                fault: 'UnsupportedMode',
              },
            );
          }
          if (this.#emit({ type: 'mode', mode }, out, chunk, i)) return;
          break;
        }
        case S.EncodingValue: {
          const encoding = chunk[i++]!;
          this.#offset++;
          if (this.#emit({ type: 'known-encoding', encoding }, out, chunk, i)) return;
          break;
        }
        case S.StringSize:
        case S.SizedSize:
        case S.ChunkSize: {
          const v = this.#size.feed(chunk[i++]!, at);
          this.#offset++;
          if (v < 0) break;
          if (this.#state === S.StringSize) {
            this.#checkStringSize(v, at);
            this.#startBytes(v, S.StringBytes);
            if (v === 0 && this.#finishString(EMPTY, out, chunk, i)) return;
          } else if (this.#state === S.SizedSize) {
            this.#checkEnvelopeSize(v, at);
            this.#startBytes(v, S.SizedBytes);
            if (v === 0 && this.#emit({ type: 'sized-envelope', payload: EMPTY }, out, chunk, i)) return;
          } else if (v === 0) {
            if (this.#emit({ type: 'unsized-envelope', chunks: this.#chunks }, out, chunk, i)) return;
          } else {
            this.#unsizedTotal += v;
            this.#checkEnvelopeSize(this.#unsizedTotal, at);
            this.#startBytes(v, S.ChunkBytes);
          }
          break;
        }
        case S.StringBytes:
        case S.SizedBytes:
        case S.ChunkBytes: {
          const take = Math.min(this.#need - this.#filled, n - i);
          let bytes: Uint8Array | undefined;
          if (this.#buf === undefined && take === this.#need) {
            // The whole value is inside this chunk: a view, no copy.
            bytes = chunk.subarray(i, i + take);
          } else {
            this.#buf ??= new Uint8Array(this.#need);
            this.#buf.set(chunk.subarray(i, i + take), this.#filled);
            this.#filled += take;
            if (this.#filled === this.#need) bytes = this.#buf;
          }
          i += take;
          this.#offset += take;
          if (bytes !== undefined && this.#valueDone(bytes, out, chunk, i)) return;
          break;
        }
        default:
          // Stopped mid-loop cannot happen: #emit returns true and the loop returns.
          return;
      }
    }
  }

  // Prepares to collect a value of `size` bytes.
  #startBytes(size: number, state: State): void {
    this.#need = size;
    this.#buf = undefined;
    this.#filled = 0;
    this.#state = state;
  }

  // A collected value is complete; returns true when decoding must stop.
  #valueDone(bytes: Uint8Array, out: FramingRecord[], chunk: Uint8Array, next: number): boolean {
    this.#buf = undefined;
    this.#filled = 0;
    if (this.#state === S.StringBytes) return this.#finishString(bytes, out, chunk, next);
    if (this.#state === S.SizedBytes)
      return this.#emit({ type: 'sized-envelope', payload: bytes }, out, chunk, next);
    this.#chunks.push(bytes);
    this.#state = S.ChunkSize;
    return false;
  }

  #checkStringSize(size: number, at: number): void {
    const { maxVia, maxContentType, maxFault } = this.limits;
    if (this.#type === RecordType.Via && size > maxVia) {
      throw new FramingError(
        FramingErrorCode.ViaTooLong,
        `via of ${size} bytes exceeds the limit of ${maxVia}`,
        {
          offset: at,
          fault: 'ViaTooLong',
        },
      );
    }
    if (
      (this.#type === RecordType.ExtensibleEncoding || this.#type === RecordType.UpgradeRequest) &&
      size > maxContentType
    ) {
      throw new FramingError(
        FramingErrorCode.ContentTypeTooLong,
        `${this.#type === RecordType.UpgradeRequest ? 'upgrade protocol' : 'content type'} of ${size} bytes exceeds the limit of ${maxContentType}`,
        { offset: at, fault: 'ContentTypeTooLong' },
      );
    }
    if (this.#type === RecordType.Fault && size > maxFault) {
      throw new FramingError(
        FramingErrorCode.FaultTooLong,
        `fault of ${size} bytes exceeds the limit of ${maxFault}`,
        {
          offset: at,
        },
      );
    }
  }

  #checkEnvelopeSize(size: number, at: number): void {
    if (size > this.limits.maxEnvelope) {
      throw new FramingError(
        FramingErrorCode.EnvelopeTooLarge,
        `envelope of ${size} bytes exceeds the limit of ${this.limits.maxEnvelope}`,
        { offset: at, fault: 'MaxMessageSizeExceededFault' },
      );
    }
  }

  #finishString(bytes: Uint8Array, out: FramingRecord[], chunk: Uint8Array, next: number): boolean {
    const s = utf8.decode(bytes);
    switch (this.#type) {
      case RecordType.Via:
        if (!URL.canParse(s)) {
          throw new FramingError(
            FramingErrorCode.ViaNotUri,
            `via ${JSON.stringify(s)} is not an absolute URI`,
            {
              offset: this.#recordStart,
            },
          );
        }
        return this.#emit({ type: 'via', via: s }, out, chunk, next);
      case RecordType.ExtensibleEncoding:
        return this.#emit({ type: 'extensible-encoding', contentType: s }, out, chunk, next);
      case RecordType.Fault:
        return this.#emit({ type: 'fault', uri: s }, out, chunk, next);
      default:
        return this.#emit({ type: 'upgrade-request', protocol: s }, out, chunk, next);
    }
  }
}

const concat = (a: Uint8Array, b: Uint8Array): Uint8Array => {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
};
