// The fault registry: every fault kind under the name suites use.

import { network } from './network.ts';
import { recycle } from './recycle.ts';
import type { AnyFault } from './types.ts';

export const FAULTS: Readonly<Record<string, AnyFault>> = {
  recycle: recycle as unknown as AnyFault,
  network: network as unknown as AnyFault,
};

export const FAULT_KINDS = Object.keys(FAULTS);
