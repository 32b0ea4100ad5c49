// Gate 'config-drift' (warn-only): per service, the variable names the source has and the target
// lacks, and target values that point at the source (a reference to a service only the source has,
// the source's environment name, one of its domains). Values are read as typed (unrendered) and
// never leave the daemon: the outcome carries names and reasons only.
import type { EnvironmentView, GateEvidence, ServiceView } from '../../../protocol/protocol';
import type { VariablesResult } from '../../railway/types';
import {
  unknownBecause,
  type GateContext,
  type GateDefinition,
  type GateOutcome,
} from '../gateContext';

/** name → raw value; null for a sealed variable, whose value Railway never returns. */
export type VariableMap = Record<string, string | null>;

/** One service's variables on both sides (or the shared ones, named "shared variables"). */
export interface ServiceVariables {
  name: string;
  source: VariableMap;
  target: VariableMap;
}

/** What marks a target value as pointing at the source. */
export interface SourceMarks {
  environmentName: string;
  /** Hostnames of the source's services. */
  domains: string[];
  /** Services the source has and the target lacks: a reference to one cannot be meant for the target. */
  sourceOnlyServices: string[];
  /** The words of the source's name the target's lacks ("dev" of kars-dev against kars-prod). */
  sourceWords: string[];
  /** The words both names share ("kars"). */
  sharedWords: string[];
}

/** Railway sets these itself in every environment; they are not the user's configuration. */
const railwayProvided = (name: string) => name.startsWith('RAILWAY_');

