// A raw TCP exchange: write bytes, collect what comes back and how the connection ended.

import { connect } from 'node:net';
import { FramingDecoder, type FramingRecord } from '../../protocol/index.ts';

export type Exchange = {
  bytes: Buffer;
  records: FramingRecord[];
  // How the server ended it: FIN, reset, or still open when we gave up.
  ended: 'fin' | 'reset' | 'open';
};

// Writes `bytes` (each entry one write) and reads until the server closes or `waitMs` passes.
export const exchange = (port: number, writes: Uint8Array[], waitMs = 1000): Promise<Exchange> =>
  new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const s = connect({ port, host: '127.0.0.1' });
    let ended: Exchange['ended'] = 'open';
    const finish = () => {
      clearTimeout(timer);
      const bytes = Buffer.concat(chunks);
      const records: FramingRecord[] = [];
      try {
        records.push(...new FramingDecoder().push(bytes));
      } catch {
        // records stays what decoded before the error
      }
      resolve({ bytes, records, ended });
    };
    const timer = setTimeout(() => {
      s.destroy();
    }, waitMs);
    s.on('data', (c: Buffer) => chunks.push(c));
    s.on('end', () => {
      ended = 'fin';
      s.end();
    });
    s.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ECONNRESET' || e.code === 'EPIPE') ended = 'reset';
    });
    s.on('close', finish);
    s.on('connect', () => {
      for (const w of writes) s.write(w);
    });
  });
