import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { proc } from '../../../../harness/observe/observers/proc.ts';
import type { RunningTarget } from '../../../../harness/target/types.ts';
import type { TargetSample } from '../../../../model/history.ts';

t.test('reads the target’s processes, and each fd’s target on detailed readings only', async (t) => {
  const file = join(tmpdir(), `proc-observer-${process.pid}.log`);
  const handle = await open(file, 'w');
  t.teardown(() => handle.close());
  const target = {
    kind: 'command',
    pid: process.pid,
    running: () => true,
    role: () => 'process',
  } as unknown as RunningTarget;
  const samples: TargetSample[] = [];
  const session = proc.start(proc.schema.parse({}), {
    target,
    allowRemote: false,
    intervalMs: 500,
    now: () => 1,
    record: (e) => samples.push(e as TargetSample),
  });
  await session.read({ detail: true });
  await session.read({ detail: false });
  const [detailed, plain] = samples.map((s) => s.processes.find((p) => p.pid === process.pid)!);
  t.equal(detailed!.fdTargets?.[file], 1, 'the open file is named');
  t.ok((detailed!.threads ?? 0) >= 1);
  t.equal(plain!.fdTargets, undefined);
  t.ok(plain!.fds.file >= 1);
});

t.test('a remote target is refused, naming what observes one', async (t) => {
  t.match(proc.checkTarget(proc.schema.parse({}), 'remote'), [/observe\.prometheus/]);
  t.same(proc.checkTarget(proc.schema.parse({}), 'host'), []);
});
