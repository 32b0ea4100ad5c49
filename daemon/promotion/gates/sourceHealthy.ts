// Gate 'source-healthy': the source answers its health checks now, so what is promoted is known to work.
import type { GateDefinition } from '../gateContext';
import { evaluateHealthOf } from './environmentHealth';

export const sourceHealthyGate: GateDefinition = {
  id: 'source-healthy',
  title: 'Source environment healthy',
  evaluate: (ctx) => evaluateHealthOf(ctx, ctx.source, ctx.settings.healthUrls?.source, 'fail'),
};
