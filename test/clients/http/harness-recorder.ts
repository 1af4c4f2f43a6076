// The harness's LoadStats as the engine's recorder, the way the harness will pass it. The harness's
// OpFailure kinds do not list HTTP's own (http-status, corrupt) yet, hence the one cast.

import type { HttpLoadRecorder } from '../../../clients/http/index.ts';
import type { OpFailure } from '../../../harness/history/events.ts';
import { LoadStats } from '../../../harness/load/stats.ts';

export const harnessRecorder = (name = 'http'): { stats: LoadStats; recorder: HttpLoadRecorder } => {
  const stats = new LoadStats(name);
  return {
    stats,
    recorder: {
      started: () => stats.started(),
      dropped: () => stats.dropped(),
      call: (ok, ms) => stats.call(ok, ms),
      finished: (f, c, u) => stats.finished(f as OpFailure | undefined, c, u),
    },
  };
};
