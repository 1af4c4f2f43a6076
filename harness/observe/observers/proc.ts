// proc: the target's process tree read from /proc on this machine (processes the harness started):
// fds per process by kind, each socket's TCP state, RSS, CPU and threads, the tree with each process's
// parent and command; on the baseline and final readings each fd's target, so evidence names what grew.

import { bool, record } from '../../../model/fields.ts';
import { TargetSampler } from '../target-sampler.ts';
import type { Observer } from './observer.ts';

const schema = record(
  {
    fdTargets: bool(
      "whether the baseline and final readings list each fd's target, so evidence names what grew (true or false)",
    ).default(true),
  },
  'the /proc observer: { fdTargets }',
);

export const proc = {
  name: 'proc',
  schema,
  byDefault: ['host', 'command'],
  describe: (s) =>
    `/proc of the target's processes${s.fdTargets ? ', fd targets at baseline and final' : ''}`,
  figures: () => ['handles', 'tcp', 'rss', 'cpu', 'threads', 'processes'],
  checkTarget: (_s, target) =>
    target === 'remote'
      ? [
          'proc reads /proc of processes the harness started on this machine; a remote target is observed through an exporter (observe.prometheus)',
        ]
      : [],
  start: (s, ctx) => {
    const t = ctx.target;
    const sampler = new TargetSampler(() => (t.running() ? t.pid : undefined), t.role);
    return {
      read: async ({ detail }) => {
        const processes = await sampler.sample({ targets: detail && s.fdTargets });
        ctx.record({ t: ctx.now(), kind: 'sample', source: 'target', processes });
      },
    };
  },
} satisfies Observer<typeof schema>;
