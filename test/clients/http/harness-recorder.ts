// The harness's LoadStats as the engine's recorder, the way the harness will pass it.

import type { HttpLoadRecorder } from '../../../clients/http/index.ts';
import { LoadStats } from '../../../harness/load/stats.ts';

export const harnessRecorder = (name = 'http'): { stats: LoadStats; recorder: HttpLoadRecorder } => {
  const stats = new LoadStats(name);
  return {
    stats,
    recorder: {
      started: () => stats.started(),
      dropped: () => stats.dropped(),
      call: (ok, ms) => stats.call(ok, ms),
      finished: (f, c, u) => stats.finished(f, c, u),
    },
  };
};
