// Verdicts: what a check concluded (pass, fail or unknown), with its evidence, and how it shows in a
// report (facts, tables, marks on the charts), so reports render any check without knowing it.

export type Status = 'pass' | 'fail' | 'unknown';

// A table cell as people read it; `strong` marks what matters (a limit passed, "never").
export type Cell = string | { text: string; strong: true };

export type ViewTable = {
  // A line above the table.
  caption?: string;
  columns: string[];
  rows: Cell[][];
  // Rows worth a look.
  hot?: boolean[];
};

// Where a verdict shows on the report's charts (run times in ms). A band with a `key` replaces the
// report's own band of that key (the probe chart's longest gap, say); a line is a straight segment in the
// chart's own figure (bytes on the memory chart), a fitted trend say.
export type ChartMark =
  | { kind: 'marker'; t: number; label: string; style: 'climb' | 'dark' }
  | { kind: 'band'; from: number; to: number; label: string; style: 'gap'; chart: string; key?: string }
  | {
      kind: 'line';
      chart: string;
      from: { t: number; v: number };
      to: { t: number; v: number };
      label: string;
    };

export type VerdictView = {
  facts: [string, Cell][];
  tables: ViewTable[];
  marks: ChartMark[];
};

export type Verdict = {
  check: string;
  status: Status;
  // What happened, in words a support engineer can paste into a ticket.
  summary: string;
  evidence: Record<string, unknown>;
  view?: VerdictView;
};

// Jepsen's merge: fail over unknown over pass.
export const mergeStatus = (statuses: readonly Status[]): Status =>
  statuses.includes('fail') ? 'fail' : statuses.includes('unknown') ? 'unknown' : 'pass';
