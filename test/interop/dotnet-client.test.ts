// Baseline: the .NET client (System.ServiceModel) calling the CoreWCF service directly.

import t from 'tap';
import { skipReasons, startService, runClient } from './programs.ts';

const skip = skipReasons('service', 'client');
if (skip !== undefined) t.comment(`interop skipped: ${skip}`);

t.test('the .NET client calls echo, delay and fault on the CoreWCF service', { skip }, async (t) => {
  const svc = await startService();
  t.teardown(svc.stop);
  const run = await runClient([`${svc.base}echo`, 'echo:hello', 'delay:50', 'fault:boom']);
  t.equal(run.code, 0, run.stderr);
  t.match(run.lines, [
    { op: 'open', ok: true },
    { op: 'echo', ok: true, expected: true, result: 'hello' },
    { op: 'delay', ok: true, result: 'slept 50 ms' },
    { op: 'fault', ok: false, expected: true, error: { type: 'fault', code: 'Sender', reason: 'boom' } },
    { op: 'close', ok: true },
  ]);
  t.ok((run.lines[2]!.ms as number) >= 45, 'the delay took its time');
});

t.test('the .NET client dialling an unknown path fails to open', { skip }, async (t) => {
  const svc = await startService();
  t.teardown(svc.stop);
  const run = await runClient([`${svc.base}nowhere`, 'echo:x'], 60000);
  t.equal(run.code, 1);
  t.comment(`CoreWCF, unknown path, .NET client: ${JSON.stringify(run.lines[0])}`);
  t.match(run.lines[0], { op: 'open', ok: false, error: { type: 'EndpointNotFoundException' } });
});
