// The soak checks end to end, on a program of our own with one defect each and its clean twin: each
// defect fails exactly the check that should catch it, and the clean twin passes them all.

import t from 'tap';
import { checkPair } from '../../suites/pair.ts';

t.test(
  'memory.noGrowth, processes.noLeak and replies.intact each catch their defect, and only it',
  async (t) => {
    await checkPair(
      t,
      'defective-program',
      {
        clean: [],
        memory: ['memory.noGrowth'],
        processes: ['processes.noLeak'],
        corrupt: ['replies.intact'],
      },
      { file: 'test/fixtures/suites/defective-program.yaml', duration: '5s' },
    );
  },
);
