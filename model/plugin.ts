// The shape every plug-in has (a fault kind, a load model, a check, an observer, a client): the name
// suites use for it, its own schema, and a one-line description of a spec for plans and reports.
// Registries build their zod unions from the schemas and look plug-ins up by name.

import type * as z from 'zod';

export type Plugin<S extends z.ZodType = z.ZodType> = {
  readonly name: string;
  readonly schema: S;
  // Methods, not arrow properties: a plug-in of a narrower spec is then one of the registry's kind.
  describe(spec: z.output<S>): string;
};

// The schemas of a non-empty list of plug-ins, as the non-empty tuple a zod union takes.
export const schemasOf = <T extends readonly [Plugin, ...Plugin[]]>(
  plugins: T,
): [T[number]['schema'], ...T[number]['schema'][]] => {
  const [first, ...rest]: readonly T[number][] = plugins;
  return [first.schema, ...rest.map((p) => p.schema)];
};

// A registry: plug-ins by name.
export const byName = <P extends Plugin>(plugins: readonly P[]): ReadonlyMap<string, P> =>
  new Map(plugins.map((p) => [p.name, p]));
