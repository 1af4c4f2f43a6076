// The reference port-sharing host, in this process: the sharing listener (accept, preamble read,
// routing, hand-off) and the control channel; every service's workers are child processes of it.

import { createServer, type Socket } from 'node:net';
import type { FaultName } from '../protocol/index.ts';
import type { HostConfig } from './config.ts';
import { type ControlServer, startControlServer } from './control/server.ts';
import type { ControlRequest } from './control/requests.ts';
import { HostError, HostErrorCode } from './errors.ts';
import type { EventSink, HostEvent } from './events.ts';
import { Acceptor, type AcceptTicket } from './listener/acceptor.ts';
import { Connection } from './listener/connection.ts';
import { readPreamble } from './listener/preamble-read.ts';
import { RouteTable, routeKeyOf, routeUri } from './listener/routes.ts';
import { ForwardRoute } from './listener/forward-route.ts';
import type { Route } from './listener/route.ts';
import { ServiceRoute } from './listener/service-route.ts';
import { abortConnection, sendFault } from './refuse.ts';
import { type HostStatus, statusOf } from './status.ts';
import { runCommand } from './commands.ts';

export type StartHostOptions = {
  // Listen on this port instead of config.listen.port (`--port`).
  port?: number;
  // Every event, as it happens.
  onEvent?: (e: HostEvent) => void;
};

export type RunningHost = {
  // The listener's process (this one).
  readonly pid: number;
  readonly host: string;
  readonly port: number;
  // The control channel's socket path.
  readonly control: string;
  // The net.tcp URL of a path on this host.
  url(path: string): string;
  // Runs a control command in process, as the control channel would.
  command(req: ControlRequest): Promise<unknown>;
  status(): Promise<HostStatus>;
  // Stops listening, stops every worker, closes the control channel.
  close(): Promise<void>;
};

// Starts the host; resolves once it listens and every startup service is active.
export const startHost = async (config: HostConfig, options: StartHostOptions = {}): Promise<RunningHost> => {
  const counts = {
    refused: {} as Record<string, number>,
    dispatched: 0,
    dispatchFailed: 0,
    forwarded: 0,
    forwardFailed: 0,
  };
  const emit: EventSink = (e) => {
    if (e.event === 'dispatch') counts.dispatched++;
    else if (e.event === 'dispatch-failed') counts.dispatchFailed++;
    else if (e.event === 'forward-open') counts.forwarded++;
    else if (e.event === 'forward-failed') counts.forwardFailed++;
    else if (e.event === 'refused') {
      const k = e.fault ?? e.reason;
      counts.refused[k] = (counts.refused[k] ?? 0) + 1;
    }
    options.onEvent?.({ ...e, t: Date.now() });
  };
  const refuse = (conn: Connection, fault: FaultName, reason: string): void => {
    conn.refuse(fault);
    emit({ event: 'refused', fault, reason, id: conn.id, via: conn.preamble.via });
  };

  const routes = new RouteTable<Route>();
  const ctx = {
    sharing: config.sharing,
    defects: config.defects,
    events: emit,
    refuse,
    onOverlappedRecycle: () => acceptor.wedge(),
  };
  const all = config.services.map((s): Route => {
    const r =
      s.forward === undefined
        ? new ServiceRoute(s, ctx)
        : new ForwardRoute({ ...s, forward: s.forward }, ctx);
    routes.add(s.path, r, s.host);
    return r;
  });

  const reading = new Set<Socket>();
  let nextId = 1;
  const take = async (socket: Socket, ticket: AcceptTicket): Promise<void> => {
    reading.add(socket);
    const r = await readPreamble(socket, config.sharing.receiveTimeoutMs);
    reading.delete(socket);
    ticket.readDone();
    if (!r.ok) {
      ticket.left();
      if (r.fault !== undefined) void sendFault(socket, r.fault);
      else abortConnection(socket);
      if (!r.gone) emit({ event: 'refused', fault: r.fault ?? null, reason: r.reason });
      return;
    }
    const conn = new Connection(nextId++, socket, r.preamble, r.bytes, ticket.left);
    // A client that goes away while its connection waits (for activation, a stop-start gap) is dropped.
    socket.once('close', () => conn.drop());
    const key = routeKeyOf(r.preamble.via, socket.localPort ?? 0);
    const route = key === undefined ? undefined : routes.match(key);
    if (route === undefined) {
      refuse(
        conn,
        'EndpointNotFound',
        `nothing is registered for ${key === undefined ? r.preamble.via : routeUri(key)}`,
      );
      return;
    }
    route.accept(conn);
  };
  const acceptor = new Acceptor(
    config.sharing,
    (socket, ticket) => {
      take(socket, ticket).catch(() => {
        abortConnection(socket);
        ticket.readDone();
        ticket.left();
      });
    },
    (reason) => emit({ event: 'refused', fault: null, reason }),
  );

  const server = createServer({ pauseOnConnect: true, allowHalfOpen: true }, (s) => acceptor.offer(s));
  const host = config.listen.host;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) =>
      reject(
        new HostError(
          HostErrorCode.ListenFailed,
          `could not listen on ${host}:${options.port ?? config.listen.port}: ${e.message}`,
          { cause: e },
        ),
      ),
    );
    server.listen(
      { host, port: options.port ?? config.listen.port, backlog: config.sharing.listenBacklog },
      () => resolve(),
    );
  });
  const port = (server.address() as { port: number }).port;
  // Errors after listening come from accept(2) (EMFILE when fds run out): the listener carries on.
  server.on('error', (e: NodeJS.ErrnoException) =>
    emit({ event: 'refused', fault: null, reason: `accept failed: ${e.code ?? e.message}` }),
  );

  let closed: Promise<void> | undefined;
  let control: ControlServer | undefined;
  const close = (): Promise<void> =>
    (closed ??= (async () => {
      server.close();
      acceptor.close();
      for (const s of reading) s.destroy();
      await Promise.all(all.map((r) => r.close()));
      await control?.close();
    })());

  const routeOf = (path: string): Route => {
    const r = all.find((x) => x.path === path);
    if (r === undefined) throw new HostError(HostErrorCode.UnknownPath, `no service registers ${path}`);
    return r;
  };
  const status = (): Promise<HostStatus> =>
    statusOf({ port, host, control: control?.path ?? '', acceptor, counts, routes: all });
  const command = (req: ControlRequest): Promise<unknown> => {
    if (closed !== undefined)
      return Promise.reject(new HostError(HostErrorCode.Closed, 'the host is shutting down'));
    return runCommand(req, { routes: all, routeOf, status, events: emit });
  };

  try {
    control = await startControlServer(command, config.controlSocket);
    emit({ event: 'listening', host, port });
    await Promise.all(all.map((r) => r.start()));
  } catch (e) {
    await close();
    throw e instanceof HostError ? e : new HostError(HostErrorCode.ActivationFailed, String(e), { cause: e });
  }
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    pid: process.pid,
    host,
    port,
    control: control.path,
    url: (path) => `net.tcp://${urlHost}:${port}${path}`,
    command,
    status,
    close,
  };
};
