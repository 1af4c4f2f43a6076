// The sweep at the start of every run: journals whose owner is dead (a harness killed mid-fault) are
// read, and what they still list as open is healed from the journal alone, only where the process
// identity still matches (the fault's `recover`); then the journal is removed. Faults whose effect lived
// in the target (the host's activation delay, held sessions) died with it: the watchdog took the target
// down. A journal is claimed by renaming it first, so two runs starting at once never heal twice.

import { readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { FAULTS } from '../../faults/index.ts';
import { stateOf } from '../../faults/processes.ts';
import type { AnyFault } from '../../faults/types.ts';
import { readStat } from '../observe/proc.ts';
import { journalDir, type JournalLine, type JournalOwner } from './journal.ts';

// One fault a dead run left open, and what the sweep did about it.
export type SweptFault = { id: string; kind: string; label: string; actions: string[]; error?: string };

export type SweptJournal = { file: string; owner: JournalOwner | undefined; faults: SweptFault[] };

export type SweepResult = {
  journals: SweptJournal[];
  // What was done, for the console and the history: "nothing to heal", or one line per action.
  lines: string[];
  healed: number;
};

const CLAIM = '.sweeping-';

// Lines of a journal; a line torn by the crash is skipped.
const parse = (text: string): JournalLine[] =>
  text.split('\n').flatMap((l) => {
    if (l.trim() === '') return [];
    try {
      return [JSON.parse(l) as JournalLine];
    } catch {
      return [];
    }
  });

type Open = { id: string; kind: string; label: string; active?: unknown; hasActive: boolean };

// Faults with an intent and no heal, in the order they were injected.
export const openFaults = (lines: readonly JournalLine[]): Open[] => {
  const open = new Map<string, Open>();
  for (const l of lines) {
    if (l.type === 'intent') open.set(l.id, { id: l.id, kind: l.kind, label: l.label, hasActive: false });
    else if (l.type === 'active') {
      const o = open.get(l.id);
      if (o !== undefined) Object.assign(o, { active: l.active, hasActive: true });
    } else if (l.type === 'healed' || l.type === 'failed') open.delete(l.id);
  }
  return [...open.values()];
};

const sweepOne = async (
  path: string,
  lines: JournalLine[],
  faults: ReadonlyMap<string, AnyFault>,
): Promise<SweptJournal> => {
  const first = lines[0];
  const owner = first?.type === 'owner' ? first : undefined;
  const swept: SweptFault[] = [];
  // Heals run in reverse order of injection, as they would have.
  for (const o of openFaults(lines).reverse()) {
    const f: SweptFault = { id: o.id, kind: o.kind, label: o.label, actions: [] };
    const fault = faults.get(o.kind);
    if (o.hasActive && fault?.recover !== undefined) {
      try {
        f.actions = await fault.recover(o.active);
      } catch (e) {
        f.error = (e as Error).message;
      }
    }
    swept.push(f);
  }
  return { file: path, owner, faults: swept };
};

const describeOwner = (o: JournalOwner | undefined): string =>
  o === undefined ? 'a run' : `the run of ${o.suite} (pid ${o.pid}, started ${o.startedAt})`;

// Sweeps every journal whose owner is dead; live runs' journals are left alone.
export const sweepJournals = async (
  o: { dir?: string; faults?: ReadonlyMap<string, AnyFault> } = {},
): Promise<SweepResult> => {
  const dir = o.dir ?? journalDir();
  const faults = o.faults ?? FAULTS;
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    names = [];
  }
  const journals: SweptJournal[] = [];
  for (const name of names.filter((n) => n.includes('.ndjson'))) {
    const path = join(dir, name);
    const claimedBy = name.includes(CLAIM)
      ? Number(name.slice(name.lastIndexOf(CLAIM) + CLAIM.length))
      : undefined;
    // A journal another sweeper holds is theirs, unless that sweeper died too.
    if (claimedBy !== undefined && (await readStat(claimedBy)) !== undefined) continue;
    const text = await readFile(path, 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    const lines = parse(text);
    const first = lines[0];
    if (first?.type === 'owner' && (await stateOf(first)) !== undefined) continue;
    const claimed = `${path.replace(/\.sweeping-\d+$/, '')}${CLAIM}${process.pid}`;
    try {
      await rename(path, claimed);
    } catch {
      continue; // another run claimed it first
    }
    journals.push(await sweepOne(path, lines, faults));
    await rm(claimed, { force: true });
  }
  const healed = journals.reduce((n, j) => n + j.faults.reduce((m, f) => m + f.actions.length, 0), 0);
  const lines: string[] = [];
  for (const j of journals) {
    const owner = describeOwner(j.owner);
    for (const f of j.faults) {
      for (const a of f.actions) lines.push(`journal sweep: ${f.id} (${f.label}) of ${owner}: ${a}`);
      if (f.error !== undefined)
        lines.push(`journal sweep: ${f.id} (${f.label}) of ${owner}: could not heal: ${f.error}`);
    }
    if (j.faults.every((f) => f.actions.length === 0 && f.error === undefined)) {
      // Listed in the suite's order (the index after '#'), not the order they began: faults due at the
      // same moment start concurrently, and a message that changes between runs is harder to grep.
      const open = j.faults.map((f) => f.id).sort((a, b) => faultIndex(a) - faultIndex(b));
      lines.push(
        `journal sweep: nothing to heal from ${owner}` +
          (open.length === 0
            ? ''
            : ` (${open.join(', ')} still open: their processes are gone and their target died with that run)`),
      );
    }
  }
  if (journals.length === 0) lines.push('journal sweep: nothing to heal');
  return { journals, lines, healed };
};

function faultIndex(id: string): number {
  const n = Number(id.slice(id.lastIndexOf('#') + 1));
  return Number.isInteger(n) ? n : Number.MAX_SAFE_INTEGER;
}
