// A `metrics.service` answer to build the metrics panel's and the hover's tests on: an hour of
// kars-backend in kars-prod at 30 s steps, with a deployment in the middle.
import type { ServiceMetrics } from '../../protocol/metrics';

/** 2026-12-01 10:00:00 UTC */
export const T0 = 1_796_119_200;

export function hourOfMetrics(overrides: Partial<ServiceMetrics> = {}): ServiceMetrics {
  const ts = [T0, T0 + 30, T0 + 60, T0 + 90];
  return {
    environmentId: 'env-prod',
    serviceId: 'svc-api',
    serviceName: 'kars-backend',
    environmentName: 'kars-prod',
    range: '1h',
    stepSeconds: 30,
    from: T0 - 3600 + 120,
    to: T0 + 120,
    requests: {
      ts,
      byClass: {
        '2xx': [90, 60, 120, 30],
        '3xx': [0, 3, 0, 0],
        '4xx': [3, 0, 6, 0],
        '5xx': [0, 0, 6, 30],
      },
    },
    duration: {
      ts,
      p50: [40, 42, 41, 300],
      p90: [90, 95, 120, 800],
      p95: [120, 130, 150, 1250],
      p99: [200, 220, 260, 2000],
    },
    resources: {
      ts,
      cpu: [0.12, 0.1, 0.15, 0.4],
      memoryGb: [0.512, 0.52, 0.53, 1.25],
      networkRxGb: [0, 0, 0, 0],
      networkTxGb: [0, 0, 0, 0],
    },
    deployments: [
      {
        id: 'dep-new-0001',
        ts: T0 + 75,
        status: 'SUCCESS',
        commit: 'abcdef1234567',
        message: 'Cache the invoice totals\nlong body',
      },
      { id: 'dep-old-0001', ts: T0 - 7200, status: 'REMOVED', commit: '1111111aaaa' },
    ],
    unavailable: [],
    fetchedAt: '2026-12-01T10:02:00.000Z',
    ...overrides,
  };
}
