// Takes over the parts of one autocannon connection the engine needs, so autocannon still connects,
// builds and writes the pre-built request, pipelines and parses, while the engine decides when each request
// goes and learns exactly which requests a broken connection took with it. autocannon 9 offers none of this
// through options (its rate limit releases a connection's share of each second in one burst), so these
// few internals are taken over, and checked first: another autocannon version fails loudly, not quietly.

import type { AutocannonClient } from 'autocannon';
import { HttpClientError, HttpErrorCode } from './errors.ts';
import { failureFromError, HTTP_PARSE, type HttpFailure } from './failure.ts';

// What one connection tells the engine.
export type ConnectionEvents = {
  // A pipeline slot is free: send now (HookedConnection.send) or later.
  free(): void;
  // A response is complete: its status and its body's bytes as a latin1 string.
  response(status: number, body: string): void;
  // The connection is being replaced (after an error, an end or a timeout): the requests in flight on it
  // are gone. The engine sets them aside now and learns why from the callback it returns, which runs once
  // autocannon has said (a timeout is announced after the new connection is opened).
  replacing(): (why: HttpFailure) => void;
};

// The engine's handle on a hooked connection.
export type HookedConnection = {
  // Sends the request on this connection (autocannon writes its pre-built buffer).
  send(): void;
  destroy(): void;
};

const INTERNALS = ['_doRequest', '_connect', 'destroy'] as const;

// The first pause before connecting again after a failed connect, and the longest.
const RETRY_FIRST_MS = 10;
const RETRY_MAX_MS = 250;

const requireInternals = (c: AutocannonClient): void => {
  const missing = INTERNALS.filter((k) => typeof c[k] !== 'function');
  if (typeof c.parser?.initialize !== 'function') missing.push('parser' as never);
  if (typeof c.pipelinedRequests?.addBody !== 'function') missing.push('pipelinedRequests' as never);
  if (missing.length > 0)
    throw new HttpClientError(
      HttpErrorCode.AutocannonInternals,
      `this autocannon has no ${missing.join(', ')}: the HTTP engine drives autocannon 9.0.0 (package.json pins it)`,
    );
};

// Hooks one connection; called from autocannon's setupClient, before it connects.
export const hookConnection = (client: AutocannonClient, events: ConnectionEvents): HookedConnection => {
  requireInternals(client);
  const send = client._doRequest.bind(client);
  const connect = client._connect.bind(client);
  let body = '';
  let opened = false;
  let connected = false;
  let lastError: NodeJS.ErrnoException | undefined;
  let timedOut = false;
  // The server said Connection: close (a draining server, a recycle): nothing more goes on this
  // connection; its end brings a new one, whose slots are freed then.
  let closing = false;

  client._doRequest = () => {
    if (!closing) events.free();
  };
  client.on('headers', (h: { shouldKeepAlive?: boolean }) => {
    if (h.shouldKeepAlive === false) closing = true;
  });
  // autocannon appends each body chunk to a string, which garbles a UTF-8 character split between two
  // reads; latin1 keeps every byte as it came.
  client.pipelinedRequests.addBody = (chunk: Buffer) => {
    body += chunk.toString('latin1');
  };
  client.on('connError', (e: NodeJS.ErrnoException) => {
    lastError = e;
  });
  client.on('timeout', () => {
    timedOut = true;
  });
  client.on('response', (status: number) => {
    const b = body;
    body = '';
    events.response(status, b);
    // autocannon would write its next request on a connection the server is closing; ending our side
    // instead makes the server's end come at once, and autocannon connects again.
    if (closing) client.conn.end();
  });
  // A refused or failed connect is retried after a pause that doubles up to RETRY_MAX_MS, not at once as
  // autocannon does: against a listener that is down, every connection would otherwise spin the CPU.
  let retryMs = 0;
  let retry: NodeJS.Timeout | undefined;
  client._connect = () => {
    if (retry !== undefined) return;
    const failedToConnect = opened && !connected && lastError !== undefined;
    if (opened) {
      const stage = connected ? 'call' : 'connect';
      const err = lastError;
      lastError = undefined;
      const lost = events.replacing();
      // autocannon keeps its parser state and its queue of sent requests across a reconnect, so a response
      // cut off half-way would swallow the next connection's bytes: both start over here.
      body = '';
      client.parser.initialize('RESPONSE');
      client.pipelinedRequests.clear();
      queueMicrotask(() => {
        const why: HttpFailure = timedOut
          ? { kind: 'timeout', stage }
          : err !== undefined
            ? failureFromError(err, stage)
            : { kind: 'closed', stage };
        timedOut = false;
        lost(why);
      });
    }
    opened = true;
    connected = false;
    closing = false;
    retryMs = failedToConnect ? Math.min(RETRY_MAX_MS, Math.max(RETRY_FIRST_MS, retryMs * 2)) : 0;
    if (retryMs === 0) return dial();
    retry = setTimeout(() => {
      retry = undefined;
      if (!client.destroyed) dial();
    }, retryMs).unref();
  };
  const dial = (): void => {
    connect();
    const conn = client.conn;
    conn.once('connect', () => {
      if (client.conn === conn) connected = true;
    });
    // autocannon ignores its parser's errors (the connection would wait for its timeout): a reply that is
    // not HTTP ends the connection at once, as a protocol failure.
    conn.on('data', () => {
      if (client.parser.hadError && !conn.destroyed)
        conn.destroy(Object.assign(new Error('the response is not HTTP'), { code: HTTP_PARSE }));
    });
  };
  return {
    send,
    destroy: () => {
      clearTimeout(retry);
      client.destroy();
    },
  };
};
