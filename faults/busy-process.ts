// The busy process cpu-spike starts: `node busy-process.ts MS LOAD` keeps one CPU LOAD percent busy for
// MS milliseconds and then exits on its own, whatever happens to the harness. It also leaves when its
// stdin ends (the harness died) or on SIGTERM (heal). It prints `ready` once running, and on leaving one
// JSON line with the CPU time it used and its wall time, so the achieved load is measured, not assumed.

const [ms = 0, load = 100] = process.argv.slice(2).map(Number);
// Busy LOAD% of each period; the event loop turns between slices so signals and stdin are noticed.
const PERIOD_MS = 100;
const t0 = performance.now();
const cpu0 = process.cpuUsage();
let leaving = false;

const leave = (why: string): void => {
  if (leaving) return;
  leaving = true;
  const used = process.cpuUsage(cpu0);
  const line = { cpuMs: (used.user + used.system) / 1000, wallMs: performance.now() - t0, why };
  process.stdout.write(`${JSON.stringify(line)}\n`, () => process.exit(0));
  // Nobody reading (the harness is gone): leave anyway.
  setTimeout(() => process.exit(0), 200).unref();
};

const tick = (): void => {
  if (leaving) return;
  const now = performance.now();
  if (now - t0 >= ms) return leave('expired');
  const busyUntil = Math.min(now + (PERIOD_MS * load) / 100, t0 + ms);
  while (performance.now() < busyUntil) {
    // spin
  }
  if (load >= 100) setImmediate(tick);
  else setTimeout(tick, (PERIOD_MS * (100 - load)) / 100);
};

process.on('SIGTERM', () => leave('stopped'));
process.on('SIGINT', () => leave('stopped'));
process.stdout.on('error', () => process.exit(0));
process.stdin.on('end', () => leave('orphaned'));
process.stdin.on('error', () => leave('orphaned'));
process.stdin.resume();
process.stdout.write('ready\n');
tick();
