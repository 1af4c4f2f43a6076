// Where `run` writes. Without --out every run keeps a folder of its own, runs/SUITE/TIME/, and
// runs/SUITE/latest points at the newest, so a run can be compared with the one before it
// (`compare runs/SUITE/TIME runs/SUITE/latest`); with --out DIR a run writes DIR/SUITE/ as it always
// did, replacing the one before.

import { mkdir, rename, rm, symlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { SuiteRun } from '../suite/variants.ts';

// The folder runs go to without --out.
export const DEFAULT_RUNS = 'runs';

// The link in runs/SUITE/ to its newest run.
export const LATEST = 'latest';

// A start time as a folder name: sorts as text, no colons (2026-12-02T15-09-43Z).
export const runStamp = (d: Date): string =>
  d
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/:/g, '-');

// How many runs of one suite may start in the same second before claiming a folder gives up.
const SAME_SECOND = 1000;

// Creates a new folder PARENT/STAMP (PARENT/STAMP-2 and so on when a run that started in the same
// second has it) and returns it; never one an earlier run wrote.
export const claimFolder = async (parent: string, stamp: string): Promise<string> => {
  await mkdir(parent, { recursive: true });
  for (let n = 1; n <= SAME_SECOND; n++) {
    const dir = join(parent, n === 1 ? stamp : `${stamp}-${n}`);
    try {
      await mkdir(dir);
      return dir;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  throw new Error(`${parent}: ${SAME_SECOND} runs started at ${stamp} already`);
};

// Points PARENT/latest at `dir` (a folder in PARENT), replacing the link in one rename so a reader
// never finds it missing.
export const pointLatest = async (parent: string, dir: string): Promise<void> => {
  const temporary = join(parent, `.${LATEST}-${process.pid}`);
  await rm(temporary, { force: true });
  await symlink(basename(dir), temporary);
  await rename(temporary, join(parent, LATEST));
};

// Runs that share a folder: a suite alone, or the variants of one suite file together (its folder
// holds SUITE.VARIANT/ for each and the table of them, like an --out folder).
export type FolderGroup = { name: string; runs: SuiteRun[] };

// The runs of one command in order, grouped by the folder they share.
export const folderGroups = (runs: readonly SuiteRun[]): FolderGroup[] => {
  const groups: FolderGroup[] = [];
  for (const run of runs) {
    const last = groups.at(-1);
    const previous = last?.runs.at(-1);
    const sameFile =
      run.variant !== undefined &&
      previous?.variant?.of === run.variant.of &&
      previous.file === run.file &&
      // A variant name comes once per file: seeing it again means the file was named twice.
      !last!.runs.some((r) => r.variant?.name === run.variant!.name);
    if (sameFile) last!.runs.push(run);
    else groups.push({ name: run.variant?.of ?? run.suite.name, runs: [run] });
  }
  return groups;
};
