// The target's readings as the process checks use them: every target sample in order, the warm
// baseline (the last readings before load), and the final reading after settle.

import type { History, TargetSample } from '../../model/history.ts';
import { timeline } from '../../model/timeline.ts';

export type Readings = {
  samples: TargetSample[];
  // Readings taken before load began (the baseline phase's).
  before: TargetSample[];
  // Readings taken while load ran.
  during: TargetSample[];
  // Readings from the settle on (the final one last).
  after: TargetSample[];
  // The first reading at or after the final phase began.
  final: TargetSample | undefined;
};

export const targetReadings = (h: History): Readings => {
  const tl = timeline(h);
  const samples = h.events.filter(
    (e): e is TargetSample => e.kind === 'sample' && e.source === 'target' && e.processes.length > 0,
  );
  const loadAt = tl.load?.from;
  const loadTo = tl.load?.to;
  const settleAt = tl.phases.settle ?? tl.phases.final;
  const finalAt = tl.phases.final;
  return {
    samples,
    before: loadAt === undefined ? [] : samples.filter((s) => s.t <= loadAt),
    during:
      loadAt === undefined || loadTo === undefined
        ? []
        : samples.filter((s) => s.t > loadAt && s.t <= loadTo),
    after: settleAt === undefined ? [] : samples.filter((s) => s.t >= settleAt),
    final: finalAt === undefined ? undefined : samples.find((s) => s.t >= finalAt),
  };
};
