import t from 'tap';
import { openSession, parseNetTcpUrl, sameTimeouts } from '../../clients/nettcp/index.ts';
import { network, type NetworkSpec } from '../../faults/network.ts';
import { NetworkProxyError } from '../../faults/network/types.ts';
import type { FaultContext } from '../../faults/types.ts';
import { formatProblem, loadSuiteText } from '../../harness/suite/load.ts';
import { startEchoEndpoint } from '../../host/echo-endpoint.ts';
import { startProxy } from './network-helpers.ts';

const suite = (faults: string, via = '/svc') => `
name: n
target: { command: [node, server.js, '{port}'], port: auto }
load:
  - { name: steady, via: ${via}, model: constant-arrival-rate, rate: 10, duration: 2s }
faults:
${faults}
`;

const problems = (text: string): string[] => {
  const r = loadSuiteText(text, 'x.yaml');
  return r.ok ? [] : r.problems.map(formatProblem);
};

t.test('a network fault takes Toxiproxy attributes, with its defaults', async (t) => {
  const r = loadSuiteText(
    suite('  - { kind: network, at: 1s, duration: 2s, toxic: latency, latency: 100 }'),
    'x.yaml',
  );
  t.ok(r.ok);
  if (!r.ok) return;
  const f = r.loaded.suite.faults[0]!;
  t.match(f, { kind: 'network', at: 1000, duration: 2000, toxic: 'latency', latency: 100 });
  t.match(f, { stream: 'downstream', toxicity: 1 });
  t.equal(network.describe(f as NetworkSpec), 'latency latency=100 downstream');
  t.equal(
    network.describe(
      network.schema.parse({
        kind: 'network',
        at: '0s',
        duration: '1s',
        toxic: 'slicer',
        average_size: 10,
        stream: 'upstream',
        toxicity: 0.25,
      }),
    ),
    'slicer average_size=10 upstream on 25% of connections',
  );
});

t.test('a network fault says which attribute is wrong, where, and what the toxic takes', async (t) => {
  t.same(
    problems(
      suite(`  - { kind: network, at: 1s, duration: 1s, toxic: latency, rate: 10 }
  - { kind: network, at: 1s, duration: 1s, toxic: slicer, average_size: 10, size_variation: 12 }
  - { kind: network, at: 1s, duration: 1s, toxic: bandwidth, rate: 0 }
  - { kind: network, at: 1s, toxic: limit_data, bytes: 1.5, stream: up }`),
    ),
    [
      'x.yaml:7:5 faults[0].latency: expected latency (milliseconds added to each chunk of data) on a latency toxic, got nothing (missing)',
      'x.yaml:7:66 faults[0].rate: expected no rate on a latency toxic (it takes latency, jitter), got 10 (number)',
      'x.yaml:8:93 faults[1].size_variation: expected a size_variation smaller than average_size (10), got 12 (number)',
      'x.yaml:9:68 faults[2].rate: expected a whole number from 1 (kilobytes per second let through (1 KB = 1000 bytes)), got 0 (number)',
      'x.yaml:10:5 faults[3].duration: expected a positive duration with a unit such as 250ms or 5s (how long the fault lasts), got nothing (missing)',
      'x.yaml:10:56 faults[3].bytes: expected a whole number (limit_data: bytes let through before the connection is closed), got 1.5 (number)',
      'x.yaml:10:69 faults[3].stream: expected upstream (client to target) or downstream (target to client), got "up" (string)',
    ],
  );
});

t.test('a suite with a network fault refuses absolute vias, which would bypass the proxy', async (t) => {
  t.same(
    problems(
      suite(
        '  - { kind: network, at: 1s, duration: 1s, toxic: timeout, timeout: 0 }',
        'net.tcp://127.0.0.1:9000/svc',
      ),
    ),
    [
      'x.yaml:5:26 load[0].via: expected a relative via such as /orders: network faults act on a proxy in front of the target, and only relative vias go through it; got "net.tcp://127.0.0.1:9000/svc"',
    ],
  );
  t.same(problems(suite('  []', 'net.tcp://127.0.0.1:9000/svc').replace('faults:\n  []', '')), []);
});

// A fault context around a proxy, with the notes it records.
const context = (proxy: FaultContext['network']) => {
  const notes: Record<string, unknown>[] = [];
  const ctx: FaultContext = {
    target: { kind: 'command', pid: process.pid, pids: () => Promise.resolve([process.pid]) },
    random: () => 0.5,
    note: (d) => notes.push(d),
    safeguard: () => () => {},
    signal: new AbortController().signal,
    ...(proxy === undefined ? {} : { network: proxy }),
  };
  return { ctx, notes };
};

t.test('inject puts the toxic on the proxy, heal takes it off and notes what it did', async (t) => {
  const endpoint = await startEchoEndpoint();
  t.teardown(() => endpoint.close());
  const proxy = await startProxy(t, endpoint.port);
  // A net.tcp session through the proxy; its via still names the endpoint.
  const target = { ...parseNetTcpUrl(endpoint.url('/echo')), ip: proxy.host, port: proxy.port };
  const callMs = async () => {
    const o = await openSession(target, sameTimeouts(3000));
    if (!o.ok) throw new Error(`could not open: ${o.failure.kind}`);
    const c = await o.session.call(Buffer.alloc(64, 1));
    await o.session.end();
    if (!c.ok) throw new Error(`call failed: ${c.failure.kind}`);
    return c.ms;
  };
  const before = await callMs();
  const { ctx, notes } = context(proxy);
  const spec = network.schema.parse({
    kind: 'network',
    at: '0s',
    duration: '5s',
    toxic: 'latency',
    latency: 200,
  });
  const active = await network.inject(spec, ctx);
  t.same(JSON.parse(JSON.stringify(active)), active, 'what heal needs is JSON, for the journal');
  const during = await callMs();
  await network.heal(active, ctx);
  const after = await callMs();
  t.ok(during >= 180, `a call took ${during}ms during the fault`);
  t.ok(after < during - 100, `and ${after}ms after its heal (${before}ms before)`);
  t.match(notes[0], { proxy: `127.0.0.1:${proxy.port}`, toxic: 'latency_downstream' });
  t.match(notes[1], { toxic: 'latency_downstream', connections: 1, resets: 0 });
  t.ok((notes[1]!['bytes'] as number) > 64, 'the note counts the bytes it delayed');
  t.same((await proxy.list()).toxics, [], 'nothing left on the proxy');
});

t.test(
  'inject without a proxy fails clearly; heal after the proxy is gone has nothing to undo',
  async (t) => {
    const spec = network.schema.parse({
      kind: 'network',
      at: '0s',
      duration: '1s',
      toxic: 'timeout',
      timeout: 0,
    });
    await t.rejects(
      network.inject(spec, context(undefined).ctx),
      new NetworkProxyError(
        'no network proxy is in front of the target (the run starts one when the suite has a network fault)',
      ),
    );
    const endpoint = await startEchoEndpoint();
    t.teardown(() => endpoint.close());
    const proxy = await startProxy(t, endpoint.port);
    const { ctx, notes } = context(proxy);
    const active = await network.inject(spec, ctx);
    await proxy.stop();
    await network.heal(active, ctx);
    t.match(notes.at(-1), { toxic: 'timeout_downstream', healed: /the proxy that held it is gone/ });
  },
);