/** `${{ Service.NAME }}`: the namespaces a value refers to. */
function referencedServices(value: string): string[] {
  return [...value.matchAll(/\$\{\{\s*([^{}]*?)\s*\}\}/g)].flatMap((m) => {
    const expr = m[1] ?? '';
    const dot = expr.lastIndexOf('.');
    return dot > 0 ? [expr.slice(0, dot)] : [];
  });
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The environment's name as a whole word: "kars-dev" in a URL, not "dev" inside "devices". */
function namesEnvironment(value: string, name: string): boolean {
  return new RegExp(`(^|[^A-Za-z0-9])${escape(name)}($|[^A-Za-z0-9])`, 'i').test(value);
}

const wordsOf = (name: string) =>
  name
    .toLowerCase()
    .split(/[-_.]+/)
    .filter(Boolean);

/**
 * A name built like the source's own, e.g. "kars-db-dev" for kars-dev: a host-like token with the
 * words both environment names share and one only the source's has. Without shared words, two
 * words at least, so that "/dev/shm" is not taken for a dev resource.
 */
function namesSourceResource(value: string, marks: SourceMarks): boolean {
  if (marks.sourceWords.length === 0) return false;
  return [...value.matchAll(/[A-Za-z0-9][A-Za-z0-9._-]*/g)].some(([token]) => {
    const words = wordsOf(token);
    const enough = marks.sharedWords.length > 0 || words.length > 1;
    return (
      enough &&
      marks.sharedWords.every((w) => words.includes(w)) &&
      marks.sourceWords.some((w) => words.includes(w))
    );
  });
}

/** Why a target value points at the source, or undefined; never quotes the value. */
export function pointsAtSource(value: string, marks: SourceMarks): string | undefined {
  const ref = referencedServices(value).find((s) => marks.sourceOnlyServices.includes(s));
  if (ref) return `refers to ${ref}, a service only ${marks.environmentName} has`;
  const lower = value.toLowerCase();
  if (marks.domains.some((d) => lower.includes(d.toLowerCase())))
    return `names a domain of ${marks.environmentName}`;
  if (namesEnvironment(value, marks.environmentName))
    return `names the environment ${marks.environmentName}`;
  if (namesSourceResource(value, marks)) return `names something of ${marks.environmentName}`;
  return undefined;
}

/** Pure: the drift of one service, as evidence lines (names and reasons only). */
export function serviceDrift(
  vars: ServiceVariables,
  marks: SourceMarks,
  targetName: string,
): GateEvidence[] {
  const missing = Object.keys(vars.source)
    .filter((n) => !railwayProvided(n) && !(n in vars.target))
    .sort();
  const lines: GateEvidence[] = missing.length
    ? [{ label: vars.name, text: `missing in ${targetName}: ${missing.join(', ')}`, flag: 'warn' }]
    : [];
  for (const [name, value] of Object.entries(vars.target).sort(([a], [b]) => a.localeCompare(b))) {
    const why = value === null || railwayProvided(name) ? undefined : pointsAtSource(value, marks);
    if (why) lines.push({ label: vars.name, text: `${name} ${why}`, flag: 'warn' });
  }
  return lines;
}

/** Pure: the gate's answer from every compared service. */
export function evaluateConfigDrift(
  compared: ServiceVariables[],
  marks: SourceMarks,
  targetName: string,
): GateOutcome {
  const evidence = compared.flatMap((v) => serviceDrift(v, marks, targetName));
  if (evidence.length === 0)
    return {
      state: 'pass',
      detail: `No drift: ${targetName} has every variable ${marks.environmentName} has, and none points at it`,
    };
  const services = [...new Set(evidence.map((e) => e.label))];
  return {
    state: 'warn',
    detail: `Config drift in ${services.join(', ')}: ${evidence.length} finding${evidence.length === 1 ? '' : 's'} (names only)`,
    evidence,
  };
}

/** The target's service matching a source service: by id (one project shares them), else by name. */
export function matchService(
  service: ServiceView,
  target: EnvironmentView,
): ServiceView | undefined {
  return (
    target.services.find((t) => t.id === service.id) ??
    target.services.find((t) => t.name === service.name)
  );
}

export function sourceMarks(source: EnvironmentView, target: EnvironmentView): SourceMarks {
  const domains = source.services.flatMap((s) => (s.url ? [new URL(s.url).hostname] : []));
  const targetWords = wordsOf(target.name);
  const words = wordsOf(source.name);
  return {
    sourceWords: words.filter((w) => !targetWords.includes(w)),
    sharedWords: words.filter((w) => targetWords.includes(w)),
    environmentName: source.name,
    domains: [...new Set(domains)],
    sourceOnlyServices: source.services.filter((s) => !matchService(s, target)).map((s) => s.name),
  };
}

/** What to compare: each matched service, and the shared variables (no service). */
function pairs(ctx: GateContext): { name: string; source: string | null; target: string | null }[] {
  const matched = ctx.source.services.flatMap((s) => {
    const t = matchService(s, ctx.target);
    return t ? [{ name: s.name, source: s.id, target: t.id }] : [];
  });
  return [...matched, { name: 'shared variables', source: null, target: null }];
}

type Read = { ok: true; map: VariableMap } | { ok: false; message: string };

async function readVariables(
  ctx: GateContext,
  environmentId: string,
  serviceId: string | null,
): Promise<Read> {
  const vars = { projectId: ctx.record.projectId, environmentId, serviceId };
  const r = await ctx.railway.operation<VariablesResult>('Variables', vars, { signal: ctx.signal });
  return r.ok ? { ok: true, map: r.value.variables } : { ok: false, message: r.error.message };
}

export const configDriftGate: GateDefinition = {
  id: 'config-drift',
  title: 'Config drift',
  async evaluate(ctx) {
    const compared: ServiceVariables[] = [];
    for (const p of pairs(ctx)) {
      const [source, target] = await Promise.all([
        readVariables(ctx, ctx.source.id, p.source),
        readVariables(ctx, ctx.target.id, p.target),
      ]);
      if (!source.ok) return unknownBecause(`read ${p.name}'s variables`, source.message);
      if (!target.ok) return unknownBecause(`read ${p.name}'s variables`, target.message);
      compared.push({ name: p.name, source: source.map, target: target.map });
    }
    return evaluateConfigDrift(compared, sourceMarks(ctx.source, ctx.target), ctx.target.name);
  },
};
