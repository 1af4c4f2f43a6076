import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import t from 'tap';
import {
  GeneratorHealth,
  judgedCpu,
  SATURATED_CPU_PERCENT,
  SATURATED_SAMPLES,
  SaturationWatch,
} from '../../../harness/observe/generator-health.ts';

t.test('a busy generator reads as busy, with its event loop lagging', async (t) => {
  const g = new GeneratorHealth();
  g.start();
  t.teardown(() => g.stop());
  g.read();
  await new Promise((r) => setTimeout(r, 20));
  // Hold the event loop for 300 ms.
  const end = performance.now() + 300;
  while (performance.now() < end) Math.sqrt(Math.random());
  await new Promise((r) => setTimeout(r, 20));
  const busy = g.read();
  // Blocking for 300 ms delays the loop by at least that, however busy the machine is.
  t.ok(busy.lagMaxMs > 100, `lag ${busy.lagMaxMs.toFixed(0)}ms`);
  await new Promise((r) => setTimeout(r, 300));
  const idle = g.read();
  // CPU shares depend on what else the machine runs; busy against idle does not.
  t.ok(
    busy.cpuPercent > idle.cpuPercent,
    `busy ${busy.cpuPercent.toFixed(0)}% over idle ${idle.cpuPercent.toFixed(0)}%`,
  );
  t.ok(idle.lagMaxMs < busy.lagMaxMs);
  t.ok(
    busy.loopCpuPercent! > idle.loopCpuPercent!,
    `event loop busy ${busy.loopCpuPercent!.toFixed(0)}% over idle ${idle.loopCpuPercent!.toFixed(0)}%`,
  );
});

t.test("a thread beside the event loop counts in the process's CPU, not in the loop's", async (t) => {
  const g = new GeneratorHealth();
  g.start();
  t.teardown(() => g.stop());
  g.read();
  // Another thread spins for 400 ms while the event loop waits for it.
  const w = new Worker(
    'const end = Date.now() + 400; while (Date.now() < end) Math.sqrt(Math.random()); process.exit(0);',
    { eval: true },
  );
  await once(w, 'exit');
  const r = g.read();
  t.ok(
    r.loopCpuPercent! < r.cpuPercent,
    `event loop ${r.loopCpuPercent!.toFixed(0)}%, process ${r.cpuPercent.toFixed(0)}%`,
  );
  t.equal(judgedCpu(r), r.loopCpuPercent, "saturation is judged on the loop's share");
  t.equal(judgedCpu({ cpuPercent: 95 }), 95, "without the loop's share, on the process's");
});

t.test('saturation counts readings in a row per generator, and a reading below starts over', async (t) => {
  const w = new SaturationWatch();
  const hot = SATURATED_CPU_PERCENT;
  for (let i = 1; i < SATURATED_SAMPLES; i++) t.equal(w.saturated('a', hot), undefined, `a: ${i} in a row`);
  t.equal(w.saturated('b', hot), undefined, 'b counts on its own');
  t.equal(w.saturated('a', hot), SATURATED_SAMPLES, 'a is saturated');
  t.equal(w.saturated('a', hot - 1), undefined);
  t.equal(w.saturated('a', hot), undefined, 'a starts over');
});
