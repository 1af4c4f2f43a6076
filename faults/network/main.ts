// The network proxy as a process (started by the harness, guarded by its watchdog). It reads its
// config from NETTCP_CHAOS_PROXY, listens on a free loopback port, and opens its control connection to
// the harness; when that connection goes (the harness exited or was killed), the proxy exits too.

import { connect } from 'node:net';
import { createInterface } from 'node:readline';
import * as z from 'zod';
import { idOf, line, parseRequest, type ControlRequest } from './control-protocol.ts';
import { ToxicProxy } from './proxy.ts';

const config = z
  .strictObject({
    target: z.strictObject({ host: z.string(), port: z.int().min(1).max(65535) }),
    listen: z.string(),
    control: z.strictObject({ port: z.int().min(1).max(65535), token: z.string() }),
  })
  .safeParse(JSON.parse(process.env['NETTCP_CHAOS_PROXY'] ?? 'null'));
if (!config.success) {
  process.stderr.write(`network proxy: NETTCP_CHAOS_PROXY is not a proxy config: ${config.error.message}\n`);
  process.exit(2);
}
const { target, listen, control: c } = config.data;

let exiting = false;
const exit = (code: number): void => {
  if (exiting) return;
  exiting = true;
  // Connections are dropped with the proxy; a stuck close must not keep it alive.
  setTimeout(() => process.exit(code), 1000).unref();
  void proxy.close().finally(() => process.exit(code));
};

// Set once the channel is open; a toxic cannot expire before then, having been added through it.
let send = (_m: unknown): void => {};
const proxy = new ToxicProxy(target, (r) => send({ event: 'expired', ...r }));
const port = await proxy.listen(listen);
const channel = connect({ host: '127.0.0.1', port: c.port });
send = (m) => {
  if (channel.writable) channel.write(line(m));
};
channel.on('connect', () => send({ event: 'ready', token: c.token, port, pid: process.pid }));
channel.on('error', () => exit(0));
channel.on('close', () => exit(0));
process.on('SIGTERM', () => exit(0));
process.on('SIGINT', () => exit(0));
// Its output pipes close with the harness; that must not crash it before the channel says so.
process.stdout.on('error', () => {});
process.stderr.on('error', () => {});

const handle = (r: ControlRequest): unknown => {
  if (r.op === 'add') return proxy.add(r.toxic);
  if (r.op === 'remove') return proxy.remove(r.name);
  return proxy.list();
};

createInterface({ input: channel }).on('line', (text) => {
  let r: ControlRequest;
  try {
    r = parseRequest(text);
  } catch (e) {
    const id = idOf(text);
    if (id !== undefined) send({ id, ok: false, error: (e as Error).message });
    else process.stderr.write(`network proxy: ${(e as Error).message}\n`);
    return;
  }
  try {
    send({ id: r.id, ok: true, result: handle(r) });
  } catch (e) {
    send({ id: r.id, ok: false, error: (e as Error).message });
  }
});
