import { SaxesParser } from 'saxes';
import t from 'tap';
import { renderJunit } from '../../reports/junit.ts';
import { handMadeRun } from './fixtures.ts';

type Case = {
  name: string;
  failure?: { message: string; type: string; body: string };
  error?: string;
  out?: string;
};

// Reads the testcases back with a real XML parser, so the file must be well-formed to pass.
const cases = (xml: string): { suite: Record<string, string>; cases: Case[] } => {
  const p = new SaxesParser();
  const out: Case[] = [];
  let suite: Record<string, string> = {};
  let text: string[] = [];
  p.on('opentag', (n) => {
    const a = n.attributes as Record<string, string>;
    if (n.name === 'testsuite') suite = a;
    if (n.name === 'testcase') out.push({ name: a['name']! });
    if (n.name === 'failure') out.at(-1)!.failure = { message: a['message']!, type: a['type']!, body: '' };
    if (n.name === 'error') out.at(-1)!.error = a['message']!;
    text = [];
  });
  p.on('text', (s) => text.push(s));
  p.on('closetag', (n) => {
    if (n.name === 'failure') out.at(-1)!.failure!.body = text.join('');
    if (n.name === 'system-out') out.at(-1)!.out = text.join('');
  });
  p.write(xml).close();
  return { suite, cases: out };
};

t.test('junit.xml has a testcase per check; failures carry the summary and the evidence', async (t) => {
  const { suite, cases: cs } = cases(renderJunit(handMadeRun(true)));
  t.same(
    cs.map((c) => c.name),
    ['listener.responsive', 'handles.noLeak', 'sessions.errorRate', 'latency'],
  );
  t.equal(suite['failures'], '4');
  const leak = cs.find((c) => c.name === 'handles.noLeak')!;
  t.equal(leak.failure?.type, 'fail');
  t.match(leak.failure?.message, /CLOSE_WAIT/);
  const evidence = JSON.parse(leak.failure!.body);
  // CLOSE_WAIT at its lowest after settle (the fixture's worker holds 14 at 5.5s, 18 at the final reading).
  t.equal(evidence.closeWait, 14);
  t.equal(evidence.subjects[1].pid, 300);
  const gap = JSON.parse(cs.find((c) => c.name === 'listener.responsive')!.failure!.body);
  t.same(gap.longestGap, { from: 2000, to: 3500, ms: 1500 });
});

t.test('a passing run has no failures; each testcase says what it saw', async (t) => {
  const { suite, cases: cs } = cases(renderJunit(handMadeRun(false)));
  t.equal(suite['failures'], '0');
  t.equal(cs.filter((c) => c.failure !== undefined).length, 0);
  t.match(cs[0]!.out, /answered throughout/);
});

t.test('in a reproduction the check expected to fail passes its testcase when it fails', async (t) => {
  const r = handMadeRun(true);
  r.expect = { fail: ['listener.responsive'] };
  const { suite, cases: cs } = cases(renderJunit(r));
  const gap = cs.find((c) => c.name === 'listener.responsive (expected to fail)')!;
  t.equal(gap.failure, undefined);
  t.equal(suite['failures'], '3');
});

t.test('an interrupted or invalid run adds an erroring run testcase', async (t) => {
  const r = handMadeRun(false);
  r.outcome = 'invalid';
  r.invalid = { code: 'RUN_GENERATOR_SATURATED', message: 'the load generator was saturated' };
  const { suite, cases: cs } = cases(renderJunit(r));
  t.equal(suite['errors'], '1');
  t.match(cs.at(-1), { name: 'run', error: /saturated/ });
});
