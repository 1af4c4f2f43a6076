// The control channel: a Unix socket (mode 0600) speaking JSON lines. Each request line gets one
// response line, `{id, ok: true, result}` or `{id, ok: false, error: {code, message}}`; requests on one
// connection may be answered out of order (a recycle takes a while; status does not wait for it).

import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { HostError, HostErrorCode, isHostError } from '../errors.ts';
import { readLines } from './lines.ts';
import { type ControlRequest, parseControlRequest } from './requests.ts';

export type ControlServer = { path: string; close(): Promise<void> };

export type ControlHandler = (req: ControlRequest) => Promise<unknown>;

const errorOf = (e: unknown): { code: string; message: string } =>
  isHostError(e) ? { code: e.code, message: e.message } : { code: 'HOST_INTERNAL', message: String(e) };

const idOf = (v: unknown): unknown => (typeof v === 'object' && v !== null && 'id' in v ? v.id : undefined);

// Listens on `path`, or on a fresh private directory's control.sock when no path is given.
export const startControlServer = async (handle: ControlHandler, path?: string): Promise<ControlServer> => {
  const own = path === undefined ? await mkdtemp(join(tmpdir(), 'nettcp-chaos-host-')) : undefined;
  const socketPath = path ?? join(own!, 'control.sock');
  const server: Server = createServer((socket) => {
    socket.on('error', () => {});
    const respond = (body: Record<string, unknown>): void => {
      if (!socket.destroyed) socket.write(`${JSON.stringify(body)}\n`);
    };
    readLines(
      socket,
      (line) => {
        let raw: unknown;
        try {
          raw = JSON.parse(line);
        } catch {
          respond({
            ok: false,
            error: { code: HostErrorCode.BadRequest, message: 'request: expected one JSON object per line' },
          });
          return;
        }
        const id = idOf(raw);
        let req: ControlRequest;
        try {
          req = parseControlRequest(raw);
        } catch (e) {
          respond({ id, ok: false, error: errorOf(e) });
          return;
        }
        handle(req).then(
          (result) => respond({ id, ok: true, result }),
          (e: unknown) => respond({ id, ok: false, error: errorOf(e) }),
        );
      },
      () => {
        respond({
          ok: false,
          error: { code: HostErrorCode.BadRequest, message: 'request: a line longer than 1 MiB' },
        });
        socket.end();
      },
    );
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socketPath, () => resolve());
    });
    await chmod(socketPath, 0o600);
  } catch (e) {
    server.close();
    if (own !== undefined) await rm(own, { recursive: true, force: true });
    throw new HostError(
      HostErrorCode.ListenFailed,
      `could not open the control socket ${socketPath}: ${String(e)}`,
      {
        cause: e,
      },
    );
  }
  return {
    path: socketPath,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      // server.close removes the socket file; a directory of our own goes too.
      if (own !== undefined) await rm(dirname(socketPath), { recursive: true, force: true });
    },
  };
};
