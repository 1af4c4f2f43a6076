// [MC-NBFSE] session strings: each direction of a binary-session connection keeps its own table. Every
// message starts with a StringTable (MultiByteInt31 size, then Strings) adding strings with the next odd
// ids (1, 3, 5, ...); later records of that message and of every later message may refer to them.

import { Cursor } from './cursor.ts';
import { staticId, staticString } from './dictionary.ts';
import { NbfxError, NbfxErrorCode } from './errors.ts';
import { ByteWriter } from './write.ts';

// Bytes a string costs in a table: its MultiByteInt31 length and its UTF-8.
const cost = (s: string): number => {
  const n = Buffer.byteLength(s, 'utf8');
  return n + (n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : n < 0x10000000 ? 4 : 5);
};

// The strings a peer has sent us, for resolving the ids in its messages.
export class SessionReader {
  readonly #strings: string[] = [];
  #bytes = 0;
  readonly maxBytes: number;

  // maxBytes bounds the whole table (a peer could otherwise grow it without end); WCF's writer stays
  // within its MaxSessionSize, 2048 bytes by default.
  constructor(maxBytes = 1 << 20) {
    this.maxBytes = maxBytes;
  }

  // Strings received so far.
  get size(): number {
    return this.#strings.length;
  }

  // Reads the StringTable at bytes[offset..] and returns the offset of the document after it. The table is
  // parsed whole before any string is kept, so a bad table leaves the session as it was.
  readTable(bytes: Uint8Array, offset = 0): number {
    const c = new Cursor(bytes, offset);
    const size = c.mbint();
    const end = c.pos + size;
    if (end > bytes.length) {
      throw new NbfxError(
        NbfxErrorCode.Truncated,
        `StringTable of ${size} bytes overruns the message`,
        offset,
      );
    }
    const inner = new Cursor(bytes, c.pos, end);
    const added: string[] = [];
    let grow = 0;
    while (!inner.done) {
      const s = inner.string();
      grow += cost(s);
      added.push(s);
    }
    if (this.#bytes + grow > this.maxBytes) {
      throw new NbfxError(
        NbfxErrorCode.SessionQuota,
        `session strings would exceed ${this.maxBytes} bytes`,
        offset,
      );
    }
    this.#bytes += grow;
    for (const s of added) this.#strings.push(s);
    return end;
  }

  // Resolves any DictionaryString id: static for even, this session's for odd.
  readonly resolve = (id: number): string => {
    const s = id % 2 === 0 ? staticString(id) : this.#strings[(id - 1) / 2];
    if (s === undefined) throw new NbfxError(NbfxErrorCode.UnknownDictionaryString, `no string has id ${id}`);
    return s;
  };
}

// The strings we have sent, so later messages can refer to them; new ones wait for the next table.
export class SessionWriter {
  readonly #ids = new Map<string, number>();
  #pending: string[] = [];
  #lastTable: readonly string[] = [];
  #bytes = 0;
  readonly maxBytes: number;

  // maxBytes: WCF's MaxSessionSize default; a WCF reader refuses a session that grows past its own.
  constructor(maxBytes = 2048) {
    this.maxBytes = maxBytes;
  }

  // Strings sent or pending.
  get size(): number {
    return this.#ids.size;
  }

  // The id of a string: static, already in the session, or (with add, while the quota allows) new.
  readonly lookup = (s: string, add: boolean): number | undefined => {
    const st = staticId(s);
    if (st !== undefined) return st;
    const id = this.#ids.get(s);
    if (id !== undefined || !add || s === '') return id;
    const c = cost(s);
    if (this.#bytes + c > this.maxBytes) return undefined;
    this.#bytes += c;
    const next = this.#ids.size * 2 + 1;
    this.#ids.set(s, next);
    this.#pending.push(s);
    return next;
  };

  // Writes the StringTable of the strings added since the last one and marks them sent.
  takeTable(w: ByteWriter): void {
    const body = new ByteWriter();
    for (const s of this.#pending) body.string(s);
    w.mbint(body.length);
    w.bytes(body.finish());
    this.#lastTable = this.#pending;
    this.#pending = [];
  }

  // Marks the strings added since the last table as sent, their table written by someone else (the copy
  // of a message encoded before, protocol/soap/repeat.ts).
  markSent(): void {
    this.#lastTable = this.#pending;
    this.#pending = [];
  }

  // The strings of the last StringTable taken, in order.
  get lastTable(): readonly string[] {
    return this.#lastTable;
  }

  // Forgets the strings added since the last table (their message was never sent).
  dropPending(): void {
    for (const s of this.#pending) {
      this.#ids.delete(s);
      this.#bytes -= cost(s);
    }
    this.#pending = [];
  }
}
