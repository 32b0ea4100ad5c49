// The kars fixture's variables, from the team's own docs: the same names in kars-dev and kars-prod (so a
// promotion starts with no drift), each environment's values pointing at its own domains, and the
// PR environment copied from kars-dev the way Railway copies one (sealed variables left out).
import type { RailwayState } from './state';

/** Railway's Postgres template: credentials and URLs are references to its own variables. */
const postgresTemplate: Record<string, string> = {
  DATABASE_URL:
    'postgresql://${{PGUSER}}:${{POSTGRES_PASSWORD}}@${{RAILWAY_PRIVATE_DOMAIN}}:5432/${{PGDATABASE}}',
  PGDATA: '/var/lib/postgresql/data/pgdata',
  PGDATABASE: '${{POSTGRES_DB}}',
  PGHOST: '${{RAILWAY_PRIVATE_DOMAIN}}',
  PGPASSWORD: '${{POSTGRES_PASSWORD}}',
  PGPORT: '5432',
  PGUSER: '${{POSTGRES_USER}}',
  POSTGRES_DB: 'railway',
  POSTGRES_USER: 'postgres',
  RAILWAY_DEPLOYMENT_DRAINING_SECONDS: '60',
  SSL_CERT_DAYS: '820',
};

interface EnvironmentValues {
  backendDomain: string;
  frontendOrigin: string;
  passkeyRpId: string;
  scheduler: 'true' | 'false';
  jwtSecret: string;
  postgresPassword: string;
}

/** Railway's domains are `<service>-<environment>.up.railway.app`; prod's frontend is also kars.example. */
const karsValues: Record<'kars-dev' | 'kars-prod', EnvironmentValues> = {
  'kars-dev': {
    backendDomain: 'kars-backend-kars-dev.up.railway.app',
    frontendOrigin: 'https://kars-frontend-kars-dev.up.railway.app',
    passkeyRpId: 'kars-frontend-kars-dev.up.railway.app',
    scheduler: 'false',
    jwtSecret: 'dev-jwt-9f2c4e6a8b0d1f3a5c7e9b1d3f5a7c9e',
    postgresPassword: 'devPgPassw0rdR4ilway0123456789ab',
  },
  'kars-prod': {
    backendDomain: 'kars-backend-kars-prod.up.railway.app',
    frontendOrigin: 'https://kars.example',
    passkeyRpId: 'kars.example',
    scheduler: 'true',
    jwtSecret: 'prod-jwt-1a3c5e7f9b2d4f6a8c0e2b4d6f8a0c2e',
    postgresPassword: 'prodPgPassw0rdR4ilway987654321cd',
  },
};

/** The backend's variables as the team documents them; JWT_SECRET is sealed. */
function backendVariables(v: EnvironmentValues): Record<string, string> {
  return {
    NODE_ENV: 'production',
    JWT_SECRET: v.jwtSecret,
    DATABASE_URL: '${{Postgres.DATABASE_URL}}',
    DB_CLIENT: 'pg',
    BASE_URL: `https://${v.backendDomain}`,
    FRONTEND_URL: v.frontendOrigin,
    PASSKEY_RP_ID: v.passkeyRpId,
    PASSKEY_RP_NAME: 'KARS',
    PASSKEY_ORIGIN: v.frontendOrigin,
    RUN_ATTESTATION_SCHEDULER: v.scheduler,
  };
}

export const karsSealedVariables: ReadonlySet<string> = new Set(['JWT_SECRET']);

function seedEnvironment(state: RailwayState, envName: 'kars-dev' | 'kars-prod'): void {
  const v = karsValues[envName];
  const services: Record<string, Record<string, string>> = {
    'kars-backend': backendVariables(v),
    'kars-frontend': { NODE_ENV: 'production', VITE_API_URL: `https://${v.backendDomain}` },
    Postgres: { ...postgresTemplate, POSTGRES_PASSWORD: v.postgresPassword },
  };
  const env = state.environmentByName(envName);
  for (const [serviceName, variables] of Object.entries(services)) {
    const serviceId = state.serviceByName(serviceName, env.projectId).id;
    for (const [name, value] of Object.entries(variables)) {
      const sealed = serviceName === 'kars-backend' && karsSealedVariables.has(name);
      state.variables.upsert({ environmentId: env.id, serviceId, name, value, sealed });
    }
  }
}

/**
 * A PR environment starts as a copy of its source's variables, values and all (so they still name
 * the source's domains); Railway does not copy sealed variables into PR environments (docs: variables.md).
 */
function copyIntoPrEnvironment(state: RailwayState, envName: string): void {
  const env = state.environmentByName(envName);
  if (!env.sourceEnvironmentId) return;
  for (const v of state.variables.inEnvironment(env.sourceEnvironmentId)) {
    if (v.isSealed) continue;
    state.variables.upsert({
      environmentId: env.id,
      serviceId: v.serviceId,
      name: v.name,
      value: v.value,
    });
  }
}

/** Seeds kars-dev, kars-prod and kars-pr-42; call after the environments and services exist. */
export function seedKarsVariables(state: RailwayState): void {
  seedEnvironment(state, 'kars-dev');
  seedEnvironment(state, 'kars-prod');
  for (const env of state.environments.filter((e) => e.isEphemeral))
    copyIntoPrEnvironment(state, env.name);
}
