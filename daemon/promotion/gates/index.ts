// Every gate, in the checklist's order (GATE_IDS): the engine runs them all, at once, each time.
import { GATE_IDS } from '../../../protocol/protocol';
import type { GateDefinition } from '../gateContext';
import { backupGate } from './backup';
import { changesGate } from './changes';
import { ciGate } from './ci';
import { configDriftGate } from './configDrift';
import { deployWindowGate } from './deployWindow';
import { divergenceGate } from './divergence';
import { teamLockGate } from './teamLockGate';
import { mergeGate } from './mergeGate';
import { qaSignoffGate } from './qaSignoff';
import { sourceDeployedGate } from './sourceDeployed';
import { sourceHealthyGate } from './sourceHealthy';
import { targetHealthGate } from './targetHealth';

const gates: GateDefinition[] = [
  sourceDeployedGate,
  sourceHealthyGate,
  ciGate,
  qaSignoffGate,
  deployWindowGate,
  divergenceGate,
  mergeGate,
  backupGate,
  teamLockGate,
  configDriftGate,
  targetHealthGate,
  changesGate,
];

export const PROMOTION_GATES: GateDefinition[] = GATE_IDS.map((id) => {
  const gate = gates.find((g) => g.id === id);
  if (!gate) throw new Error(`no gate ${id}`);
  return gate;
});
