// The .NET client (System.ServiceModel) calling the CoreWCF service: directly, and through the reference
// host's forwarding route.

import t from 'tap';
import { runClient, serviceBehindHost, skipReasons, startService } from './programs.ts';

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

t.test(
  "the .NET client calls the CoreWCF service through the reference host's forwarding route",
  { skip },
  async (t) => {
    const { svc, h } = await serviceBehindHost(t);
    // The messages are addressed (To) to the service and dialled to the host (ClientVia).
    for (const path of ['/echo', '/shared/orders']) {
      const run = await runClient([
        `${svc.base}echo`,
        '--via',
        h.url(path),
        'echo:hello',
        'delay:50',
        'fault:boom',
      ]);
      t.equal(run.code, 0, `${path}: ${run.stderr}`);
      t.match(run.lines, [
        { op: 'open', ok: true },
        { op: 'echo', ok: true, result: 'hello' },
        { op: 'delay', ok: true, result: 'slept 50 ms' },
        { op: 'fault', ok: false, expected: true, error: { type: 'fault', code: 'Sender', reason: 'boom' } },
        { op: 'close', ok: true },
      ]);
    }
    // A paused route answers EndpointUnavailable, which the .NET client raises as EndpointNotFoundException.
    await h.request({ command: 'pause', path: '/echo' });
    const paused = await runClient([`${svc.base}echo`, '--via', h.url('/echo'), 'echo:x'], 60000);
    t.equal(paused.code, 1);
    t.comment(`paused forwarding route, .NET client: ${JSON.stringify(paused.lines[0])}`);
    t.match(paused.lines[0], { op: 'open', ok: false, error: { type: 'EndpointNotFoundException' } });
  },
);
