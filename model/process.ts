// A process the harness started, as the parts that use it see it (the target, a fault's helper process).

export type ExitInfo = { code: number | null; signal: string | null };

export type Spawned = {
  pid: number;
  // Resolves when the process has exited.
  exited: Promise<ExitInfo>;
  // Whether it is still running.
  running: () => boolean;
  // The last lines it printed (stdout and stderr), for "why did it not start?".
  lastLines: () => string[];
  // Sends `signal`, waits `graceMs`, then kills the whole group; resolves once it has exited.
  stop: (signal: NodeJS.Signals, graceMs: number) => Promise<ExitInfo>;
};
