// Which metrics of each exporter give which figure, as the exporters name them:
// - windows_exporter (process collector, per process: `process` and `process_id` labels; tcp collector,
//   the whole host: windows_tcp_connections_state_count{af,state});
// - process-exporter (namedprocess_namegroup_* per `groupname`; checked against Debian's 0.7.10);
// - node_exporter (the tcpstat collector: node_tcp_connection_states{state}, the whole host).
// A figure may name several metrics: the first one present is read (older windows_exporter releases
// named the working set windows_process_working_set).

import type { FigureName } from '../../../model/figures.ts';

export const EXPORTERS = ['windows_exporter', 'process-exporter', 'node_exporter'] as const;
export type ExporterName = (typeof EXPORTERS)[number];

// How one figure is read from samples.
export type MetricRule = {
  metrics: readonly string[];
  // Labels a sample must have (memtype="resident").
  where?: Readonly<Record<string, string>>;
  // Per process or group: the label `select.process` matches and that names the subject; absent: the
  // whole host.
  nameLabel?: string;
  // The label holding a process id (the subject is then one process).
  pidLabel?: string;
  // A breakdown label (tcp: state), its values normalised; samples are summed per value.
  partsLabel?: string;
  // Values of the parts label that are no part (node_exporter's queued bytes).
  skipParts?: readonly string[];
  // A cumulative count of CPU seconds: the figure is its rate, in percent of a core.
  counter?: boolean;
  // Samples of a subject with this label's value 0 are no reading (a process-exporter group with no
  // process in it keeps its series at 0).
  emptyWhen?: { metric: string };
};

export type ExporterMapping = Partial<Record<FigureName, MetricRule>> & {
  // processes: the number of distinct processes among a figure's subjects (windows_exporter lists each).
  countProcessesOf?: FigureName;
};

// TCP state names as /proc/net/tcp names them (ESTABLISHED, CLOSE_WAIT, LISTEN, ...).
export const normaliseState = (s: string): string => {
  const u = s.toUpperCase();
  return u === 'LISTENING' ? 'LISTEN' : u === 'SYN_RECEIVED' ? 'SYN_RECV' : u === 'CLOSED' ? 'CLOSE' : u;
};

const windowsProcess = { nameLabel: 'process', pidLabel: 'process_id' } as const;
const namegroup = {
  nameLabel: 'groupname',
  emptyWhen: { metric: 'namedprocess_namegroup_num_procs' },
} as const;

export const MAPPINGS: Readonly<Record<ExporterName, ExporterMapping>> = {
  windows_exporter: {
    handles: { metrics: ['windows_process_handles'], ...windowsProcess },
    rss: { metrics: ['windows_process_working_set_bytes', 'windows_process_working_set'], ...windowsProcess },
    private: { metrics: ['windows_process_private_bytes'], ...windowsProcess },
    cpu: { metrics: ['windows_process_cpu_time_total'], counter: true, ...windowsProcess },
    threads: { metrics: ['windows_process_threads'], ...windowsProcess },
    tcp: { metrics: ['windows_tcp_connections_state_count'], partsLabel: 'state' },
    countProcessesOf: 'handles',
  },
  'process-exporter': {
    handles: { metrics: ['namedprocess_namegroup_open_filedesc'], ...namegroup },
    rss: { metrics: ['namedprocess_namegroup_memory_bytes'], where: { memtype: 'resident' }, ...namegroup },
    cpu: { metrics: ['namedprocess_namegroup_cpu_seconds_total'], counter: true, ...namegroup },
    threads: { metrics: ['namedprocess_namegroup_num_threads'], ...namegroup },
    processes: { metrics: ['namedprocess_namegroup_num_procs'], nameLabel: 'groupname' },
  },
  node_exporter: {
    tcp: {
      metrics: ['node_tcp_connection_states'],
      partsLabel: 'state',
      skipParts: ['rx_queued_bytes', 'tx_queued_bytes'],
    },
  },
};

// The figures an exporter's mapping supplies.
export const figuresOf = (m: ExporterMapping): FigureName[] => [
  ...(Object.keys(m).filter((k) => k !== 'countProcessesOf') as FigureName[]),
  ...(m.countProcessesOf === undefined || m.processes !== undefined ? [] : (['processes'] as const)),
];
