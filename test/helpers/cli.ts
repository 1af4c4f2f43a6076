// Runs the real command line in a child process.

import { fileURLToPath } from 'node:url';
import { execa, type Result } from 'execa';

export const CLI = fileURLToPath(new URL('../../bin/nettcp-chaos.js', import.meta.url));

export const runCli = (
  args: string[],
  options: { timeout?: number; cwd?: string; env?: Record<string, string> } = {},
): Promise<Result> =>
  execa(process.execPath, [CLI, ...args], {
    reject: false,
    timeout: options.timeout ?? 60_000,
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    ...(options.env === undefined ? {} : { env: options.env }),
  });
