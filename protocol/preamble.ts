// The preamble grammar: which record may come next, and what a finished preamble says.

import { contentTypeOf, knownEncodingFor } from './encodings.ts';
import { FramingError, FramingErrorCode } from './errors.ts';
import { type FramingRecord, Mode } from './records.ts';

// What a client announced in its preamble.
export type Preamble = {
  major: number;
  minor: number;
  mode: number;
  via: string;
  // The known encoding byte, or undefined when the content type came as Extensible Encoding.
  encoding: number | undefined;
  contentType: string;
  upgrades: string[];
};

// The records a duplex (or simplex) client sends, in one write, when it asks for no upgrade.
export const sessionPreamble = (
  via: string,
  contentTypeOrEncoding: string | number,
  mode: number = Mode.Duplex,
): FramingRecord[] => {
  const known =
    typeof contentTypeOrEncoding === 'number'
      ? contentTypeOrEncoding
      : knownEncodingFor(contentTypeOrEncoding);
  const records: FramingRecord[] = [
    { type: 'version', major: 1, minor: 0 },
    { type: 'mode', mode },
    { type: 'via', via },
    known === undefined
      ? { type: 'extensible-encoding', contentType: String(contentTypeOrEncoding) }
      : { type: 'known-encoding', encoding: known },
  ];
  // Singleton-sized sends no PreambleEnd and gets no Ack.
  if (mode !== Mode.SingletonSized) records.push({ type: 'preamble-end' });
  return records;
};

// Where a server-side preamble reader stands after a record.
export type PreambleStep = 'more' | 'encoding' | 'done';

const order = ['version', 'mode', 'via', 'encoding', 'upgrades'] as const;

// Reads a client's preamble record by record, as a .NET server does. Throws UnexpectedRecord
// (a server aborts without a fault) when a record comes out of order.
export class PreambleReader {
  #at = 0;
  #p: Partial<Preamble> & { upgrades: string[] } = { upgrades: [] };
  #done = false;

  // Accepts the next record; 'encoding' once the encoding record is in (where a sharing listener
  // stops reading), 'done' at PreambleEnd (or at the encoding for singleton-sized mode).
  accept(r: FramingRecord): PreambleStep {
    if (this.#done) throw unexpected(r, 'the preamble already ended');
    const want = order[this.#at];
    switch (want) {
      case 'version':
        if (r.type !== 'version') throw unexpected(r, 'Version');
        this.#p.major = r.major;
        this.#p.minor = r.minor;
        break;
      case 'mode':
        if (r.type !== 'mode') throw unexpected(r, 'Mode');
        this.#p.mode = r.mode;
        break;
      case 'via':
        if (r.type !== 'via') throw unexpected(r, 'Via');
        this.#p.via = r.via;
        break;
      case 'encoding':
        if (r.type === 'known-encoding') {
          this.#p.encoding = r.encoding;
          this.#p.contentType = contentTypeOf(r.encoding);
        } else if (r.type === 'extensible-encoding') {
          this.#p.encoding = undefined;
          this.#p.contentType = r.contentType;
        } else {
          throw unexpected(r, 'Known Encoding or Extensible Encoding');
        }
        this.#at++;
        if (this.#p.mode === Mode.SingletonSized) this.#done = true;
        return 'encoding';
      default:
        if (r.type === 'upgrade-request') {
          this.#p.upgrades.push(r.protocol);
          return 'more';
        }
        if (r.type !== 'preamble-end') throw unexpected(r, 'Upgrade Request or Preamble End');
        this.#done = true;
        return 'done';
    }
    this.#at++;
    return 'more';
  }

  // Whether the encoding record has been read.
  get hasEncoding(): boolean {
    return this.#at > 3;
  }

  get done(): boolean {
    return this.#done;
  }

  // What has been read so far; complete once hasEncoding is true.
  get preamble(): Preamble {
    const p = this.#p;
    return {
      major: p.major ?? 0,
      minor: p.minor ?? 0,
      mode: p.mode ?? 0,
      via: p.via ?? '',
      encoding: p.encoding,
      contentType: p.contentType ?? '',
      upgrades: [...p.upgrades],
    };
  }
}

const unexpected = (r: FramingRecord, expected: string): FramingError =>
  new FramingError(FramingErrorCode.UnexpectedRecord, `expected ${expected}, got ${r.type}`);
