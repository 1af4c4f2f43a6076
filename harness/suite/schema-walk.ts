// Walks a zod schema along a data path to list the keys an object there accepts (for "unknown field;
// did you mean ...?"). Follows wrappers (optional, default, pipe) and picks union options by the data.

import type * as z from 'zod';

type Def = {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  in?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  discriminator?: string;
  valueType?: z.ZodType;
};

const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

// Unwraps optional/default/pipe layers to the schema that shapes the data.
const unwrap = (s: z.ZodType, data: unknown): z.ZodType | undefined => {
  for (let i = 0; i < 20; i++) {
    const d = defOf(s);
    if (d.innerType !== undefined) s = d.innerType;
    else if (d.type === 'pipe' && d.in !== undefined) s = d.in;
    else if ((d.type === 'union' || d.type === 'discriminatedUnion') && d.options !== undefined) {
      const pick =
        d.discriminator !== undefined && typeof data === 'object' && data !== null
          ? d.options.find((o) => {
              const lit = defOf(unwrap(o, undefined) ?? o).shape?.[d.discriminator!];
              return (
                lit !== undefined &&
                lit.safeParse((data as Record<string, unknown>)[d.discriminator!]).success
              );
            })
          : d.options.find((o) => defOf(unwrap(o, undefined) ?? o).type === 'object');
      if (pick === undefined) return undefined;
      s = pick;
    } else return s;
  }
  return undefined;
};

// The keys the object at `path` accepts, or undefined when the path leads to no object schema.
export const keysAt = (
  root: z.ZodType,
  path: readonly PropertyKey[],
  data: unknown,
): string[] | undefined => {
  let s: z.ZodType | undefined = root;
  let v: unknown = data;
  for (const k of path) {
    s = s === undefined ? undefined : unwrap(s, v);
    if (s === undefined) return undefined;
    const d = defOf(s);
    if (d.type === 'object' && typeof k === 'string') s = d.shape?.[k];
    else if (d.type === 'array' && typeof k === 'number') s = d.element;
    else if (d.type === 'record') s = d.valueType;
    else return undefined;
    v = typeof v === 'object' && v !== null ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  }
  s = s === undefined ? undefined : unwrap(s, v);
  const shape = s === undefined ? undefined : defOf(s).shape;
  return shape === undefined ? undefined : Object.keys(shape);
};
