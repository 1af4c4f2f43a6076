// The fault registry: every fault kind under the name suites use.

import { byName } from '../model/plugin.ts';
import { command } from './command.ts';
import { cpuSpike } from './cpu-spike.ts';
import { kill } from './kill.ts';
import { network } from './network.ts';
import { pause } from './pause.ts';
import { preambleFlood } from './preamble-flood.ts';
import { recycle } from './recycle.ts';
import { slowActivation } from './slow-activation.ts';
import { throttleSaturation } from './throttle-saturation.ts';
import type { AnyFault } from './types.ts';

// In the order suites' documentation lists them.
export const FAULT_LIST = [
  recycle,
  cpuSpike,
  slowActivation,
  throttleSaturation,
  pause,
  kill,
  preambleFlood,
  network,
  command,
] as const;

// Every fault kind by name.
export const FAULTS: ReadonlyMap<string, AnyFault> = byName<AnyFault>(FAULT_LIST);

export const FAULT_KINDS = [...FAULTS.keys()];
