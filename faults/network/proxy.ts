// The toxic proxy: listens on loopback, forwards every connection to the target, and keeps the toxics
// in force. A toxic acts on connections opened while it is in force and on those already open (as in
// Toxiproxy); each connection is drawn in or spared once per toxic, with the toxic's seeded random.

import { CodedError } from '../../protocol/index.ts';
import { FaultErrorCode, type FaultErrorCodeValue } from '../errors.ts';
import { createServer, type Server } from 'node:net';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { ProxyConnection } from './connection.ts';
import type { StageContext } from './stage.ts';
import { emptyStats, type ToxicSpec, type ToxicStats, withDefaults } from './toxic-spec.ts';
import { createStage } from './toxics/index.ts';

type ActiveToxic = {
  name: string;
  spec: ToxicSpec;
  attributes: Record<string, number>;
  stats: ToxicStats;
  // Whether the next connection is drawn in; and the toxic's own randomness.
  draw: () => number;
  shape: () => number;
  expiry: NodeJS.Timeout | undefined;
};

// A toxic as `list` shows it.
export type ToxicView = Omit<ToxicSpec, 'seed' | 'expiresInMs'> & { name: string; stats: ToxicStats };

// What `remove` answers: the toxic's counts, and whether it had already expired on its own.
export type Removed = { name: string; stats: ToxicStats; expired: boolean };

// Thrown for a request the proxy cannot carry out (an unknown toxic name).
export class ToxicNotFoundError extends CodedError<FaultErrorCodeValue> {
  override name = 'ToxicNotFoundError';
  constructor(message: string) {
    super(FaultErrorCode.ToxicNotFound, message);
  }
}

const randomOf = (seed: number): (() => number) => {
  const rng = xoroshiro128plus(seed | 0);
  return () => uniformFloat64(rng);
};

// A TCP proxy in front of one target, with Toxiproxy's toxics.
export class ToxicProxy {
  readonly #target: { host: string; port: number };
  readonly #server: Server;
  readonly #connections = new Set<ProxyConnection>();
  readonly #toxics = new Map<string, ActiveToxic>();
  readonly #retired = new Map<string, Removed>();
  readonly #names = new Set<string>();
  readonly #onExpired: (r: Removed) => void;
  #ids = 0;

  constructor(target: { host: string; port: number }, onExpired: (r: Removed) => void = () => {}) {
    this.#target = target;
    this.#onExpired = onExpired;
    this.#server = createServer({ allowHalfOpen: true, pauseOnConnect: true }, (socket) => {
      const conn = new ProxyConnection(++this.#ids, socket, this.#target, () =>
        this.#connections.delete(conn),
      );
      this.#connections.add(conn);
      for (const t of this.#toxics.values()) this.#apply(conn, t);
    });
  }

  // Starts listening on `host` at a free port; resolves with the port.
  async listen(host: string): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen({ host, port: 0 }, () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
    return (this.#server.address() as { port: number }).port;
  }

  // Puts a toxic in force on open connections and later ones; its name is `type_stream` (Toxiproxy's
  // default), numbered when taken. Returns the name and how many open connections it now acts on.
  add(spec: ToxicSpec): { name: string; applied: number } {
    const base = `${spec.type}_${spec.stream}`;
    let name = base;
    for (let n = 2; this.#names.has(name); n++) name = `${base}_${n}`;
    this.#names.add(name);
    const toxic: ActiveToxic = {
      name,
      spec,
      attributes: withDefaults(spec.type, spec.attributes),
      stats: emptyStats(),
      draw: randomOf(spec.seed),
      shape: randomOf(spec.seed ^ 0x5bd1e995),
      expiry: undefined,
    };
    if (spec.expiresInMs !== undefined) {
      toxic.expiry = setTimeout(() => this.#onExpired(this.#retire(toxic, true)), spec.expiresInMs);
    }
    this.#toxics.set(name, toxic);
    let applied = 0;
    for (const conn of this.#connections) if (this.#apply(conn, toxic)) applied++;
    return { name, applied };
  }

  // Takes a toxic out of force: what it holds back goes on at once. A toxic that already expired
  // answers with its counts.
  remove(name: string): Removed {
    const toxic = this.#toxics.get(name);
    if (toxic !== undefined) return this.#retire(toxic, false);
    const retired = this.#retired.get(name);
    if (retired !== undefined) return retired;
    throw new ToxicNotFoundError(`no toxic named ${JSON.stringify(name)} on this proxy`);
  }

  // The toxics in force and the connections open now.
  list(): { connections: number; toxics: ToxicView[] } {
    return {
      connections: this.#connections.size,
      toxics: [...this.#toxics.values()].map((t) => ({
        name: t.name,
        type: t.spec.type,
        stream: t.spec.stream,
        toxicity: t.spec.toxicity,
        attributes: t.attributes,
        stats: { ...t.stats },
      })),
    };
  }

  // Stops listening and drops every connection.
  async close(): Promise<void> {
    for (const t of this.#toxics.values()) clearTimeout(t.expiry);
    for (const c of this.#connections) c.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #retire(toxic: ActiveToxic, expired: boolean): Removed {
    clearTimeout(toxic.expiry);
    this.#toxics.delete(toxic.name);
    for (const conn of this.#connections) conn.links[toxic.spec.stream].remove(toxic.name);
    const removed = { name: toxic.name, stats: { ...toxic.stats }, expired };
    this.#retired.set(toxic.name, removed);
    return removed;
  }

  #apply(conn: ProxyConnection, toxic: ActiveToxic): boolean {
    const link = conn.links[toxic.spec.stream];
    if (!conn.open || link.ended) return false;
    if (!(toxic.draw() < toxic.spec.toxicity)) {
      toxic.stats.spared++;
      return false;
    }
    const ctx: StageContext = {
      close: () => conn.close(),
      reset: () => conn.reset(),
      discard: (bytes) => link.discard(bytes),
      random: toxic.shape,
      stats: toxic.stats,
    };
    const stage = createStage(toxic.spec.type, ctx, toxic.attributes);
    if (!link.add(toxic.name, stage)) {
      stage.dispose();
      return false;
    }
    toxic.stats.connections++;
    return true;
  }
}
