import t from 'tap';
import { MAPPINGS } from '../../../../harness/observe/prometheus/exporters.ts';
import { ReadingMaker } from '../../../../harness/observe/prometheus/readings.ts';
import { parsePrometheusText } from '../../../../harness/observe/prometheus/text.ts';

// As Debian's prometheus-process-exporter 0.7.10 writes them (trimmed), with a group that has no
// process left (its series stay at 0).
const PROCESS_EXPORTER = `
namedprocess_namegroup_cpu_seconds_total{groupname="leaky",mode="system"} 1.5
namedprocess_namegroup_cpu_seconds_total{groupname="leaky",mode="user"} 2.5
namedprocess_namegroup_memory_bytes{groupname="leaky",memtype="proportionalResident"} 228352
namedprocess_namegroup_memory_bytes{groupname="leaky",memtype="resident"} 1.695744e+06
namedprocess_namegroup_memory_bytes{groupname="leaky",memtype="virtual"} 2.99008e+06
namedprocess_namegroup_num_procs{groupname="leaky"} 1
namedprocess_namegroup_num_threads{groupname="leaky"} 7
namedprocess_namegroup_open_filedesc{groupname="leaky"} 21
namedprocess_namegroup_num_procs{groupname="gone"} 0
namedprocess_namegroup_open_filedesc{groupname="gone"} 0
namedprocess_namegroup_open_filedesc{groupname="other"} 99
namedprocess_namegroup_num_procs{groupname="other"} 1
`;

t.test(
  'process-exporter: a group’s fds, resident memory, threads and processes; empty groups give none',
  async (t) => {
    const m = new ReadingMaker({
      rules: MAPPINGS['process-exporter'],
      select: /^(?:leaky|gone)$/,
      match: {},
    });
    const first = m.all(parsePrometheusText(PROCESS_EXPORTER), 1000);
    const byFigure = Object.fromEntries(
      first.filter((r) => r.subject.name === 'leaky').map((r) => [r.figure, r]),
    );
    t.match(byFigure['handles'], {
      subject: { key: 'group:leaky', name: 'leaky', scope: 'group' },
      value: 21,
      metric: 'namedprocess_namegroup_open_filedesc',
      labels: { groupname: 'leaky' },
    });
    t.match(byFigure['rss'], { value: 1695744, labels: { memtype: 'resident', groupname: 'leaky' } });
    t.match(byFigure['threads'], { value: 7 });
    t.match(byFigure['processes'], { value: 1 });
    t.equal(byFigure['cpu'], undefined, 'CPU needs two readings');
    t.notOk(
      first.some((r) => r.subject.name === 'gone' && r.figure === 'handles'),
      'no zero for an empty group',
    );
    t.notOk(
      first.some((r) => r.subject.name === 'other'),
      'only the selection',
    );
    const second = m.all(
      parsePrometheusText(PROCESS_EXPORTER.replace('mode="user"} 2.5', 'mode="user"} 3.0')),
      2000,
    );
    t.match(
      second.find((r) => r.figure === 'cpu'),
      { value: 50 },
      'half a CPU second over one second: 50% of a core',
    );
  },
);

const WINDOWS = `
windows_process_handles{process="SMSvcHost",process_id="2040"} 412
windows_process_handles{process="w3wp",process_id="5120"} 903
windows_process_handles{process="w3wp",process_id="6144"} 870
windows_process_handles{process="svchost",process_id="800"} 300
windows_process_working_set_bytes{process="SMSvcHost",process_id="2040"} 3.3e+07
windows_process_private_bytes{process="SMSvcHost",process_id="2040"} 2.1e+07
windows_process_threads{process="SMSvcHost",process_id="2040"} 12
windows_process_cpu_time_total{mode="privileged",process="SMSvcHost",process_id="2040"} 10
windows_process_cpu_time_total{mode="user",process="SMSvcHost",process_id="2040"} 20
windows_tcp_connections_state_count{af="ipv4",state="ESTABLISHED"} 40
windows_tcp_connections_state_count{af="ipv6",state="ESTABLISHED"} 2
windows_tcp_connections_state_count{af="ipv4",state="CLOSE_WAIT"} 3
windows_tcp_connections_state_count{af="ipv4",state="LISTENING"} 20
windows_tcp_connections_state_count{af="ipv4",state="TIME_WAIT"} 100
`;

