// Fresh health checks of one environment for the health gates: the URLs the tree checks (railyard.json's
// health URL, each service's domain and healthcheck path), asked again now rather than read from the
// tree's cache, and judged the same way (healthChecker.ts judgeHealth, through ctx.checkHealth).
import type { EnvironmentView, GateEvidence, HealthView } from '../../../protocol/protocol';
import type { GateContext, GateOutcome } from '../gateContext';

export interface HealthProbe {
  label: string;
  url: string;
}

/** What can be checked, and a line for each service that cannot. */
export function healthProbes(
  env: EnvironmentView,
  environmentUrl?: string,
): { probes: HealthProbe[]; unchecked: GateEvidence[] } {
  const probes: HealthProbe[] = environmentUrl ? [{ label: env.name, url: environmentUrl }] : [];
  const unchecked: GateEvidence[] = [];
  for (const s of env.services) {
    if (s.healthUrl) probes.push({ label: s.name, url: s.healthUrl });
    else if (!s.url) unchecked.push({ label: s.name, text: 'no public URL: not checked' });
    else unchecked.push({ label: s.name, text: 'no healthcheck path: not checked' });
  }
  return { probes, unchecked };
}

export interface HealthAnswer {
  probe: HealthProbe;
  health: HealthView;
}

export async function checkProbes(
  ctx: GateContext,
  probes: HealthProbe[],
): Promise<HealthAnswer[]> {
  return Promise.all(
    probes.map(async (probe) => ({ probe, health: await ctx.checkHealth(probe.url) })),
  );
}

/**
 * Pure: the health gates' answer. `bad` is what an unhealthy or unreachable service makes the gate:
 * fail for the source (it is about to be promoted), warn for the target (it is about to be replaced).
 */
export function judgeEnvironmentHealth(
  env: EnvironmentView,
  answers: HealthAnswer[],
  unchecked: GateEvidence[],
  bad: 'fail' | 'warn',
): GateOutcome {
  const evidence: GateEvidence[] = answers.map(({ probe, health }) => ({
    label: probe.label,
    text: `${health.state}: ${health.detail ?? 'no detail'}`,
    url: probe.url,
    ...(health.state !== 'healthy' && { flag: bad }),
  }));
  evidence.push(...unchecked);
  if (answers.length === 0)
    return {
      state: 'warn',
      detail: `Nothing in ${env.name} has a health URL: not checked`,
      evidence,
    };
  const sick = answers.filter((a) => a.health.state !== 'healthy').map((a) => a.probe.label);
  if (sick.length)
    return { state: bad, detail: `${env.name}: ${sick.join(', ')} not healthy`, evidence };
  return {
    state: 'pass',
    detail: `${env.name}: ${answers.length} health ${answers.length === 1 ? 'check' : 'checks'} answered ok`,
    evidence,
  };
}

/** Checks an environment now and judges it. */
export async function evaluateHealthOf(
  ctx: GateContext,
  env: EnvironmentView,
  environmentUrl: string | undefined,
  bad: 'fail' | 'warn',
): Promise<GateOutcome> {
  const { probes, unchecked } = healthProbes(env, environmentUrl);
  return judgeEnvironmentHealth(env, await checkProbes(ctx, probes), unchecked, bad);
}
