import t from 'tap';
import { faultSchedule, loadEndMs, withLoadDuration } from '../../../harness/suite/fault-schedule.ts';
import { formatProblem, loadSuiteText } from '../../../harness/suite/load.ts';

const suite = (extra: string) => {
  const r = loadSuiteText(
    `name: s
target: { host: { services: [{ path: /a }] } }
load:
  - { name: a, via: /a, model: constant-arrival-rate, rate: 5, duration: 60s }
  - { name: b, via: /a, model: ramping-arrival-rate, startAt: 10s, stages: [{ target: 10, duration: 10s }, { target: 0, duration: 20s }] }
${extra}`,
    's.yaml',
  );
  if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
  return r.loaded.suite;
};

t.test(
  'a repeating fault comes back every period while load runs, each occurrence its own fault',
  async (t) => {
    const s = suite(
      'faults:\n  - { kind: recycle, at: 10s, every: 20s, path: /a }\n  - { kind: recycle, at: 5s, path: /a }\n',
    );
    t.equal(loadEndMs(s), 60_000);
    t.same(
      faultSchedule(s).map((f) => [f.id, f.at, f.occurrence]),
      [
        ['recycle#0/1', 10_000, { n: 1, of: 3 }],
        ['recycle#0/2', 30_000, { n: 2, of: 3 }],
        ['recycle#0/3', 50_000, { n: 3, of: 3 }],
        ['recycle#1', 5_000, undefined],
      ],
    );
  },
);

t.test('a repeat no longer than the fault itself is refused', async (t) => {
  const r = loadSuiteText(
    'name: s\ntarget: { host: { services: [{ path: /a }] } }\nload: [{ name: a, via: /a, model: constant-sessions, sessions: 1, duration: 5s }]\nfaults: [{ kind: pause, at: 1s, duration: 3s, every: 3s, path: /a }]\n',
    's.yaml',
  );
  t.match(!r.ok && r.problems.map(formatProblem), [
    /faults\[0\]\.every: expected a repeat longer than the fault lasts \(duration 3s\), got "3s"/,
  ]);
});

t.test('--duration sets constant loads to it and scales a ramp, keeping its shape', async (t) => {
  const s = withLoadDuration(suite(''), 15_000);
  t.match(s.load[0], { duration: 15_000 });
  const ramp = s.load[1];
  t.ok(ramp?.model === 'ramping-arrival-rate' && ramp.stages.map((x) => x.duration).join() === '5000,10000');
  t.equal(loadEndMs(s), 25_000, 'the ramp still starts at 10s');
});
