// Which Railway project a workspace folder belongs to, zero-config first: railyard.json's projectId,
// then RAILWAY_PROJECT_ID, then `railway link` (nearest linked ancestor), then a project token's own project.
import * as fs from 'node:fs';
import * as path from 'node:path';

export type ProjectSource = 'railyard.json' | 'env' | 'railway-link' | 'project-token';

export interface ProjectLink {
  projectId: string;
  /** The environment the link or token names, used as a default selection. */
  environmentId?: string;
  source: ProjectSource;
  /** For railway-link: the linked folder that matched. */
  linkedFolder?: string;
}

export interface DiscoveryInputs {
  folder: string;
  env: NodeJS.ProcessEnv;
  railwayConfigFile: string;
  configProjectId?: string;
  tokenProject?: { projectId: string; environmentId?: string };
}

export function discoverProject(inputs: DiscoveryInputs): ProjectLink | undefined {
  if (inputs.configProjectId) return { projectId: inputs.configProjectId, source: 'railyard.json' };
  const envProject = inputs.env.RAILWAY_PROJECT_ID;
  if (envProject)
    return {
      projectId: envProject,
      environmentId: inputs.env.RAILWAY_ENVIRONMENT_ID || undefined,
      source: 'env',
    };
  const linked = findRailwayLink(inputs.railwayConfigFile, inputs.folder);
  if (linked) return linked;
  if (inputs.tokenProject) return { ...inputs.tokenProject, source: 'project-token' };
  return undefined;
}

interface LinkEntry {
  project?: unknown;
  environment?: unknown;
}

/** The Railway CLI's rule: the nearest ancestor folder (or the folder itself) that is a key of `projects`. */
export function findRailwayLink(configFile: string, folder: string): ProjectLink | undefined {
  const projects = readProjects(configFile);
  if (!projects) return undefined;
  for (let dir = path.resolve(folder); ; dir = path.dirname(dir)) {
    const entry = projects[dir];
    if (entry && typeof entry.project === 'string') {
      const environmentId = typeof entry.environment === 'string' ? entry.environment : undefined;
      return { projectId: entry.project, environmentId, source: 'railway-link', linkedFolder: dir };
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

function readProjects(configFile: string): Record<string, LinkEntry> | undefined {
  try {
    const config = JSON.parse(fs.readFileSync(configFile, 'utf8')) as {
      projects?: Record<string, LinkEntry>;
    };
    return config.projects && typeof config.projects === 'object' ? config.projects : undefined;
  } catch {
    return undefined;
  }
}
