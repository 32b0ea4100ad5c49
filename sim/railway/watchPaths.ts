// Railway's watch paths: gitignore-style patterns (`/src/**`, `!**/*.md`) that decide whether a push
// deploys a service. A push that touches none of them gives the service a SKIPPED deployment.
import ignore from 'ignore';

/** True when the push should deploy: no patterns, unknown changes, or a changed file matching. */
export function touchesWatchPaths(patterns: string[], changedFiles: string[] | undefined): boolean {
  if (patterns.length === 0 || changedFiles === undefined) return true;
  // gitignore's "ignored" is watch paths' "watched"; a leading slash anchors at the repository root.
  const watched = ignore().add(patterns);
  return changedFiles.some((file) => watched.ignores(file.replace(/^\/+/, '')));
}
