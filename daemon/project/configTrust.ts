// What an untrusted folder's railyard.json may decide. A file in a folder the user has not trusted
// can be anyone's, so it may only select and order (which project, in what order) and make
// protection stricter; whatever makes the daemon send requests (health URLs, promotions that read
// GitHub) or lifts the typed confirmation (`protected: false`) waits until the folder is trusted.
import type { RailyardConfig } from './railyardConfig';

export function configForTrust(config: RailyardConfig, trusted: boolean): RailyardConfig {
  if (trusted) return config;
  const environments = Object.fromEntries(
    Object.entries(config.environments ?? {})
      .filter(([, settings]) => settings.protected === true)
      .map(([name]) => [name, { protected: true }]),
  );
  return {
    ...(config.projectId !== undefined && { projectId: config.projectId }),
    ...(config.order !== undefined && { order: config.order }),
    ...(Object.keys(environments).length > 0 && { environments }),
  };
}

/** The settings an untrusted folder's file had that the daemon set aside, for the tree to say so. */
export function ignoredUntrusted(config: RailyardConfig): string[] {
  const ignored = new Set<string>();
  for (const [name, settings] of Object.entries(config.environments ?? {})) {
    if (settings.healthUrl) ignored.add(`environments.${name}.healthUrl`);
    if (settings.branch) ignored.add(`environments.${name}.branch`);
    if (settings.protected === false) ignored.add(`environments.${name}.protected: false`);
  }
  for (const key of ['promotions', 'deployWindow', 'releaseTag'] as const)
    if (config[key] !== undefined) ignored.add(key);
  return [...ignored];
}
