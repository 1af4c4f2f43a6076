import fc from 'fast-check';
import t from 'tap';
import { parsePrometheusText } from '../../../../harness/observe/prometheus/text.ts';

t.test(
  'samples are read with their labels, escapes undone, and HELP, TYPE, timestamps skipped',
  async (t) => {
    const text = [
      '# HELP windows_process_info Process information.',
      '# TYPE windows_process_info gauge',
      'windows_process_info{cmdline="C:\\\\inetsrv\\\\w3wp.exe -ap \\"Orders\\"",process="w3wp",process_id="123"} 1',
      'windows_process_handles{process="SMSvcHost",process_id="4321",} 312 1700000000000',
      'namedprocess_namegroup_num_procs{groupname="leaky"} 1.5e+00',
      'up NaN',
      'x_total +Inf # {trace_id="abc"} 1.0',
      '',
    ].join('\n');
    t.same(parsePrometheusText(text), [
      {
        name: 'windows_process_info',
        labels: { cmdline: 'C:\\inetsrv\\w3wp.exe -ap "Orders"', process: 'w3wp', process_id: '123' },
        value: 1,
      },
      { name: 'windows_process_handles', labels: { process: 'SMSvcHost', process_id: '4321' }, value: 312 },
      { name: 'namedprocess_namegroup_num_procs', labels: { groupname: 'leaky' }, value: 1.5 },
      { name: 'up', labels: {}, value: NaN },
      { name: 'x_total', labels: {}, value: Infinity },
    ]);
  },
);

t.test('a line that is no sample fails the whole read, naming the line', async (t) => {
  t.throws(() => parsePrometheusText('ok 1\nbroken{a="x" 2\n'), {
    code: 'OBSERVE_PROM_TEXT',
    message: /^line 2: /,
  });
  t.throws(() => parsePrometheusText('no_value\n'), { message: /line 1: expected a value/ });
});

const name = fc.stringMatching(/^[a-zA-Z_:][a-zA-Z0-9_:]{0,20}$/);
const labelName = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,12}$/);
const escape = (v: string) => v.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');

t.test('what an exporter writes is read back as it was (any names, label values, numbers)', async () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.record({
          name,
          labels: fc.dictionary(labelName, fc.string({ maxLength: 30 }), { maxKeys: 4 }),
          value: fc.double({ noNaN: true }),
        }),
        { maxLength: 8 },
      ),
      (samples) => {
        const text = samples
          .map((s) => {
            const labels = Object.entries(s.labels).map(([k, v]) => `${k}="${escape(v)}"`);
            const value = s.value === Infinity ? '+Inf' : s.value === -Infinity ? '-Inf' : String(s.value);
            return `# TYPE ${s.name} gauge\n${s.name}${labels.length > 0 ? `{${labels.join(',')}}` : ''} ${value}`;
          })
          .join('\n');
        const back = parsePrometheusText(text);
        return (
          back.length === samples.length &&
          back.every(
            (b, i) =>
              b.name === samples[i]!.name &&
              Object.is(b.value, samples[i]!.value === 0 ? b.value : samples[i]!.value) &&
              JSON.stringify(b.labels) === JSON.stringify(samples[i]!.labels),
          )
        );
      },
    ),
    { numRuns: 500 },
  );
});

t.test('any text either parses or fails with the parser’s own error, never anything else', async () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 200 }), (s) => {
      try {
        return Array.isArray(parsePrometheusText(s));
      } catch (e) {
        return (e as { code?: string }).code === 'OBSERVE_PROM_TEXT';
      }
    }),
    { numRuns: 2000 },
  );
});
