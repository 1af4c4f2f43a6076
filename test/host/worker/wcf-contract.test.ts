import fc from 'fast-check';
import t from 'tap';
import {
  addressFilter,
  encodeSoapReply,
  MAX_OPERATION_MS,
  planSoapCall,
  toMatchesVia,
} from '../../../host/worker/wcf-contract.ts';
import {
  createSoapCodec,
  createSoapServerCodec,
  type SoapRequest,
  WCF_FAULT_ACTION,
  WSA10_FAULT_ACTION,
} from '../../../protocol/index.ts';

const VIA = 'net.tcp://127.0.0.1:8123/svc';

// A client and a server codec of one session, and a request as the server reads it.
const pair = (to = VIA) => {
  const client = createSoapCodec({ encoding: 'binary-session', to, contract: 'IInteropService' });
  const server = createSoapServerCodec({ encoding: 'binary-session' });
  const read = (operation: string, params: Record<string, string | number> = {}, action?: string) =>
    server.decodeRequest(
      client.encodeRequest({ operation, params, ...(action === undefined ? {} : { action }) }),
    );
  return { client, server, read };
};

t.test('Echo, Delay, Burn and Fault run as echo, sleep, cpu and fail, and answer as WCF does', async (t) => {
  const { client, server, read } = pair();
  const cases = [
    ['Echo', { text: 'hello' }, 'echo', 0, { kind: 'reply', result: 'hello' }],
    ['Delay', { ms: 50 }, 'sleep', 50, { kind: 'reply', result: 'slept 50 ms' }],
    ['Burn', { ms: 20 }, 'cpu', 20, { kind: 'reply', result: 'burned 20 ms' }],
    [
      'Fault',
      { reason: 'boom' },
      'fail',
      0,
      { kind: 'fault', action: WCF_FAULT_ACTION, code: 'Sender', subcodes: [], reason: 'boom' },
    ],
  ] as const;
  for (const [name, params, op, ms, reply] of cases) {
    const req = read(name, params);
    const plan = planSoapCall(req, addressFilter(VIA));
    t.match(plan, { kind: 'call', name, op, ms, relatesTo: req.messageId }, name);
    if (plan.kind !== 'call') continue;
    const back = client.decodeReply(encodeSoapReply(server, plan));
    t.match(back, { ...reply, relatesTo: req.messageId }, `${name}: its reply, RelatesTo the request`);
    if (name !== 'Fault') t.equal(back.action, `http://tempuri.org/IInteropService/${name}Response`);
  }
});

t.test('an unknown action is ActionNotSupported, answered without running anything', async (t) => {
  const { read } = pair();
  for (const [what, req] of [
    ['an operation the contract lacks', read('Nope')],
    ['another contract', read('Echo', {}, 'http://tempuri.org/IOther/Echo')],
    ['an inherited property name', read('toString')],
  ] as const) {
    t.match(
      planSoapCall(req, addressFilter(VIA)),
      {
        kind: 'refuse',
        fault: { action: WSA10_FAULT_ACTION, code: 'Sender', subcodes: [{ name: 'ActionNotSupported' }] },
      },
      what,
    );
  }
});

t.test('the To must name the dialled endpoint: port and path, host and path case aside', async (t) => {
  for (const to of [VIA, 'net.tcp://localhost:8123/svc', 'net.tcp://127.0.0.1:8123/SVC']) {
    t.match(planSoapCall(pair(to).read('Echo'), addressFilter(VIA)), { kind: 'call' }, `${to} matches`);
  }
  for (const to of [
    'net.tcp://127.0.0.1:9999/svc',
    'net.tcp://127.0.0.1:8123/other',
    'http://127.0.0.1:8123/svc',
  ]) {
    t.match(
      planSoapCall(pair(to).read('Echo'), addressFilter(VIA)),
      { kind: 'refuse', fault: { subcodes: [{ name: 'DestinationUnreachable' }] } },
      `${to} does not`,
    );
  }
  const noTo: SoapRequest = {
    action: undefined,
    messageId: 'm',
    to: undefined,
    replyTo: '',
    body: undefined,
    params: {},
  };
  t.match(planSoapCall(noTo, addressFilter(VIA)), {
    kind: 'refuse',
    fault: { subcodes: [{ name: 'DestinationUnreachable' }] },
  });
  t.equal(toMatchesVia('net.tcp://h/svc', 'net.tcp://other:808/svc'), true, 'port 808 when absent');
  const filter = addressFilter(VIA);
  t.same(
    [VIA, VIA, 'net.tcp://127.0.0.1:1/svc', VIA, undefined].map(filter),
    [true, true, false, true, false],
    'the filter answers each To alike, remembered or not',
  );
});

t.test('toMatchesVia holds for a URL against itself and fails for another port', async (t) => {
  fc.assert(
    fc.property(fc.webUrl(), fc.integer({ min: 1, max: 65535 }), (web, port) => {
      const u = new URL(web);
      u.port = String(port);
      const via = `net.tcp://${u.host}${u.pathname}`;
      const other = `net.tcp://${u.hostname}:${port === 65535 ? 1 : port + 1}${u.pathname}`;
      return toMatchesVia(via, via) && !toMatchesVia(other, via);
    }),
    { numRuns: 300 },
  );
  fc.assert(fc.property(fc.string(), fc.string(), (a, b) => typeof toMatchesVia(a, b) === 'boolean'));
  t.pass('a URL matches itself, never another port');
});

t.test(
  'ms is an Int32 as DataContractSerializer reads it, clamped to what the service honours',
  async (t) => {
    const { read } = pair();
    t.match(planSoapCall(read('Delay'), addressFilter(VIA)), { kind: 'call', ms: 0 }, 'absent is 0');
    t.match(
      planSoapCall(read('Delay', { ms: -5 }), addressFilter(VIA)),
      { kind: 'call', ms: 0 },
      'negative is 0',
    );
    t.match(
      planSoapCall(read('Burn', { ms: ' 7 ' }), addressFilter(VIA)),
      { kind: 'call', ms: 7 },
      'whitespace around',
    );
    t.match(planSoapCall(read('Delay', { ms: 2147483647 }), addressFilter(VIA)), {
      kind: 'call',
      ms: MAX_OPERATION_MS,
    });
    for (const bad of ['abc', '1.5', '', '2147483648', '1e3']) {
      t.match(
        planSoapCall(read('Delay', { ms: bad }), addressFilter(VIA)),
        {
          kind: 'refuse',
          fault: {
            code: 'Sender',
            subcodes: [{ name: 'DeserializationFailed' }],
            reason: new RegExp(`'${bad}'`),
          },
        },
        `${JSON.stringify(bad)} is refused`,
      );
    }
    fc.assert(
      fc.property(fc.integer({ min: -2147483648, max: 2147483647 }), (n) => {
        const p = planSoapCall(read('Delay', { ms: n }), addressFilter(VIA));
        return p.kind === 'call' && p.ms === Math.min(Math.max(n, 0), MAX_OPERATION_MS);
      }),
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (s) => {
        const p = planSoapCall(read('Burn', { ms: s }), addressFilter(VIA));
        return /^\s*[+-]?\d+\s*$/.test(s) ? true : p.kind === 'refuse';
      }),
      { numRuns: 300 },
    );
  },
);
