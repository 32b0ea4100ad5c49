// Gate 'target-health' (warn-only by default): the target's health before the promotion, so that a
// target already sick is known as such, and not blamed on the promotion afterwards.
import type { GateDefinition } from '../gateContext';
import { evaluateHealthOf } from './environmentHealth';

export const targetHealthGate: GateDefinition = {
  id: 'target-health',
  title: 'Target environment health',
  evaluate: (ctx) => evaluateHealthOf(ctx, ctx.target, ctx.settings.healthUrls?.target, 'warn'),
};
