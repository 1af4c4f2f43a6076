// Each fault of a run as its report shows it: its plug-in's `present` hook over its record (notes and
// errors) and the history, or the generic view where the kind has none or the hook fails. Computed when
// the run is judged, and carried in the RunResult for reports, as verdicts carry their views.

import { FAULTS } from '../../faults/index.ts';
import type { AnyFault } from '../../faults/types.ts';
import { type FaultView, genericFaultView } from '../../model/fault-view.ts';
import type { History } from '../../model/history.ts';
import { timeline } from '../../model/timeline.ts';

// The views of a history's faults, by fault id.
export const presentFaults = (
  h: History,
  registry: ReadonlyMap<string, AnyFault> = FAULTS,
): Record<string, FaultView> =>
  Object.fromEntries(
    timeline(h).faultRecords.map((r) => {
      const fault = registry.get(r.kind);
      if (fault?.present === undefined) return [r.id, genericFaultView(r)];
      try {
        return [r.id, fault.present(r, h)];
      } catch (e) {
        // A hook that trips on an odd record still leaves the record readable.
        const g = genericFaultView(r);
        return [
          r.id,
          { ...g, sentences: [...g.sentences, `(Its own account failed: ${(e as Error).message}.)`] },
        ];
      }
    }),
  );
