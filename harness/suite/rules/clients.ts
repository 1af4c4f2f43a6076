// Each load client's own cross-field rules (its loads' fields, its probe field), from the client registry.

import { CLIENTS } from '../../load/clients/index.ts';
import type { Rule } from './raw.ts';

export const clientRules: Rule = (raw) => [...CLIENTS.values()].flatMap((c) => c.rules?.(raw) ?? []);
