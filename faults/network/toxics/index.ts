// The toxics by Toxiproxy name: each makes the stage that acts on one direction of one connection.

import type { Stage, StageContext } from '../stage.ts';
import type { ToxicType } from '../toxic-spec.ts';
import { BandwidthStage } from './bandwidth.ts';
import { LatencyStage } from './latency.ts';
import { LimitDataStage } from './limit-data.ts';
import { ResetPeerStage } from './reset-peer.ts';
import { SlicerStage } from './slicer.ts';
import { SlowCloseStage } from './slow-close.ts';
import { TimeoutStage } from './timeout.ts';

type StageClass = new (ctx: StageContext, attributes: Record<string, number>) => Stage;

const STAGES: Record<ToxicType, StageClass> = {
  latency: LatencyStage,
  bandwidth: BandwidthStage,
  slow_close: SlowCloseStage,
  timeout: TimeoutStage,
  reset_peer: ResetPeerStage,
  slicer: SlicerStage,
  limit_data: LimitDataStage,
};

// A stage of the toxic `type` with its attributes (defaults already filled in).
export const createStage = (type: ToxicType, ctx: StageContext, attributes: Record<string, number>): Stage =>
  new STAGES[type](ctx, attributes);
