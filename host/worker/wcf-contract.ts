// The reference service as a WCF service sees it: contract IInteropService in http://tempuri.org/ (the
// contract of interop/service and the SOAP stand-in) plus Burn, what a request asks of it, and the reply
// WCF would send. Each operation is one of the compact op framing's operations underneath, whose
// configured latency it takes: Echo is echo, Delay is sleep, Burn is cpu, Fault is fail.

import {
  actionNotSupportedFault,
  deserializationFailedFault,
  destinationUnreachableFault,
  el,
  type Operation,
  type SoapFaultParts,
  type SoapRequest,
  type SoapServerCodec,
  TEMPURI,
} from '../../protocol/index.ts';

// The contract's name and namespace; actions are `${CONTRACT_ACTION_PREFIX}{operation}`.
export const CONTRACT_NAME = 'IInteropService';
export const CONTRACT_NAMESPACE = TEMPURI;
export const CONTRACT_ACTION_PREFIX = `${CONTRACT_NAMESPACE}${CONTRACT_NAME}/`;

// The contract's operations and the op framing operation each runs as.
export const SOAP_OPERATIONS = { Echo: 'echo', Delay: 'sleep', Burn: 'cpu', Fault: 'fail' } as const;
export type SoapOperationName = keyof typeof SOAP_OPERATIONS;

// The longest Delay or Burn honoured (interop/service clamps Delay the same way), so one request cannot
// hold a call slot, or block a worker, for ever.
export const MAX_OPERATION_MS = 120_000;

// A request the service runs: the operation, its op framing twin, how long it sleeps or burns, its text.
export type SoapCallPlan = {
  kind: 'call';
  name: SoapOperationName;
  op: Operation;
  ms: number;
  text: string;
  relatesTo: string | undefined;
};

// A request the dispatcher answers at once with a fault, before any call slot or hook (WCF's address and
// contract filters, and its deserializer, run before the call is dispatched).
export type SoapRefusal = { kind: 'refuse'; fault: SoapFaultParts };

const isOperation = (name: string): name is SoapOperationName => Object.hasOwn(SOAP_OPERATIONS, name);

const portOf = (u: URL): number => Number(u.port || 808);

// WCF's address filter as the host models it: the To must name the endpoint the client dialled, that is
// its via, by port and path (path compared case-insensitively; the host name is ignored, as with WCF's
// default HostNameComparisonMode). A .NET client addresses To = the URL it dials, so it always matches.
export const toMatchesVia = (to: string | undefined, via: string): boolean => {
  if (to === undefined || !URL.canParse(to) || !URL.canParse(via)) return false;
  const a = new URL(to);
  const b = new URL(via);
  return (
    a.protocol === b.protocol &&
    portOf(a) === portOf(b) &&
    a.pathname.toLowerCase() === b.pathname.toLowerCase()
  );
};

// WCF's address filter for the endpoint a session dialled: toMatchesVia, remembering the last To it
// was asked about (every message of a session carries the same one, and parsing URLs is not free).
export const addressFilter = (via: string): ((to: string | undefined) => boolean) => {
  let last: { to: string | undefined; ok: boolean } | undefined;
  return (to) => {
    if (last === undefined || last.to !== to) last = { to, ok: toMatchesVia(to, via) };
    return last.ok;
  };
};

const INT32 = /^\s*[+-]?\d+\s*$/;

// An xs:int parameter as DataContractSerializer reads it: absent is 0, else whole and within Int32.
const int32 = (text: string | undefined): number | undefined => {
  if (text === undefined) return 0;
  if (!INT32.test(text)) return undefined;
  const n = Number(text);
  return n >= -2147483648 && n <= 2147483647 ? n : undefined;
};

const clampMs = (n: number): number => Math.min(Math.max(n, 0), MAX_OPERATION_MS);

// What a request asks of the service (whose address filter is `accepts`, addressFilter(via)): a call to
// run, or a fault to answer at once.
export const planSoapCall = (
  req: SoapRequest,
  accepts: (to: string | undefined) => boolean,
): SoapCallPlan | SoapRefusal => {
  const relatesTo = req.messageId;
  if (!accepts(req.to)) return { kind: 'refuse', fault: destinationUnreachableFault(req.to, relatesTo) };
  const name = req.action?.startsWith(CONTRACT_ACTION_PREFIX)
    ? req.action.slice(CONTRACT_ACTION_PREFIX.length)
    : '';
  if (!isOperation(name)) return { kind: 'refuse', fault: actionNotSupportedFault(req.action, relatesTo) };
  const op = SOAP_OPERATIONS[name];
  let ms = 0;
  if (name === 'Delay' || name === 'Burn') {
    const raw = req.params['ms'];
    const n = int32(raw);
    if (n === undefined) {
      const detail = `There was an error deserializing the object of type System.Int32. The value '${raw ?? ''}' cannot be parsed as the type 'Int32'.`;
      return {
        kind: 'refuse',
        fault: deserializationFailedFault(CONTRACT_NAMESPACE, 'ms', detail, relatesTo),
      };
    }
    ms = clampMs(n);
  }
  const text = name === 'Echo' ? (req.params['text'] ?? '') : (req.params['reason'] ?? '');
  return { kind: 'call', name, op, ms, text, relatesTo };
};

const wrapper = (name: string, result: string) =>
  el(`${name}Response`, CONTRACT_NAMESPACE, [el(`${name}Result`, CONTRACT_NAMESPACE, [result])], {
    declarations: [{ prefix: '', uri: CONTRACT_NAMESPACE }],
  });

// The reply to a call that ran: the operation's result, or for Fault a SOAP fault with code Sender and
// the given reason (what a FaultException(reason) becomes).
export const encodeSoapReply = (codec: SoapServerCodec, plan: SoapCallPlan): Uint8Array => {
  if (plan.name === 'Fault')
    return codec.encodeFault({ relatesTo: plan.relatesTo, code: 'Sender', reason: plan.text });
  const result =
    plan.name === 'Echo' ? plan.text : plan.name === 'Delay' ? `slept ${plan.ms} ms` : `burned ${plan.ms} ms`;
  return codec.encodeReply({
    action: `${CONTRACT_ACTION_PREFIX}${plan.name}Response`,
    relatesTo: plan.relatesTo,
    body: wrapper(plan.name, result),
  });
};
