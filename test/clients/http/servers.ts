// Servers the HTTP client's tests load: node:http servers on loopback port 0 (real sockets), each
// answering in one way, and raw TCP servers for what HTTP servers will not do (garbage, silence).

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { el, soapHttpFault, soapHttpReply, TEMPURI, type SoapVersion } from '../../../protocol/index.ts';

export type TestServer = {
  url: string;
  // Requests seen; the most at once on one connection.
  requests: number;
  maxPerConnection: number;
  close: () => Promise<void>;
};

type Handler = (req: IncomingMessage, body: Buffer, res: ServerResponse) => void;

// An HTTP server whose handler gets each request's whole body.
export const httpServer = async (handler: Handler): Promise<TestServer> => {
  const per = new Map<Socket, number>();
  const state = { requests: 0, maxPerConnection: 0 };
  const server: Server = createServer((req, res) => {
    state.requests++;
    const n = (per.get(req.socket) ?? 0) + 1;
    per.set(req.socket, n);
    state.maxPerConnection = Math.max(state.maxPerConnection, n);
    res.on('finish', () => per.set(req.socket, (per.get(req.socket) ?? 1) - 1));
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handler(req, Buffer.concat(chunks), res));
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/svc`,
    get requests() {
      return state.requests;
    },
    get maxPerConnection() {
      return state.maxPerConnection;
    },
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
};

// A raw TCP server: `onSocket` does what it likes with each connection.
export const tcpServer = async (
  onSocket: (s: Socket) => void,
): Promise<{ url: string; close: () => Promise<void> }> => {
  const sockets = new Set<Socket>();
  const server: TcpServer = createTcpServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
    onSocket(s);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/svc`,
    close: () =>
      new Promise((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
};

// The body of an Echo reply carrying `result`.
export const echoReply = (version: SoapVersion, result: string, relatesTo?: string): Buffer =>
  Buffer.from(
    soapHttpReply(version, {
      action: `${TEMPURI}IInteropService/EchoResponse`,
      relatesTo,
      body: el('EchoResponse', TEMPURI, [el('EchoResult', TEMPURI, [result])], {
        declarations: [{ prefix: '', uri: TEMPURI }],
      }),
    }),
  );

// The body of a SOAP fault.
export const faultReply = (version: SoapVersion, reason: string): Buffer =>
  Buffer.from(soapHttpFault(version, { code: 'Sender', reason }));

// Answers with `body` and `status` after `delayMs`.
export const answer =
  (status: number, body: Buffer | string, delayMs = 0): Handler =>
  (_req, _body, res) => {
    const send = () => res.writeHead(status, { 'Content-Type': 'text/xml; charset=utf-8' }).end(body);
    if (delayMs > 0) setTimeout(send, delayMs);
    else send();
  };
