// Why Railway skipped a deployment. The status is the same for failed CI and for a push outside
// the watch paths; only the deployment's build log says which, so the daemon reads its last lines
// once per skipped deployment and keeps the answer.

/** A short reason from the build log's lines, or undefined when they say nothing recognisable. */
export function skipReasonFrom(messages: string[]): string | undefined {
  for (const m of [...messages].reverse()) {
    if (/watch(ed)?[ -](path|file)|no changes to watched/i.test(m))
      return 'no watched files changed';
    if (/check[ -]suites?|checks? (did not pass|failed)|\bCI\b/i.test(m)) return 'CI did not pass';
  }
  return undefined;
}
