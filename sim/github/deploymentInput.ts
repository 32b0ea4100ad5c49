// The bodies of GitHub's create-deployment and create-deployment-status requests, read with GitHub's defaults, or the first field it would refuse (422 Validation Failed).
import { githubError, type GithubResponse } from './routeTypes';
import { isDeploymentState, type DeploymentState } from './deployments';

export interface DeploymentInput {
  ref: string;
  task: string;
  autoMerge: boolean;
  /** undefined: every context of the commit must be green. */
  requiredContexts: string[] | undefined;
  payload: unknown;
  environment: string;
  description: string;
  transient: boolean;
  production: boolean;
}

export interface StatusInput {
  state: DeploymentState;
  description?: string;
  environment?: string;
  logUrl?: string;
  environmentUrl?: string;
  autoInactive: boolean;
}

export interface FieldError {
  resource: 'Deployment' | 'DeploymentStatus';
  field: string;
  code: 'missing_field' | 'invalid' | 'custom';
  message?: string;
}

/** GitHub's limit on a status's description. */
export const maxDescription = 140;

type Body = Record<string, unknown>;

function bodyOf(body: unknown): Body {
  return (typeof body === 'object' && body !== null ? body : {}) as Body;
}

const isString = (v: unknown): v is string => typeof v === 'string';

export function deploymentInput(raw: unknown): DeploymentInput | FieldError {
  const b = bodyOf(raw);
  const invalid = (field: string): FieldError => ({
    resource: 'Deployment',
    field,
    code: 'invalid',
  });
  if (b.ref === undefined) return { resource: 'Deployment', field: 'ref', code: 'missing_field' };
  if (!isString(b.ref) || b.ref === '') return invalid('ref');
  for (const field of ['task', 'environment', 'description'])
    if (b[field] !== undefined && b[field] !== null && !isString(b[field])) return invalid(field);
  for (const field of ['auto_merge', 'transient_environment', 'production_environment'])
    if (b[field] !== undefined && typeof b[field] !== 'boolean') return invalid(field);
  const contexts = b.required_contexts;
  if (contexts !== undefined && !(Array.isArray(contexts) && contexts.every(isString)))
    return invalid('required_contexts');
  const payload = payloadOf(b.payload);
  if (payload === undefined) return invalid('payload');
  const environment = isString(b.environment) ? b.environment : 'production';
  return {
    ref: b.ref,
    task: isString(b.task) ? b.task : 'deploy',
    autoMerge: b.auto_merge !== false,
    requiredContexts: contexts,
    payload,
    environment,
    description: isString(b.description) ? b.description : '',
    transient: b.transient_environment === true,
    production: (b.production_environment as boolean | undefined) ?? environment === 'production',
  };
}

/** An object, or a string holding one (GitHub answers it parsed); undefined for anything else. */
function payloadOf(value: unknown): unknown {
  if (value === undefined || value === null || value === '') return {};
  if (typeof value === 'object' && !Array.isArray(value)) return value;
  if (!isString(value)) return undefined;
  try {
    const parsed = JSON.parse(value) as unknown;
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? parsed
      : undefined;
  } catch {
    return undefined;
  }
}

export function statusInput(raw: unknown): StatusInput | FieldError {
  const b = bodyOf(raw);
  const error = (field: string, code: FieldError['code'], message?: string): FieldError => ({
    resource: 'DeploymentStatus',
    field,
    code,
    ...(message ? { message } : {}),
  });
  if (b.state === undefined) return error('state', 'missing_field');
  if (!isDeploymentState(b.state))
    return error('state', 'custom', 'state is not included in the list');
  for (const field of ['description', 'environment', 'log_url', 'target_url', 'environment_url'])
    if (b[field] !== undefined && b[field] !== null && !isString(b[field]))
      return error(field, 'invalid');
  if (b.auto_inactive !== undefined && typeof b.auto_inactive !== 'boolean')
    return error('auto_inactive', 'invalid');
  const description = isString(b.description) ? b.description : undefined;
  if (description !== undefined && description.length > maxDescription)
    return error(
      'description',
      'custom',
      `description is too long (maximum is ${maxDescription} characters)`,
    );
  const str = (v: unknown) => (isString(v) ? v : undefined);
  return {
    state: b.state,
    description,
    environment: str(b.environment),
    // log_url replaces the older target_url, which GitHub still takes.
    logUrl: str(b.log_url) ?? str(b.target_url),
    environmentUrl: str(b.environment_url),
    autoInactive: b.auto_inactive !== false,
  };
}

export function isFieldError(value: object): value is FieldError {
  return 'field' in value && 'code' in value;
}

export function validationFailed(error: FieldError): GithubResponse {
  const answer = githubError(422, 'Validation Failed');
  return { ...answer, body: { ...(answer.body as object), errors: [error] } };
}