t.test(
  'windows_exporter: each selected process by pid, and the host’s TCP states by /proc’s names',
  async (t) => {
    const m = new ReadingMaker({
      rules: MAPPINGS.windows_exporter,
      countProcessesOf: MAPPINGS.windows_exporter.countProcessesOf,
      select: /^(?:SMSvcHost|w3wp)$/,
      match: {},
    });
    const r = m.all(parsePrometheusText(WINDOWS), 1000);
    const handles = r.filter((x) => x.figure === 'handles');
    t.same(
      handles.map((x) => [x.subject.key, x.subject.name, x.value]),
      [
        ['pid:2040', 'SMSvcHost', 412],
        ['pid:5120', 'w3wp', 903],
        ['pid:6144', 'w3wp', 870],
      ],
    );
    t.same(handles[0]!.labels, { process: 'SMSvcHost', process_id: '2040' });
    t.match(
      r.find((x) => x.figure === 'tcp'),
      {
        subject: { scope: 'host' },
        parts: { ESTABLISHED: 42, CLOSE_WAIT: 3, LISTEN: 20, TIME_WAIT: 100 },
      },
    );
    t.match(
      r.find((x) => x.figure === 'processes'),
      { value: 3, metric: 'count of windows_process_handles' },
    );
    t.match(
      r.find((x) => x.figure === 'rss'),
      { value: 33_000_000, metric: 'windows_process_working_set_bytes' },
    );
    t.match(
      r.find((x) => x.figure === 'private'),
      { value: 21_000_000 },
    );
  },
);

t.test(
  'windows_exporter before 0.30: the working set under its old name, duplicates named w3wp#2',
  async (t) => {
    const m = new ReadingMaker({ rules: MAPPINGS.windows_exporter, select: /^(?:w3wp)$/, match: {} });
    const r = m.all(
      parsePrometheusText(
        'windows_process_working_set{creating_process_id="1",process="w3wp#2",process_id="77"} 5e+07\n',
      ),
      1000,
    );
    t.match(r, [
      { figure: 'rss', subject: { key: 'pid:77', name: 'w3wp' }, metric: 'windows_process_working_set' },
    ]);
  },
);

t.test('node_exporter: the host’s TCP states, without the queued-bytes pseudo-states', async (t) => {
  const m = new ReadingMaker({ rules: MAPPINGS.node_exporter, match: {} });
  const r = m.all(
    parsePrometheusText(
      [
        'node_tcp_connection_states{state="established"} 12',
        'node_tcp_connection_states{state="close_wait"} 2',
        'node_tcp_connection_states{state="listen"} 5',
        'node_tcp_connection_states{state="rx_queued_bytes"} 4096',
      ].join('\n'),
    ),
    1000,
  );
  t.same(
    r.map((x) => [x.figure, x.subject.key, x.value, x.parts]),
    [['tcp', 'host', 19, { ESTABLISHED: 12, CLOSE_WAIT: 2, LISTEN: 5 }]],
  );
});

t.test('match keeps only the series with those labels (one instance of many in a server)', async (t) => {
  const m = new ReadingMaker({ rules: MAPPINGS['process-exporter'], match: { instance: 'a:9256' } });
  const r = m.all(
    parsePrometheusText(
      [
        'namedprocess_namegroup_open_filedesc{groupname="x",instance="a:9256"} 5',
        'namedprocess_namegroup_open_filedesc{groupname="x",instance="b:9256"} 50',
      ].join('\n'),
    ),
    1000,
  );
  t.match(
    r.filter((x) => x.figure === 'handles'),
    [{ value: 5 }],
  );
});
