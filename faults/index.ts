// The fault registry: every fault kind under the name suites use.

import { cpuSpike } from './cpu-spike.ts';
import { kill } from './kill.ts';
import { network } from './network.ts';
import { pause } from './pause.ts';
import { preambleFlood } from './preamble-flood.ts';
import { recycle } from './recycle.ts';
import { slowActivation } from './slow-activation.ts';
import { throttleSaturation } from './throttle-saturation.ts';
import type { AnyFault } from './types.ts';

export const FAULTS: Readonly<Record<string, AnyFault>> = {
  recycle: recycle as unknown as AnyFault,
  'cpu-spike': cpuSpike as unknown as AnyFault,
  'slow-activation': slowActivation as unknown as AnyFault,
  'throttle-saturation': throttleSaturation as unknown as AnyFault,
  pause: pause as unknown as AnyFault,
  kill: kill as unknown as AnyFault,
  'preamble-flood': preambleFlood as unknown as AnyFault,
  network: network as unknown as AnyFault,
};

export const FAULT_KINDS = Object.keys(FAULTS);
