// Reads a history.ndjson back into a History (for `report` and `compare`), tolerating a torn last
// line from a run that was killed mid-write.

import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { HISTORY_VERSION, type History, type HistoryEvent, type MetaEvent } from '../../model/history.ts';
import { upgradeEvent } from './upgrade.ts';
import { HistoryReadError } from '../errors.ts';
export { HistoryReadError } from '../errors.ts';

export const readHistory = async (file: string): Promise<History> => {
  const events: HistoryEvent[] = [];
  let meta: MetaEvent | undefined;
  let lineNo = 0;
  let pendingError: string | undefined;
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const line of lines) {
    lineNo++;
    if (line.trim() === '') continue;
    if (pendingError !== undefined) throw new HistoryReadError(pendingError);
    let e: HistoryEvent;
    try {
      e = JSON.parse(line) as HistoryEvent;
    } catch {
      // Only the last line may be torn; anything earlier is a damaged file.
      pendingError = `${file}:${lineNo}: not a JSON event`;
      continue;
    }
    if (e.kind === 'meta') {
      meta = e;
      if (meta.version > HISTORY_VERSION)
        throw new HistoryReadError(
          `${file}: history version ${meta.version} is newer than this nettcp-chaos reads (${HISTORY_VERSION})`,
        );
    }
    if (e.kind === 'op' && e.type === 'ok') continue;
    events.push(...(meta === undefined ? [e] : upgradeEvent(meta, e)));
  }
  if (meta === undefined) throw new HistoryReadError(`${file}: no meta event; not a nettcp-chaos history`);
  return { meta, events };
};
