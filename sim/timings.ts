// How long each simulated thing takes, on the simulators' clock. Railway's real figures where they
// matter to the product (healthcheck timeout, the two-hour CI wait, image retention); the stages of
// a push are one "step" each so that a push reaches SUCCESS within ten steps and a demo stays brisk.

export interface SimTimings {
  /** The unit the push stages are counted in: `railyard sim --advance-ms` and the demo set it. */
  stepMs: number;
  /** GitHub's push webhook reaching Railway. */
  webhookMs: number;
  /** A check run waiting for a runner, then running. */
  ciQueuedMs: number;
  ciRunMs: number;
  /** QUEUED or INITIALIZING until the build starts. */
  queueMs: number;
  buildMs: number;
  /** Creating the container, the pre-deploy command and the first healthcheck that passes. */
  deployMs: number;
  /** How long a new deployment runs before a crash-looping process is given up on (CRASHED). */
  crashMs: number;
  /** The old deployment's REMOVING → REMOVED once the new one serves (Railway's draining). */
  drainMs: number;
  /** Railway's default healthcheck timeout (RAILWAY_HEALTHCHECK_TIMEOUT_SEC = 300). */
  healthcheckTimeoutMs: number;
  /** "Wait for CI" gives up after two hours: the deployment ends SKIPPED. */
  waitingTimeoutMs: number;
  /** A volume backup's workflow running. */
  backupMs: number;
}

export const defaultStepMs = 3000;

export function defaultTimings(stepMs = defaultStepMs): SimTimings {
  return {
    stepMs,
    webhookMs: stepMs,
    ciQueuedMs: stepMs,
    ciRunMs: 2 * stepMs,
    queueMs: stepMs,
    buildMs: 2 * stepMs,
    deployMs: stepMs,
    crashMs: stepMs,
    drainMs: stepMs,
    healthcheckTimeoutMs: 300_000,
    waitingTimeoutMs: 2 * 60 * 60_000,
    backupMs: 2 * stepMs,
  };
}

/** Railway's plans, as far as the simulator needs them: rate limits and how long old images are kept. */
export type SimPlan = 'FREE' | 'HOBBY' | 'PRO' | 'ENTERPRISE';

const hour = 60 * 60_000;

/** After a deployment is removed its image can be rolled back to for this long (Railway's docs). */
export const imageRetentionMs: Record<SimPlan, number> = {
  FREE: 24 * hour,
  HOBBY: 72 * hour,
  PRO: 120 * hour,
  ENTERPRISE: 360 * hour,
};

/** Requests per token: per hour, and per second where Railway sets one. */
export const planRateLimits: Record<SimPlan, { perHour: number; perSecond: number | null }> = {
  FREE: { perHour: 100, perSecond: null },
  HOBBY: { perHour: 1000, perSecond: 10 },
  PRO: { perHour: 10_000, perSecond: 50 },
  ENTERPRISE: { perHour: 10_000, perSecond: 50 },
};
