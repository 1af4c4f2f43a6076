// What the sharing listener reads of a new connection: the preamble up to and including the encoding
// record, within receiveTimeout, keeping every byte it read (the worker replays them). Bad input gets
// the fault a .NET listener sends for it, or none (the connection is aborted).

import type { Socket } from 'node:net';
import {
  type FaultName,
  FramingDecoder,
  type FramingRecord,
  isFramingError,
  Mode,
  type Preamble,
  PreambleReader,
} from '../../protocol/index.ts';

export type PreambleRead =
  | { ok: true; preamble: Preamble; bytes: Buffer }
  // fault undefined: abort without one. `gone`: the client closed or reset first.
  | { ok: false; fault: FaultName | undefined; reason: string; gone?: boolean };

// The modes SMSvcHost routes; a worker refuses what it does not serve itself.
const ROUTED_MODES: ReadonlySet<number> = new Set([Mode.Duplex, Mode.SingletonUnsized]);

const isEncoding = (r: FramingRecord): boolean =>
  r.type === 'known-encoding' || r.type === 'extensible-encoding';

// Reads the preamble up to the encoding record. The socket must not be read by anyone else meanwhile;
// it is left paused.
export const readPreamble = (socket: Socket, receiveTimeoutMs: number): Promise<PreambleRead> =>
  new Promise((resolve) => {
    const decoder = new FramingDecoder({ stopAfter: isEncoding });
    const reader = new PreambleReader();
    const chunks: Buffer[] = [];
    let done = false;
    const finish = (r: PreambleRead): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('close', onClose);
      socket.pause();
      resolve(r);
    };
    const onRecord = (r: FramingRecord): PreambleRead | undefined => {
      try {
        if (reader.accept(r) === 'encoding') {
          return { ok: true, preamble: reader.preamble, bytes: Buffer.concat(chunks) };
        }
      } catch (e) {
        if (!isFramingError(e)) throw e;
        return { ok: false, fault: undefined, reason: `${e.code}: ${e.message}` };
      }
      if (r.type === 'mode' && !ROUTED_MODES.has(r.mode)) {
        return { ok: false, fault: 'UnsupportedMode', reason: `mode 0x${r.mode.toString(16)} is not routed` };
      }
      return undefined;
    };
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk);
      const { records, error } = decoder.decode(chunk);
      for (const r of records) {
        const out = onRecord(r);
        if (out !== undefined) return finish(out);
      }
      if (error !== undefined)
        finish({ ok: false, fault: error.fault, reason: `${error.code}: ${error.message}` });
    };
    const onEnd = (): void =>
      finish({ ok: false, fault: undefined, reason: 'the client closed during the preamble', gone: true });
    const onClose = (): void =>
      finish({
        ok: false,
        fault: undefined,
        reason: 'the connection closed during the preamble',
        gone: true,
      });
    const timer = setTimeout(
      () => finish({ ok: false, fault: undefined, reason: 'preamble not received within receiveTimeout' }),
      receiveTimeoutMs,
    );
    socket.on('data', onData);
    socket.once('end', onEnd);
    socket.once('close', onClose);
    socket.resume();
  });
