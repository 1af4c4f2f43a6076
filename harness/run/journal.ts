// The fault journal: one append-only NDJSON file per run in a state directory that outlives runs. It
// names its owner (pid and start time), then for each fault its intent (written and fsynced before the
// fault acts), its active state (what heal needs), and its heal. A run that ends with every fault closed
// removes its journal; one that dies leaves it for the next run's sweep (journal-sweep.ts).
// Written with synchronous fs calls: a line is on disk before the fault acts, and lines are rare.

import { closeSync, fsyncSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { readStat } from '../observe/proc.ts';
import { JournalError } from '../errors.ts';
export { JournalError } from '../errors.ts';

// Where journals live: $NETTCP_CHAOS_STATE_DIR, else $XDG_STATE_HOME/nettcp-chaos, else
// ~/.local/state/nettcp-chaos; journals in its `journals` folder.
export const journalDir = (env: NodeJS.ProcessEnv = process.env): string =>
  join(
    env['NETTCP_CHAOS_STATE_DIR'] ??
      join(env['XDG_STATE_HOME'] ?? join(homedir(), '.local', 'state'), 'nettcp-chaos'),
    'journals',
  );

// The run a journal belongs to.
export type JournalOwner = { pid: number; starttime: number; suite: string; startedAt: string };

// One line of a journal.
export type JournalLine =
  | ({ type: 'owner' } & JournalOwner)
  | { type: 'intent'; id: string; kind: string; label: string; spec: unknown; at: string }
  | { type: 'active'; id: string; active: unknown; at: string }
  | { type: 'healed'; id: string; at: string }
  // The fault did not take effect (its inject failed and undid itself): nothing to heal.
  | { type: 'failed'; id: string; message: string; at: string }
  // Heal failed: the fault stays open for the next sweep.
  | { type: 'heal-failed'; id: string; message: string; at: string };

export class Journal {
  readonly path: string;
  #fd: number | undefined;
  // Faults whose intent is written and that are not closed yet.
  #open = new Set<string>();

  private constructor(path: string, fd: number) {
    this.path = path;
    this.#fd = fd;
  }

  // Creates this run's journal and writes its owner line.
  static async open(suite: string, dir = journalDir()): Promise<Journal> {
    const self = await readStat(process.pid);
    const startedAt = new Date().toISOString();
    const name = `${startedAt.replace(/[:.]/g, '-')}-${process.pid}-${suite.replace(/[^\w.-]/g, '_')}.ndjson`;
    const path = join(dir, name);
    let fd: number;
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      fd = openSync(path, 'wx', 0o600);
    } catch (e) {
      throw new JournalError(`cannot create the fault journal ${path}: ${(e as Error).message}`, {
        cause: e,
      });
    }
    const j = new Journal(path, fd);
    j.#write({ type: 'owner', pid: process.pid, starttime: self?.starttime ?? 0, suite, startedAt }, true);
    return j;
  }

  // The fault is about to act: on disk (fsynced) before it does.
  intent(id: string, kind: string, label: string, spec: unknown): void {
    this.#open.add(id);
    this.#write({ type: 'intent', id, kind, label, spec, at: new Date().toISOString() }, true);
  }

  // What heal needs, once the fault acted.
  active(id: string, active: unknown): void {
    this.#write({ type: 'active', id, active: active ?? null, at: new Date().toISOString() }, true);
  }

  healed(id: string): void {
    this.#open.delete(id);
    this.#write({ type: 'healed', id, at: new Date().toISOString() });
  }

  failed(id: string, message: string): void {
    this.#open.delete(id);
    this.#write({ type: 'failed', id, message, at: new Date().toISOString() });
  }

  healFailed(id: string, message: string): void {
    this.#write({ type: 'heal-failed', id, message, at: new Date().toISOString() });
  }

  // Faults still open (intent written, not healed).
  get open(): string[] {
    return [...this.#open];
  }

  // Closes the file; removes it when nothing is left open, keeps it for the next sweep otherwise.
  close(): void {
    if (this.#fd === undefined) return;
    closeSync(this.#fd);
    this.#fd = undefined;
    if (this.#open.size === 0) rmSync(this.path, { force: true });
  }

  #write(line: JournalLine, sync = false): void {
    if (this.#fd === undefined) throw new JournalError(`the fault journal ${this.path} is closed`);
    try {
      writeSync(this.#fd, `${JSON.stringify(line)}\n`);
      if (sync) fsyncSync(this.#fd);
    } catch (e) {
      throw new JournalError(`cannot write the fault journal ${this.path}: ${(e as Error).message}`, {
        cause: e,
      });
    }
  }
}
