// When a load's sessions start, as data: a load model gives a schedule and a client follows it (the net.tcp
// client launches a session per arrival or per free lane; the HTTP engine sends a request). Both clients
// read the same arrival times from here, so a net.tcp load and an HTTP load of one model start alike.

// A closed schedule: `lanes` sessions at once, each starting its next as soon as the last one ends, for
// `durationMs`. An open one: sessions arrive at the given times (ms from the load's start) whatever the
// target does; one that finds `maxInFlight` in flight is dropped.
export type Schedule =
  | { kind: 'closed'; lanes: number; durationMs: number }
  | { kind: 'open'; arrivals: () => Iterator<number>; durationMs: number; maxInFlight: number };

// constant-arrival-rate: one arrival every 1000/rate ms, from 0 until the duration ends.
export const constantArrivals = function* (rate: number, durationMs: number): Generator<number> {
  const interval = 1000 / rate;
  for (let i = 0; ; i++) {
    const at = i * interval;
    if (at >= durationMs) return;
    yield at;
  }
};

// ramping-arrival-rate: the rate moves linearly within each stage (k6's ramping-arrival-rate); each
// arrival's time is solved exactly from the area under the rate curve, so a ramp has no step artefacts.
export const rampArrivals = function* (
  startRate: number,
  stages: readonly { target: number; duration: number }[],
): Generator<number> {
  let r0 = startRate;
  let offset = 0; // ms
  let carried = 0; // arrivals (fractional) before this stage
  let n = 1; // the next arrival's number
  for (const { target: r1, duration } of stages) {
    const d = duration / 1000;
    // count(t) = r0 t + (r1 - r0) t² / (2d), t in seconds
    const a = (r1 - r0) / (2 * d);
    const total = r0 * d + a * d * d;
    while (n <= carried + total + 1e-9) {
      const k = n - carried;
      const t = Math.abs(a) < 1e-12 ? k / r0 : (-r0 + Math.sqrt(Math.max(0, r0 * r0 + 4 * a * k))) / (2 * a);
      yield offset + t * 1000;
      n++;
    }
    carried += total;
    offset += duration;
    r0 = r1;
  }
};
