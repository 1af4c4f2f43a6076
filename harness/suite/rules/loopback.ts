// Load goes only to loopback unless the suite sets allowRemote: the host's listen address, its forwards,
// and every absolute via.

import { loopbackName, objAt, type RawIssue, type Rule, targetKindOfRaw, viasOf } from './raw.ts';

export const loopbackRules: Rule = (raw) => {
  const allowRemote = raw['allowRemote'] === true;
  const issues: RawIssue[] = [];
  const host = targetKindOfRaw(raw) === 'host' ? objAt(objAt(raw, 'target'), 'host') : undefined;
  // A forward outside loopback needs both allowRemotes.
  if (host?.['allowRemote'] === true && !allowRemote)
    issues.push({
      path: ['target', 'host', 'allowRemote'],
      message: 'the host may forward outside loopback only when the suite sets allowRemote: true as well',
    });
  const listen = host?.['listen'];
  if (typeof listen === 'string' && !allowRemote) {
    const h = listen.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
    if (!loopbackName(h) && h !== '')
      issues.push({
        path: ['target', 'host', 'listen'],
        message: `expected a loopback address (127.0.0.0/8 or ::1) unless allowRemote is true, got ${JSON.stringify(listen)}`,
      });
  }
  if (allowRemote) return issues;
  // A remote target's URLs: outside loopback only with allowRemote.
  const urls = objAt(objAt(raw, 'target'), 'remote')?.['url'];
  const listed =
    typeof urls === 'string'
      ? [[urls, ['target', 'remote', 'url']] as const]
      : Array.isArray(urls)
        ? urls.map((u, i) => [u, ['target', 'remote', 'url', i]] as const)
        : [];
  for (const [u, path] of listed) {
    if (typeof u !== 'string' || !u.startsWith('net.tcp://') || !URL.canParse(u)) continue;
    const name = new URL(u).hostname.replace(/^\[|\]$/g, '');
    if (!loopbackName(name))
      issues.push({
        path: [...path],
        message: `expected a loopback host unless allowRemote is true (a remote target on another machine needs allowRemote: true), got ${JSON.stringify(name)}`,
      });
  }
  for (const [path, v] of viasOf(raw)) {
    if (typeof v !== 'string' || !v.startsWith('net.tcp://') || !URL.canParse(v)) continue;
    const name = new URL(v).hostname.replace(/^\[|\]$/g, '');
    if (!loopbackName(name))
      issues.push({
        path,
        message: `expected a loopback host unless allowRemote is true, got ${JSON.stringify(name)}`,
      });
  }
  return issues;
};
