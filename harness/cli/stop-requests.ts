// Stop requests: SIGINT, SIGTERM or SIGHUP asks a command to stop gracefully, the next one forces it.
// One action often reaches this process twice: Ctrl-C and a closed terminal signal the whole
// foreground process group, and a parent that forwards signals (bin/nettcp-chaos.js on an older Node,
// npm run) passes on what we already got. Counting each delivery would turn one Ctrl-C into a forced
// exit, so deliveries are counted by source and an action is counted once.

// The signals that stop a command.
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

// One of those signals.
export type StopSignal = (typeof STOP_SIGNALS)[number];

// Set by bin/nettcp-chaos.js to its pid when it starts us with an IPC channel (kept in step with it).
export const LAUNCHER_ENV = 'NETTCP_CHAOS_LAUNCHER';

// The message bin/nettcp-chaos.js sends over that channel for each signal it receives.
export const SIGNAL_MESSAGE = 'nettcp-chaos:signal';

// The same signal again this soon is the same action delivered twice: npm's run-script forwards
// within a few milliseconds, while a person pressing Ctrl-C again to force takes longer.
export const DUPLICATE_WINDOW_MS = 300;

// What a command does on the first request and on the second; `why` names the signal.
export type StopHandlers = { stop: (why: string) => void; force: (why: string) => void };

// Where a request came from: the kernel (this process was signalled) or the launcher (it was).
export type StopSource = 'signal' | 'launcher';

// Counts stop requests. A terminal's signal reaches the launcher and us, a signal sent to the launcher
// alone reaches only the launcher, one sent to us alone only us: so the number of actions is the larger
// of the two counts, whatever order the deliveries arrive in.
export class StopCounter {
  readonly #handlers: StopHandlers;
  readonly #count: Record<StopSource, number> = { signal: 0, launcher: 0 };
  readonly #last: Partial<Record<StopSource, { why: string; at: number }>> = {};
  #requests = 0;

  constructor(handlers: StopHandlers) {
    this.#handlers = handlers;
  }

  // How many stop requests were acted on (0, 1 or 2).
  get requests(): number {
    return this.#requests;
  }

  // A delivery from `source` at `at` (milliseconds on a monotonic clock).
  deliver(source: StopSource, why: string, at: number): void {
    const last = this.#last[source];
    if (last !== undefined && last.why === why && at - last.at < DUPLICATE_WINDOW_MS) return;
    this.#last[source] = { why, at };
    this.#count[source]++;
    const actions = Math.max(this.#count.signal, this.#count.launcher);
    while (this.#requests < actions && this.#requests < 2) {
      this.#requests++;
      if (this.#requests === 1) this.#handlers.stop(why);
      else this.#handlers.force(why);
    }
  }
}

// Whether bin/nettcp-chaos.js started us and tells us over IPC what it receives.
let launched = false;

// Takes over the IPC channel bin/nettcp-chaos.js opened, if it started this process: once, at start,
// before anything spawns (the variable must not reach the programs a run starts).
export const adoptLauncher = (): void => {
  const pid = Number(process.env[LAUNCHER_ENV]);
  delete process.env[LAUNCHER_ENV];
  if (process.send === undefined || process.channel === undefined) return;
  // The channel carries only signals; it must not keep the process alive once the command is done.
  process.channel.unref();
  launched = pid === process.ppid;
};

// Calls `handlers.stop` on the first stop request and `handlers.force` on the second, from signals and
// from the launcher (a launcher that goes away asks for a stop too: whoever killed it wants us gone);
// returns a function that stops listening.
export const onStopRequests = (handlers: StopHandlers): (() => void) => {
  const counter = new StopCounter(handlers);
  const onSignal = (sig: NodeJS.Signals) => counter.deliver('signal', sig, performance.now());
  const onMessage = (m: unknown) => {
    const msg = m as { type?: unknown; signal?: unknown } | null;
    if (msg?.type !== SIGNAL_MESSAGE || typeof msg.signal !== 'string') return;
    counter.deliver('launcher', msg.signal, performance.now());
  };
  const onDisconnect = () => counter.deliver('launcher', 'the launcher went away', performance.now());
  for (const s of STOP_SIGNALS) process.on(s, onSignal);
  if (launched) {
    process.on('message', onMessage);
    process.on('disconnect', onDisconnect);
  }
  return () => {
    for (const s of STOP_SIGNALS) process.off(s, onSignal);
    process.off('message', onMessage);
    process.off('disconnect', onDisconnect);
  };
};
