import t from 'tap';
import { judge } from '../../model/expect.ts';
import { outcomeHeader } from '../../reports/html-sections.ts';
import { verdictCards } from '../../reports/html-verdicts.ts';
import { handMadeRun } from './fixtures.ts';

// The defective hand-made run as a reproduction that expects exactly the checks it failed.
const reproduction = () => {
  const r = handMadeRun(true);
  const failing = r.verdicts.filter((v) => v.status === 'fail').map((v) => v.check);
  r.expect = { fail: failing };
  r.judgement = judge(r.verdicts, r.expect);
  r.outcome = 'met';
  r.exitCode = 0;
  return { r, failing };
};

t.test('a reproduction that met its expectation says so in its own colour, naming the checks', async (t) => {
  const { r, failing } = reproduction();
  t.equal(r.judgement.met, true);
  const html = outcomeHeader(r);
  t.match(
    html,
    /^<header class="outcome reproduced"><h1>hand-made <span class="result">reproduced as expected<\/span><\/h1>/,
  );
  t.match(
    html,
    new RegExp(
      `<p class="expected-line">reproduced as expected: these checks failed as the suite expects: <b>${failing.join(', ').replace(/\./g, '\\.')}</b></p>`,
    ),
  );
  t.notMatch(html, /outcome met/, 'not the green of an all-clear');
});

t.test('its failing cards say expected, not alarm', async (t) => {
  const { r } = reproduction();
  const cards = verdictCards(r);
  const first = cards.split('\n')[0]!;
  t.match(first, /^<article class="verdict fail expected" id="check-listener\.responsive">/);
  t.match(first, /<span class="badge expected">FAIL · expected<\/span>/);
  t.match(first, /expected: the suite reproduces this failure/);
  t.notMatch(cards, /not as expected/);
});

t.test('a failure nobody expected is still the alarm', async (t) => {
  const cards = verdictCards(handMadeRun(true));
  t.match(
    cards,
    /<article class="verdict fail" id="check-listener\.responsive"><header><span class="badge fail">FAIL<\/span>/,
  );
  t.match(cards, /not as expected/);
  t.notMatch(outcomeHeader(handMadeRun(true)), /reproduced/);
});
