// GitHub's classic branch protection in the simulators: the rules per branch, shared by the GitHub routes (merges) and the git server (pushes), and how a required check is judged.
import type { CiStore } from './ci';
import type { CommitStatuses } from './statuses';

export interface BranchRule {
  /** "Require a pull request before merging": direct pushes are refused. */
  requirePullRequest: boolean;
  /** Approvals the pull request needs (0: a pull request, but no review). */
  requiredApprovingReviews: number;
  /** "Require status checks to pass": check run names or status contexts. */
  requiredChecks: string[];
  /** "Require branches to be up to date before merging": kept and reported, not enforced here. */
  strict: boolean;
  /** A push to the head dismisses the approvals given before it. */
  dismissStaleReviews: boolean;
  /**
   * Kept and reported only: the simulated users are collaborators with write access, never
   * repository admins, so there is nobody for whom the rules could be lifted.
   */
  enforceAdmins: boolean;
}

const unprotected: BranchRule = {
  requirePullRequest: false,
  requiredApprovingReviews: 0,
  requiredChecks: [],
  strict: false,
  dismissStaleReviews: false,
  enforceAdmins: false,
};

/** The rules of every protected branch, keyed by repository (`owner/name`) and branch. */
export class BranchProtections {
  private readonly rules = new Map<string, BranchRule>();

  /** Protects a branch; fields left out are those of a branch with protection but no requirement. */
  set(repository: string, branch: string, rule: Partial<BranchRule>): BranchRule {
    const full = { ...unprotected, ...rule, requiredChecks: [...(rule.requiredChecks ?? [])] };
    this.rules.set(key(repository, branch), full);
    return full;
  }

  get(repository: string, branch: string): BranchRule | undefined {
    return this.rules.get(key(repository, branch));
  }

  /** True when there was a rule to remove. */
  remove(repository: string, branch: string): boolean {
    return this.rules.delete(key(repository, branch));
  }

  protectedBranches(repository: string): string[] {
    const prefix = `${repository} `;
    return [...this.rules.keys()]
      .filter((k) => k.startsWith(prefix))
      .map((k) => k.slice(prefix.length));
  }
}

function key(repository: string, branch: string): string {
  return `${repository} ${branch}`;
}

export type ContextState = 'success' | 'pending' | 'failure' | 'absent';

/** Conclusions that satisfy a required check, as on GitHub. */
const passing = new Set(['success', 'neutral', 'skipped']);

/**
 * A required context on a commit: a check run of that name (the newest suite's) or else the
 * newest commit status of that context, GitHub accepting either.
 */
export function contextState(
  sources: { ci: CiStore; statuses: CommitStatuses },
  repository: string,
  sha: string,
  context: string,
): ContextState {
  const runs = sources.ci.suitesOf(repository, sha).flatMap((s) => s.runs);
  const run = runs.filter((r) => r.name === context).at(-1);
  if (run) {
    if (run.status !== 'completed') return 'pending';
    return passing.has(run.conclusion ?? '') ? 'success' : 'failure';
  }
  const status = sources.statuses
    .latestPerContext(repository, sha)
    .find((s) => s.context === context);
  if (!status) return 'absent';
  if (status.state === 'success') return 'success';
  return status.state === 'pending' ? 'pending' : 'failure';
}

/**
 * GitHub's sentence for required checks not yet green on `sha`, or null when all are:
 * `Required status check "ci" is expected.` (or `is failing.`), or `2 of 3 required status checks
 * are expected.` when several are not.
 */
export function requiredChecksProblem(
  sources: { ci: CiStore; statuses: CommitStatuses },
  repository: string,
  sha: string,
  contexts: readonly string[],
): string | null {
  const unmet = contexts
    .map((context) => ({ context, state: contextState(sources, repository, sha, context) }))
    .filter((c) => c.state !== 'success');
  const [first] = unmet;
  if (!first) return null;
  if (unmet.length > 1)
    return `${unmet.length} of ${contexts.length} required status checks are expected.`;
  const how = first.state === 'failure' ? 'is failing' : 'is expected';
  return `Required status check "${first.context}" ${how}.`;
}

type Sources = { protections: BranchProtections; ci: CiStore; statuses: CommitStatuses };

/**
 * What git prints after `remote: ` when GitHub refuses a direct push to a protected branch
 * (GH006), or null when the branch is unprotected or the push meets its rules (checks only, and
 * the new head already green).
 */
export function pushRefusal(
  sources: Sources,
  repository: string,
  push: { branch: string; after: string },
): string[] | null {
  const rule = sources.protections.get(repository, push.branch);
  if (!rule) return null;
  const reason = /^0+$/.test(push.after)
    ? 'Cannot delete this protected branch'
    : rule.requirePullRequest
      ? 'Changes must be made through a pull request.'
      : requiredChecksProblem(sources, repository, push.after, rule.requiredChecks);
  if (reason === null) return null;
  return [
    `error: GH006: Protected branch update failed for refs/heads/${push.branch}.`,
    `error: ${reason}`,
  ];
}

/** What GET branch says of protection: `enforcement_level` is off, non_admins or everyone. */
export function branchProtectionSummary(rule: BranchRule | undefined) {
  const contexts = rule?.requiredChecks ?? [];
  const level = contexts.length === 0 ? 'off' : rule?.enforceAdmins ? 'everyone' : 'non_admins';
  return {
    protected: rule !== undefined,
    protection: {
      enabled: rule !== undefined,
      required_status_checks: {
        enforcement_level: level,
        contexts,
        checks: contexts.map((context) => ({ context, app_id: null })),
      },
    },
  };
}

/** GitHub's 405 sentence for too few approvals. */
export function approvalsNeeded(count: number): string {
  return count === 1
    ? 'At least 1 approving review is required by reviewers with write access.'
    : `At least ${count} approving reviews are required by reviewers with write access.`;
}
