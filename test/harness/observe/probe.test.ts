import t from 'tap';
import { resolveNetTcpUrl } from '../../../clients/nettcp/index.ts';
import { probeMessagesFor, probeOnce } from '../../../harness/observe/probe.ts';
import { loadSuiteText } from '../../../harness/suite/load.ts';
import type { LoadSpec } from '../../../harness/suite/schema.ts';
import { OPS_CONTENT_TYPE } from '../../../protocol/index.ts';
import { withHost } from '../../host/helpers/host.ts';
import { startStandIn } from '../../interop/stand-in.ts';

// Loads as a suite gives them (defaults filled in by the schema).
const loadsOf = (...loads: string[]): Extract<LoadSpec, { client: 'nettcp' }>[] => {
  const r = loadSuiteText(
    `name: t\ntarget: { command: [x, "{port}"], port: auto }\nload:\n${loads.map((l) => `  - ${l}\n`).join('')}`,
    't.yaml',
  );
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.loaded.suite.load.flatMap((l) => (l.client === 'nettcp' ? [l] : []));
};

const load = (name: string, via: string, session: string) =>
  `{ name: ${name}, via: ${via}, model: constant-sessions, sessions: 1, duration: 1s, session: ${session} }`;
const SOAP_ECHO =
  '{ payload: 32, soap: { operation: Echo, contract: IInteropService, params: { text: "{payload}" } } }';

t.test('the probe speaks what the load on its via speaks, else the first load', async (t) => {
  const loads = loadsOf(load('ops', '/a', '{ calls: 1 }'), load('soap', '/b', SOAP_ECHO));
  t.equal(probeMessagesFor(loads, '/b')!('net.tcp://h:1/b').encoding, 0x08, 'the SOAP load of /b');
  t.equal(
    probeMessagesFor(loads, '/a')!('net.tcp://h:1/a').encoding,
    OPS_CONTENT_TYPE,
    'the op framing load of /a',
  );
  t.equal(
    probeMessagesFor(loads, '/c')!('net.tcp://h:1/c').encoding,
    OPS_CONTENT_TYPE,
    'no load on /c: the first',
  );
  t.equal(probeMessagesFor([], '/c'), undefined);
});

t.test(
  'probe calls on a host worker: SOAP for a SOAP load, the op framing for an op framing load',
  async (t) => {
    const h = await withHost(t, { services: [{ path: '/svc', activation: { mode: 'startup' } }] });
    const target = await resolveNetTcpUrl(h.url('/svc'));
    const base = { timeoutMs: 5000, calls: 2, allowRemote: false };
    const soap = loadsOf(load('soap', '/svc', SOAP_ECHO));
    t.match(await probeOnce(target, { ...base, messages: probeMessagesFor(soap, '/svc') }), { ok: true });
    const ops = loadsOf(load('ops', '/svc', '{ calls: 1 }'));
    t.match(await probeOnce(target, { ...base, messages: probeMessagesFor(ops, '/svc') }), { ok: true });
    // A SOAP call the service faults fails the probe as a reply fault; the listener did answer.
    const failing = loadsOf(
      load('f', '/svc', '{ soap: { operation: Fault, contract: IInteropService, params: { reason: no } } }'),
    );
    t.match(await probeOnce(target, { ...base, messages: probeMessagesFor(failing, '/svc') }), {
      ok: false,
      failure: { kind: 'reply-fault', stage: 'call', fault: 'Sender', message: 'no' },
    });
    // Without messages: op framing echoes on the binary session, which the worker reads as SOAP and aborts.
    t.match(await probeOnce(target, base), { ok: false, failure: { stage: 'call' } });
  },
);

t.test('probe calls on the SOAP stand-in with its load SOAP call', async (t) => {
  const svc = await startStandIn();
  t.teardown(svc.stop);
  const target = await resolveNetTcpUrl(`${svc.base}echo`);
  const soap = loadsOf(load('soap', '/echo', SOAP_ECHO));
  t.match(
    await probeOnce(target, {
      timeoutMs: 5000,
      calls: 3,
      allowRemote: false,
      messages: probeMessagesFor(soap, '/echo'),
    }),
    { ok: true },
  );
});
