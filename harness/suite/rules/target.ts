// The target names exactly one kind, with the fields that go with it: the host block's own cross-field
// rules, a command's port (and {port} where port is auto; {httpPort} where httpPort is auto, and only then).

import { hostBlockProblems } from '../host-schema.ts';
import { isObj, objAt, type RawIssue, type Rule, targetKindOfRaw } from './raw.ts';

export const targetRules: Rule = (raw) => {
  const target = objAt(raw, 'target');
  if (target === undefined) return [];
  const issues: RawIssue[] = [];
  const named = (['host', 'command', 'remote'] as const).filter((k) => target[k] !== undefined);
  if (named.length > 1)
    issues.push({
      path: ['target'],
      message: `expected either ${named.slice(0, -1).join(', ')} or ${named.at(-1)!}, not ${named.length === 2 ? 'both' : 'all three'}`,
    });
  else if (named.length === 0)
    issues.push({
      path: ['target'],
      message:
        'expected host (the built-in reference host), command (any program) or remote (a service already running), got none',
    });
  const kind = targetKindOfRaw(raw);
  if (kind === 'remote') {
    for (const k of ['port', 'env', 'cwd', 'stop'] as const) {
      if (target[k] !== undefined)
        issues.push({
          path: ['target', k],
          message: `${k} goes with a command target; the harness neither starts nor stops a remote one`,
          key: true,
        });
    }
  }
  if (kind === 'host') {
    for (const k of ['port', 'httpPort', 'env', 'cwd', 'stop'] as const) {
      if (target[k] !== undefined)
        issues.push({
          path: ['target', k],
          message: `${k} goes with a command target, not the built-in host`,
          key: true,
        });
    }
    // A service runs a worker or forwards.
    for (const p of hostBlockProblems(target['host']))
      issues.push({ path: ['target', 'host', ...p.path], message: p.message, key: true });
  }
  if (kind === 'command') {
    // A program that serves HTTP alone has no net.tcp port to name.
    if (target['port'] === undefined && target['httpPort'] === undefined)
      issues.push({
        path: ['target'],
        message:
          'expected port (auto, or the port the program listens on) with command, or httpPort for a program that serves HTTP only',
      });
    const argv = target['command'];
    const env = target['env'];
    const uses = (placeholder: string): boolean =>
      (Array.isArray(argv) && argv.some((a) => typeof a === 'string' && a.includes(placeholder))) ||
      (isObj(env) && Object.values(env).some((v) => typeof v === 'string' && v.includes(placeholder)));
    if (target['port'] === 'auto' && Array.isArray(argv) && !uses('{port}'))
      issues.push({
        path: ['target', 'command'],
        message:
          'port: auto hands the program a free port as {port}, but no argument or env value contains {port}',
      });
    if (target['httpPort'] === 'auto' && Array.isArray(argv) && !uses('{httpPort}'))
      issues.push({
        path: ['target', 'command'],
        message:
          'httpPort: auto hands the program a free port as {httpPort}, but no argument or env value contains {httpPort}',
      });
    if (target['httpPort'] === undefined && uses('{httpPort}'))
      issues.push({
        path: ['target', 'command'],
        message:
          '{httpPort} stands for target.httpPort, which is not set (auto, or the port the program serves HTTP on)',
      });
  }
  return issues;
};
