import fc from 'fast-check';
import t from 'tap';
import { substituteEnv } from '../../../harness/suite/env.ts';
import { formatProblem } from '../../../harness/suite/load.ts';

const sub = (text: string, env: Record<string, string>) => {
  const r = substituteEnv(text, 's.yaml', env);
  if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
  return r;
};

const problems = (text: string, env: Record<string, string> = {}): string[] => {
  const r = substituteEnv(text, 's.yaml', env);
  return r.ok ? [] : r.problems.map(formatProblem);
};

t.test('${NAME} takes the variable, ${NAME:-default} the default when it is unset or empty', async (t) => {
  const text = 'a: ${A}\nb: { rate: ${B:-200}, x: 1 }\nc: "${C:-x y}"\nd: ${D:-}\n';
  t.equal(sub(text, { A: '1', C: '' }).text, 'a: 1\nb: { rate: 200, x: 1 }\nc: "x y"\nd: \n');
  t.equal(sub(text, { A: 'v', B: '5', C: 'z', D: 'w' }).text, 'a: v\nb: { rate: 5, x: 1 }\nc: "z"\nd: w\n');
  t.same(sub(text, { A: '1', C: '' }).notes, [
    '${A}: "1" from the environment',
    '${B:-200}: its default "200" (B is not set)',
    '${C:-x y}: its default "x y" (C is empty)',
    '${D:-}: its default "" (D is not set)',
  ]);
  t.equal(sub('a: ${A}\n', { A: '' }).text, 'a: \n', 'an empty variable without a default is empty');
});

t.test(
  'an unset variable without a default is a problem naming the file, line, column and variable',
  async (t) => {
    t.same(problems('name: x\nload:\n  - { rate: ${RATE}, duration: ${DUR} }\n', { DUR: '1s' }), [
      's.yaml:3:13 ${RATE}: RATE is not set in the environment and has no default (${RATE:-VALUE} gives one)',
    ]);
    t.same(problems('a: ${A}\nb: ${B}\n'), [
      's.yaml:1:4 ${A}: A is not set in the environment and has no default (${A:-VALUE} gives one)',
      's.yaml:2:4 ${B}: B is not set in the environment and has no default (${B:-VALUE} gives one)',
    ]);
  },
);

t.test('malformed references and values with a line break are refused where they are', async (t) => {
  t.same(problems('a: ${1X}\nb: ${OPEN\nc: ${A}\n', { A: 'x\ny' }), [
    's.yaml:1:4 ${1X}: expected ${NAME} or ${NAME:-default}, with a NAME of letters, digits and _',
    's.yaml:2:4 ${: expected ${NAME} or ${NAME:-default}: no } on this line',
    "s.yaml:3:4 ${A}: the value of A holds a line break, which would change the suite's structure",
  ]);
});

t.test('comments are left alone, and $${ writes ${', async (t) => {
  const text = '# ${UNSET} in a comment\na: 1 # and ${UNSET} here\nb: "# ${A}"\nc: $${A} and $${B:-x}\n';
  t.equal(
    sub(text, { A: 'v' }).text,
    '# ${UNSET} in a comment\na: 1 # and ${UNSET} here\nb: "# v"\nc: ${A} and ${B:-x}\n',
  );
});

t.test('a place in the new text maps back to the file', async (t) => {
  const r = sub('x: ${A}, y: ${LONG_NAME:-1}, z\n', { A: 'abcdefgh' });
  // 'x: abcdefgh, y: 1, z'
  t.same(r.toFile(1, 1), [1, 1]);
  t.same(r.toFile(1, 4), [1, 4], 'the start of a value is its reference');
  t.same(r.toFile(1, 9), [1, 4], 'inside a value is its reference');
  t.same(r.toFile(1, 12), [1, 8], 'after a value, shifted back');
  t.same(r.toFile(1, 17), [1, 13], 'the second value is its reference');
  t.same(r.toFile(1, 20), [1, 30], 'after both');
  t.same(r.toFile(2, 1), [2, 1], 'other lines do not move');
});

t.test('for any values, every character outside a reference maps back to itself', async (t) => {
  const word = fc.stringMatching(/^[a-z ]{0,6}$/);
  fc.assert(
    fc.property(
      fc.array(fc.tuple(word, fc.constantFrom('A', 'B', 'C'), fc.boolean()), { maxLength: 5 }),
      word,
      fc.record({ A: word, B: word, C: word }),
      (pieces, tail, env) => {
        let text = '';
        let expected = '';
        const plain: [number, number][] = [];
        for (const [before, name, fallback] of pieces) {
          for (let i = 0; i < before.length; i++) plain.push([text.length + i + 1, expected.length + i + 1]);
          const ref = fallback ? `\${${name}:-d}` : `\${${name}}`;
          text += before + ref;
          expected += before + (env[name] === '' && fallback ? 'd' : env[name]);
        }
        for (let i = 0; i < tail.length; i++) plain.push([text.length + i + 1, expected.length + i + 1]);
        text += tail;
        expected += tail;
        const r = substituteEnv(text, 's.yaml', env);
        return (
          r.ok &&
          r.text === expected &&
          plain.every(([inFile, inNew]) => {
            const [line, col] = r.toFile(1, inNew);
            return line === 1 && col === inFile;
          })
        );
      },
    ),
  );
  t.pass('values in, places out');
});

t.test('text without references is left as it is', async (t) => {
  fc.assert(
    fc.property(fc.string(), (text) => {
      const r = substituteEnv(text.replace(/\$\{/g, '$ {'), 's.yaml', {});
      return r.ok && r.text === text.replace(/\$\{/g, '$ {');
    }),
  );
  t.pass();
});
