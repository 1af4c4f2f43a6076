// The parts of autocannon 9 (CommonJS, no types of its own) this client uses: the programmatic API, and
// the few members of its per-connection Client that the engine's hooks take over (clients/http/hooks.ts).

declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';
  import type { Socket } from 'node:net';

  export type AutocannonRequest = {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
  };

  // One connection. Documented: its events (`response`: status, bytes, ms) and setRequest(s). The rest are
  // autocannon's internals, pinned with its version in package.json.
  export type AutocannonClient = EventEmitter & {
    opts: { pipelining: number };
    conn: Socket;
    destroyed: boolean;
    // Sends the next request on this connection (called once per free pipeline slot).
    _doRequest(): void;
    // Opens the connection and fills the pipeline; called again after an error, an end or a timeout.
    _connect(): void;
    destroy(): void;
    parser: { hadError: boolean; initialize(type: 'RESPONSE'): void };
    pipelinedRequests: { addBody(chunk: Buffer): void; clear(): void };
  };

  export type AutocannonOptions = {
    url: string;
    connections?: number;
    pipelining?: number;
    // Seconds.
    duration?: number;
    // Seconds, at least 1.
    timeout?: number;
    requests?: AutocannonRequest[];
    method?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    setupClient?: (client: AutocannonClient) => void;
    // ms between its own samples (and between its checks of stop()).
    sampleInt?: number;
    skipAggregateResult?: boolean;
    overallRate?: number;
    connectionRate?: number;
    // Histograms of one's own in place of autocannon's (`__custom` ones are not encoded into its result).
    histograms?: { latencies?: AutocannonHistogram };
  };

  export type AutocannonHistogram = {
    __custom: true;
    recordValue(v: number): void;
    recordValueWithExpectedInterval(v: number, interval: number): void;
    reset(): void;
    destroy(): void;
  };

  // The aggregated result (the default; skipAggregateResult gives a raw one the engine does not read).
  export type AutocannonResult = {
    requests: { total: number; sent: number; average: number };
    errors: number;
    timeouts: number;
    non2xx: number;
    duration: number;
  };

  export type AutocannonInstance = EventEmitter &
    PromiseLike<AutocannonResult> & {
      stop(): void;
    };

  function autocannon(options: AutocannonOptions): AutocannonInstance;
  export default autocannon;
}
