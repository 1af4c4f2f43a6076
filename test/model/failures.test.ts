import fc from 'fast-check';
import t from 'tap';
import { failureFigures, kindsText, outages } from '../../model/failures.ts';
import type { LoadSample } from '../../model/history.ts';
import { history, load, phase } from '../helpers/history.ts';

t.test('failure figures count kinds (dropped among them), the rate and the time to fail', async (t) => {
  const f = failureFigures([
    load(1000, { ok: 30, failed: { reset: 8 }, failMs: 2 }),
    load(2000, { ok: 0, failed: { reset: 10 }, failMs: 2, dropped: 5 }),
    load(3000, { ok: 0, failed: { timeout: 2 }, failMs: 2000 }),
  ]);
  t.equal(f.ok, 30);
  t.same(f.byKind, { reset: 18, timeout: 2, dropped: 5 });
  t.equal(f.failed, 25);
  t.equal(f.rate, 25 / 55);
  t.equal(f.timeToFail.count, 20, 'dropped sessions never started, so they took no time to fail');
  t.ok(f.timeToFail.p50 < 3, `most failed fast (p50 ${f.timeToFail.p50})`);
  t.ok(f.timeToFail.max >= 1999, 'the timeouts took their time');
  t.equal(kindsText(f.byKind), '18 reset, 5 dropped, 2 timeout');
});

t.test('no session ended: no rate', async (t) => {
  t.equal(failureFigures([]).rate, null);
});

t.test('windows where sessions failed and none succeeded join into one outage per load', async (t) => {
  const h = history(
    phase(0, 'load'),
    load(1000, { ok: 50 }),
    load(2000, { ok: 0, failed: { reset: 25 } }),
    load(3000, { ok: 0, failed: { reset: 20, timeout: 5 } }),
    load(4000, { ok: 40, failed: { reset: 1 } }),
    load(5000, { ok: 0, failed: { refused: 3 } }),
  );
  t.same(outages(h), [
    { load: 'steady', from: 1000, to: 3000, byKind: { reset: 45, timeout: 5 } },
    { load: 'steady', from: 4000, to: 5000, byKind: { refused: 3 } },
  ]);
});

t.test('windows that only hung join the outage they lead into, and alone are none', async (t) => {
  const hung = (at: number): LoadSample => ({ ...load(at, {}), started: 25, active: 25 });
  const h = history(
    phase(0, 'load'),
    hung(1000),
    load(2000, { ok: 10 }),
    hung(3000),
    hung(4000),
    load(5000, { ok: 0, failed: { timeout: 25 } }),
    hung(6000),
    load(7000, { ok: 25 }),
  );
  t.same(outages(h), [{ load: 'steady', from: 2000, to: 6000, byKind: { timeout: 25 } }]);
});

const EMPTY = load(0, {});

t.test('an outage never holds a window in which a session succeeded', async () => {
  fc.assert(
    fc.property(
      fc.array(fc.record({ ok: fc.nat(3), reset: fc.nat(3), active: fc.nat(2) }), { maxLength: 30 }),
      (ws) => {
        // Bare windows (no histograms of their own): outages read counts only.
        const samples = ws.map((w, i): LoadSample => ({
          ...EMPTY,
          t: (i + 1) * 1000,
          started: w.ok + w.reset,
          ok: w.ok,
          failed: { reset: w.reset },
          active: w.active,
        }));
        const h = history(phase(0, 'load'), ...samples);
        for (const o of outages(h)) {
          if (o.to <= o.from) return false;
          const inside = samples.filter((s) => s.t > o.from && s.t <= o.to);
          if (inside.some((s) => s.ok > 0)) return false;
          if (!inside.some((s) => (s.failed['reset'] ?? 0) > 0)) return false;
        }
        return true;
      },
    ),
    { numRuns: 300 },
  );
});
