// Names that must refer to something: load names are unique (they label reports), and an expectation
// names checks the suite configures.

import { isObj, itemsAt, type RawIssue, type Rule } from './raw.ts';

const uniqueLoads: Rule = (raw) => {
  const seen = new Map<string, number>();
  return itemsAt(raw, 'load').flatMap(([l, i]): RawIssue[] => {
    const name = l['name'];
    if (typeof name !== 'string') return [];
    const first = seen.get(name);
    seen.set(name, i);
    return first === undefined
      ? []
      : [
          {
            path: ['load', i, 'name'],
            message: `expected a name no other load has (load[${first}] is ${JSON.stringify(name)})`,
          },
        ];
  });
};

const expectedChecks: Rule = (raw) => {
  const expect = raw['expect'];
  if (!isObj(expect) || !Array.isArray(expect['fail'])) return [];
  const configured = isObj(raw['checks']) ? Object.keys(raw['checks']) : [];
  return expect['fail'].flatMap((name, i): RawIssue[] =>
    typeof name === 'string' && !configured.includes(name)
      ? [
          {
            path: ['expect', 'fail', i],
            message: `expected one of the suite's checks (${configured.join(', ') || 'none configured'}), got ${JSON.stringify(name)}`,
          },
        ]
      : [],
  );
};

export const nameRules: Rule = (raw) => [...uniqueLoads(raw), ...expectedChecks(raw)];
