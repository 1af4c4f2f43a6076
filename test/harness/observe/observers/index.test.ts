import t from 'tap';
import {
  configuredObservers,
  observeSchema,
  suppliedFigures,
} from '../../../../harness/observe/observers/index.ts';

t.test(
  'proc reads local targets unless told otherwise; a remote target has only what the suite names',
  async (t) => {
    const none = observeSchema.parse({});
    t.same(
      configuredObservers(none, 'command').map(([o]) => o.name),
      ['proc'],
    );
    t.same(
      configuredObservers(none, 'host').map(([o]) => o.name),
      ['proc'],
    );
    t.same(configuredObservers(none, 'remote'), []);
    const both = observeSchema.parse({
      proc: { fdTargets: false },
      prometheus: { scrape: 'http://127.0.0.1:9256/metrics', exporter: 'process-exporter' },
    });
    t.same(
      configuredObservers(both, 'command').map(([o, s]) => [o.name, s]),
      [
        ['proc', { fdTargets: false }],
        ['prometheus', { scrape: 'http://127.0.0.1:9256/metrics', exporter: 'process-exporter', match: {} }],
      ],
    );
    t.same(
      suppliedFigures(
        observeSchema.parse({ prometheus: { scrape: 'http://127.0.0.1:1/m', exporter: 'node_exporter' } }),
        'remote',
      ),
      ['tcp'],
    );
  },
);

t.test('the observe block knows its observers by name and says what each expects', async (t) => {
  const unknown = observeSchema.safeParse({ promethus: {} });
  t.notOk(unknown.success);
  const bad = (o: unknown) => {
    const r = observeSchema.safeParse({ prometheus: o });
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };
  t.match(bad({ exporter: 'windows_exporter' }), [
    /either scrape \(an exporter\) or query \(a Prometheus server\)/,
  ]);
  t.match(bad({ scrape: 'http://127.0.0.1:1/metrics' }), [/an exporter, or figures naming your own metrics/]);
  t.match(
    bad({ scrape: 'http://127.0.0.1:1/metrics', exporter: 'windows_exporter', select: { process: '(' } }),
    [/select\.process: a regular expression/],
  );
  t.match(bad({ scrape: 'http://127.0.0.1:1/metrics', figures: { handles: { query: 'sum(x)' } } }), [
    /figures\.handles\.query: a query goes with query:/,
  ]);
  t.match(bad({ scrape: 'ftp://127.0.0.1/x', exporter: 'windows_exporter' }), [/an exporter's metrics URL/]);
  t.same(
    bad([
      { scrape: 'http://127.0.0.1:1/metrics', exporter: 'process-exporter' },
      { query: 'http://127.0.0.1:2', exporter: 'node_exporter' },
    ]),
    [],
    'a list of exporters',
  );
});
