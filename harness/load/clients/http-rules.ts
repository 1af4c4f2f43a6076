// The cross-field rules of HTTP loads and the HTTP probe: a request is a SOAP call or a plain request, not
// both; a relative url needs a target that serves HTTP (a program's httpPort); an absolute one stays on
// loopback unless the suite allows remote load; a closed model's connections are its sessions.

import {
  isObj,
  itemsAt,
  loopbackName,
  objAt,
  type RawIssue,
  targetKindOfRaw,
} from '../../suite/rules/raw.ts';
import { MODELS } from '../models/index.ts';

// The problems of one url (or of its absence, `at` the load) against the raw suite.
const urlProblems = (raw: Record<string, unknown>, url: unknown, path: (string | number)[]): RawIssue[] => {
  if (url !== undefined && typeof url !== 'string') return [];
  if (typeof url === 'string' && !url.startsWith('/')) {
    if (raw['allowRemote'] === true || !URL.canParse(url)) return [];
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    return loopbackName(host)
      ? []
      : [
          {
            path,
            message: `expected a loopback host unless allowRemote is true, got ${JSON.stringify(host)}`,
          },
        ];
  }
  const kind = targetKindOfRaw(raw);
  const where = url === undefined ? path.slice(0, -1) : path;
  if (kind === 'host')
    return [
      {
        path: where,
        message: `the reference host serves no HTTP: give an absolute url (http://HOST:PORT/PATH)${url === undefined ? ', or url: with one' : ''}`,
        key: url === undefined,
      },
    ];
  if (kind === 'command' && objAt(raw, 'target')?.['httpPort'] === undefined)
    return [
      {
        path: where,
        message: `${url === undefined ? 'a load without a url goes to' : 'a relative url resolves against'} the target's HTTP address: set target.httpPort (auto, or the port the program serves HTTP on), or give an http:// url`,
        key: url === undefined,
      },
    ];
  return [];
};

export const httpRules = (raw: Record<string, unknown>): RawIssue[] => {
  const issues: RawIssue[] = [];
  for (const [load, i] of itemsAt(raw, 'load')) {
    if (load['client'] !== 'http') continue;
    const at = ['load', i];
    const hasSoap = load['soap'] !== undefined;
    const hasRequest = load['request'] !== undefined;
    if (hasSoap && hasRequest)
      issues.push({
        path: [...at, 'request'],
        message: 'expected either soap (a SOAP call) or request (a plain request), not both',
        key: true,
      });
    else if (!hasSoap && !hasRequest)
      issues.push({
        path: at,
        message:
          'expected soap (a SOAP call: { version, operation, params }) or request (a plain request: { method, path, headers, body })',
      });
    issues.push(...urlProblems(raw, load['url'], [...at, 'url']));
    const model = typeof load['model'] === 'string' ? MODELS.get(load['model']) : undefined;
    if (model?.kind === 'closed' && load['connections'] !== undefined)
      issues.push({
        path: [...at, 'connections'],
        message: `${model.name} opens one connection per session: set sessions, not connections (which sizes an open model's pool)`,
        key: true,
      });
  }
  const probe = objAt(raw, 'probe');
  if (isObj(probe) && probe['url'] !== undefined)
    issues.push(...urlProblems(raw, probe['url'], ['probe', 'url']));
  return issues;
};
