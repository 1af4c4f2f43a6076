// The sharing listener's routing table: registered paths, looked up by a connection's via the way
// SMSvcHost does it: the socket's real local port substituted for the via's, the host compared
// case-insensitively, the longest registered path that is a prefix (by whole segments) winning.

// A via reduced to what routing compares.
export type RouteKey = { host: string; port: number; path: string };

// The key of a via as received on a socket with this local port; undefined for anything that is not a
// net.tcp URI (it routes nowhere).
export const routeKeyOf = (via: string, localPort: number): RouteKey | undefined => {
  let u: URL;
  try {
    u = new URL(via);
  } catch {
    return undefined;
  }
  if (u.protocol !== 'net.tcp:' || u.hostname === '') return undefined;
  return { host: u.hostname.toLowerCase(), port: localPort, path: u.pathname === '' ? '/' : u.pathname };
};

// Whether a registered path covers a via path: equal, or a prefix ending at a segment boundary.
export const pathCovers = (registered: string, path: string): boolean => {
  if (registered === '/' || path === registered) return true;
  const base = registered.endsWith('/') ? registered : `${registered}/`;
  return path.startsWith(base);
};

type Entry<T> = { path: string; host: string | undefined; value: T };

export class RouteTable<T> {
  #entries: Entry<T>[] = [];

  // Registers a path; `host` binds it to one host name (any host when undefined).
  add(path: string, value: T, host?: string): void {
    this.#entries.push({ path, host: host?.toLowerCase(), value });
    // Longest path first, host-bound before wildcard: the first match is the most specific.
    this.#entries.sort(
      (a, b) => b.path.length - a.path.length || Number(b.host !== undefined) - Number(a.host !== undefined),
    );
  }

  // The most specific registration covering a key.
  match(key: RouteKey): T | undefined {
    for (const e of this.#entries) {
      if (e.host !== undefined && e.host !== key.host) continue;
      if (pathCovers(e.path, key.path)) return e.value;
    }
    return undefined;
  }
}

// The URI a key stands for (what the listener looked up), for logs.
export const routeUri = (k: RouteKey): string => `net.tcp://${k.host}:${k.port}${k.path}`;
