// The harness side of the watchdog: starts it, registers guards, releases them, and lets it go.

import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { Safeguard } from '../../faults/types.ts';
import { HarnessError, HarnessErrorCode } from '../errors.ts';
import { spawnNodeChild } from './node-child.ts';

const MAIN = fileURLToPath(new URL('./watchdog-main.ts', import.meta.url));

export class Watchdog {
  readonly #child: ChildProcess;
  #ids = 0;

  private constructor(child: ChildProcess) {
    this.#child = child;
  }

  // Starts the watchdog and waits until it listens.
  static async start(): Promise<Watchdog> {
    // Without Node's type stripper: it does little, and costs a process of its own for the whole run.
    const child = spawnNodeChild(MAIN, { detached: true, stdio: ['pipe', 'pipe', 'inherit'] });
    const [chunk] = (await Promise.race([
      once(child.stdout!, 'data'),
      once(child, 'exit').then(() => {
        throw new HarnessError(HarnessErrorCode.Spawn, 'the watchdog exited before it was ready');
      }),
    ])) as [Buffer];
    if (!chunk.toString().startsWith('ready'))
      throw new HarnessError(HarnessErrorCode.Spawn, 'the watchdog did not start');
    child.stdout!.destroy();
    // Neither the process nor its pipe keeps the harness alive; the pipe closes when the harness exits.
    child.unref();
    (child.stdin as unknown as { unref?: () => void }).unref?.();
    return new Watchdog(child);
  }

  get pid(): number {
    return this.#child.pid!;
  }

  // Holds a guard until the returned release is called; if the harness dies first, the watchdog acts.
  guard(g: Safeguard): () => void {
    const id = String(++this.#ids);
    this.#write({ op: 'guard', id, guard: g });
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#write({ op: 'release', id });
    };
  }

  // Lets the watchdog go: it carries out guards still held, then exits.
  async close(): Promise<void> {
    const exited = this.#child.exitCode !== null ? Promise.resolve() : once(this.#child, 'exit');
    // Waiting for it must keep us alive now.
    this.#child.ref();
    this.#child.stdin?.end();
    await exited;
  }

  #write(m: unknown): void {
    if (this.#child.stdin?.writable) this.#child.stdin.write(`${JSON.stringify(m)}\n`);
  }
}
