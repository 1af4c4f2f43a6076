// The real .NET client (System.ServiceModel.NetTcp) calling a WCF service: the SOAP stand-in directly and
// through the reference host's forwarding route (runs wherever the client builds), and the CoreWCF service
// where it can be built.

import t, { type Test } from 'tap';
import { spawnHost } from '../../host/spawn.ts';
import {
  type ClientRun,
  runClient,
  serviceBehindHost,
  skipReason,
  skipReasons,
  startService,
} from './programs.ts';
import { startStandIn } from './stand-in.ts';

const clientSkip = skipReason('client');
if (clientSkip !== undefined) t.comment(`.NET client skipped: ${clientSkip}`);
const coreWcfSkip = skipReasons('service', 'client');
if (coreWcfSkip !== undefined) t.comment(`CoreWCF interop skipped: ${coreWcfSkip}`);

// Open, echo, delay, a fault with its reason, close: what every successful run prints.
const matchGoodRun = (t: Test, run: ClientRun, what: string): void => {
  t.equal(run.code, 0, `${what}: ${run.stderr}`);
  t.match(run.lines, [
    { op: 'open', ok: true },
    { op: 'echo', ok: true, expected: true, result: 'hello' },
    { op: 'delay', ok: true, result: 'slept 50 ms' },
    { op: 'fault', ok: false, expected: true, error: { type: 'fault', code: 'Sender', reason: 'boom' } },
    { op: 'close', ok: true },
  ]);
  t.ok((run.lines[2]!.ms as number) >= 45, `${what}: the delay took its time`);
};

const CALLS = ['echo:hello', 'delay:50', 'fault:boom'];

t.test(
  'the .NET client calls echo, delay and fault on the SOAP stand-in',
  { skip: clientSkip },
  async (t) => {
    const svc = await startStandIn();
    t.teardown(svc.stop);
    matchGoodRun(t, await runClient([`${svc.base}echo`, ...CALLS]), 'direct');
  },
);

t.test(
  'the .NET client dialling an unknown path of the stand-in fails to open',
  { skip: clientSkip },
  async (t) => {
    const svc = await startStandIn();
    t.teardown(svc.stop);
    const run = await runClient([`${svc.base}nowhere`, 'echo:x']);
    t.equal(run.code, 1);
    t.match(run.lines[0], { op: 'open', ok: false, error: { type: 'EndpointNotFoundException' } });
  },
);

t.test(
  "the .NET client calls the stand-in through the reference host's forwarding route, and a paused route refuses it",
  { skip: clientSkip },
  async (t) => {
    const svc = await startStandIn({ anyAddress: true });
    t.teardown(svc.stop);
    const h = await spawnHost({
      services: [
        { path: '/echo', forward: `${svc.base}echo` },
        { path: '/shared/orders', forward: { to: `${svc.base}echo`, via: 'rewrite' } },
      ],
    });
    t.teardown(() => h.stop());
    // Addressed (To) to the service, dialled (via) to the host.
    for (const path of ['/echo', '/shared/orders']) {
      matchGoodRun(t, await runClient([`${svc.base}echo`, '--via', h.url(path), ...CALLS]), path);
    }
    // A paused route answers EndpointUnavailable, which the .NET client raises as EndpointNotFoundException.
    await h.request({ command: 'pause', path: '/echo' });
    const paused = await runClient([`${svc.base}echo`, '--via', h.url('/echo'), 'echo:x']);
    t.equal(paused.code, 1);
    t.match(paused.lines[0], { op: 'open', ok: false, error: { type: 'EndpointNotFoundException' } });
    // An unknown path at the host: EndpointNotFound from the listener itself.
    const unknown = await runClient([`${svc.base}echo`, '--via', h.url('/nowhere'), 'echo:x']);
    t.equal(unknown.code, 1);
    t.match(unknown.lines[0], { op: 'open', ok: false, error: { type: 'EndpointNotFoundException' } });
  },
);

t.test(
  'the .NET client calls echo, delay and fault on the CoreWCF service',
  { skip: coreWcfSkip },
  async (t) => {
    const svc = await startService();
    t.teardown(svc.stop);
    matchGoodRun(t, await runClient([`${svc.base}echo`, ...CALLS]), 'CoreWCF');
  },
);

t.test('the .NET client dialling an unknown CoreWCF path fails to open', { skip: coreWcfSkip }, async (t) => {
  const svc = await startService();
  t.teardown(svc.stop);
  const run = await runClient([`${svc.base}nowhere`, 'echo:x'], 60000);
  t.equal(run.code, 1);
  t.match(run.lines[0], { op: 'open', ok: false, error: { type: 'EndpointNotFoundException' } });
});

t.test(
  "the .NET client calls the CoreWCF service through the reference host's forwarding route",
  { skip: coreWcfSkip },
  async (t) => {
    const { svc, h } = await serviceBehindHost(t);
    for (const path of ['/echo', '/shared/orders']) {
      matchGoodRun(t, await runClient([`${svc.base}echo`, '--via', h.url(path), ...CALLS]), path);
    }
    await h.request({ command: 'pause', path: '/echo' });
    const paused = await runClient([`${svc.base}echo`, '--via', h.url('/echo'), 'echo:x'], 60000);
    t.equal(paused.code, 1);
    t.match(paused.lines[0], { op: 'open', ok: false, error: { type: 'EndpointNotFoundException' } });
  },
);
