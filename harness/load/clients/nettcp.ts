// client: nettcp (the default): each start of the load's model opens a net.tcp session to the load's via
// and makes its scripted calls (SOAP as a WCF client on NetTcpBinding makes them, or the op framing).

import { formatDuration } from '../../../model/duration.ts';
import { record } from '../../../model/fields.ts';
import { probeMessagesFor, probeOnce } from '../../observe/probe.ts';
import type { LoadSpec } from '../../suite/schema.ts';
import { resolveVia } from './nettcp-address.ts';
import { nettcpFields } from './nettcp-fields.ts';
import { startSessions } from './nettcp-sessions.ts';
import type { LoadClient } from './types.ts';

const schema = record(nettcpFields, 'a net.tcp load: { name, via, model, ..., session }');

type NettcpLoad = Extract<LoadSpec, { client: 'nettcp' }>;
const ownLoads = (loads: readonly LoadSpec[]): NettcpLoad[] =>
  loads.filter((l): l is NettcpLoad => l.client === 'nettcp');

export const nettcpClient = {
  name: 'nettcp',
  schema,
  addressField: 'via',
  describe: (spec) => {
    const s = spec.session;
    const op = s.soap !== undefined ? `SOAP ${s.soap.operation}` : s.operation;
    const arg = s.operation === 'sleep' || s.operation === 'cpu' ? ` ${formatDuration(s.arg)}` : '';
    return `via ${spec.via}; each session ${s.calls} ${op}${arg} call(s) of ${s.payload} bytes`;
  },
  start: startSessions,
  // The probe's via, the target's ready via, else the first net.tcp load's.
  probeAddress: (suite) => suite.probe.via ?? suite.target.ready.via ?? ownLoads(suite.load)[0]?.via,
  // A fresh session, speaking as the net.tcp load on that via does (or the first one).
  prober: (address, env) => {
    const target = resolveVia(address, env.target);
    const o = {
      calls: env.calls,
      allowRemote: env.allowRemote,
      messages: probeMessagesFor(ownLoads(env.loads), address),
    };
    return { listener: target.via, once: (timeoutMs) => probeOnce(target, { ...o, timeoutMs }) };
  },
} satisfies LoadClient<typeof schema>;
