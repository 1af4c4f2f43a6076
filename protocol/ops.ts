// The compact op framing: a magic-byte request/reply the reference host's workers answer besides SOAP,
// for raw-rate benches where XML encoding and parsing would cost more than what is measured. A session
// speaks it when its preamble names OPS_CONTENT_TYPE (or any content type the service accepts other than
// the binary session and SOAP 1.2 text encodings, which speak SOAP). Each message is one request or reply
// in a sized envelope; the request says which operation to run (echo, sleep, cpu, fail). Pure bytes, no
// XML: no real WCF service understands it. A payload that does not start with the magic byte is echoed by
// the host as it is, so any byte client can talk to it.
//
// request: C7 01 op:u8 id:u32le arg:u32le payload...
// reply:   C7 01 status:u8 id:u32le payload... (status 0 ok: payload echoed; 1 fault: UTF-8 reason)

// The content type a compact op framing session announces (an Extensible Encoding record).
export const OPS_CONTENT_TYPE = 'application/x-nettcp-chaos-ops';
export const OPS_MAGIC = 0xc7;
export const OPS_VERSION = 1;
const HEADER = 11;
const REPLY_HEADER = 7;

export const OPERATIONS = ['echo', 'sleep', 'cpu', 'fail'] as const;
export type Operation = (typeof OPERATIONS)[number];

export type OpRequest = {
  id: number;
  op: Operation;
  // Milliseconds to sleep (sleep) or burn (cpu); ignored by echo and fail.
  arg: number;
  payload: Uint8Array;
};

export type OpReply =
  { id: number; ok: true; payload: Uint8Array } | { id: number; ok: false; reason: string };

const u32 = (name: string, v: number): number => {
  if (!Number.isInteger(v) || v < 0 || v > 0xffffffff)
    throw new RangeError(`${name} must be a uint32, got ${v}`);
  return v;
};

// Encodes a request.
export const encodeOpRequest = (r: OpRequest): Buffer => {
  const b = Buffer.allocUnsafe(HEADER + r.payload.length);
  b[0] = OPS_MAGIC;
  b[1] = OPS_VERSION;
  b[2] = OPERATIONS.indexOf(r.op);
  b.writeUInt32LE(u32('id', r.id), 3);
  b.writeUInt32LE(u32('arg', r.arg), 7);
  b.set(r.payload, HEADER);
  return b;
};

// Decodes a request, or undefined when the bytes are not an operation request (a plain payload).
export const decodeOpRequest = (bytes: Uint8Array): OpRequest | undefined => {
  if (bytes.length < HEADER || bytes[0] !== OPS_MAGIC || bytes[1] !== OPS_VERSION) return undefined;
  const op = OPERATIONS[bytes[2]!];
  if (op === undefined) return undefined;
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  return { op, id: view.readUInt32LE(3), arg: view.readUInt32LE(7), payload: bytes.subarray(HEADER) };
};

// Encodes a reply.
export const encodeOpReply = (r: OpReply): Buffer => {
  const body = r.ok ? r.payload : Buffer.from(r.reason, 'utf8');
  const b = Buffer.allocUnsafe(REPLY_HEADER + body.length);
  b[0] = OPS_MAGIC;
  b[1] = OPS_VERSION;
  b[2] = r.ok ? 0 : 1;
  b.writeUInt32LE(u32('id', r.id), 3);
  b.set(body, REPLY_HEADER);
  return b;
};

// Decodes a reply, or undefined when the bytes are not one.
export const decodeOpReply = (bytes: Uint8Array): OpReply | undefined => {
  if (bytes.length < REPLY_HEADER || bytes[0] !== OPS_MAGIC || bytes[1] !== OPS_VERSION || bytes[2]! > 1) {
    return undefined;
  }
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const id = view.readUInt32LE(3);
  const body = bytes.subarray(REPLY_HEADER);
  return bytes[2] === 0
    ? { id, ok: true, payload: body }
    : { id, ok: false, reason: Buffer.from(body).toString('utf8') };
};

// The request id of an operation message (request or reply), for matching replies to calls.
export const opMessageId = (bytes: Uint8Array): number | undefined =>
  bytes.length >= REPLY_HEADER && bytes[0] === OPS_MAGIC && bytes[1] === OPS_VERSION
    ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).readUInt32LE(3)
    : undefined;

// What an echo server answers: an operation request gets an ok reply carrying its payload (whatever the
// operation: an echo server neither sleeps, burns nor fails); any other payload comes back as it is.
export const echoReply = (bytes: Uint8Array): Uint8Array => {
  const req = decodeOpRequest(bytes);
  return req === undefined ? bytes : encodeOpReply({ id: req.id, ok: true, payload: req.payload });
};
