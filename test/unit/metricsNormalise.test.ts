// The pure normalisation of Railway's metrics answers: classes, aligned steps, filled gaps, and
// either reading of what Railway leaves open giving the same series.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  classOf,
  normaliseDuration,
  normaliseRequests,
  normaliseResources,
  toSeconds,
  windowSteps,
} from '../../daemon/metrics/metricsNormalise';
import type { MetricsWindow } from '../../daemon/metrics/metricsSource';

const T0 = 1_795_000_020; // a multiple of 30 and of 60
const stepped: MetricsWindow = {
  environmentId: 'e',
  serviceId: 's',
  from: new Date(T0 * 1000),
  to: new Date((T0 + 120) * 1000),
  stepSeconds: 30,
};
const aggregate: MetricsWindow = { ...stepped, stepSeconds: undefined };
const sample = (offset: number, value: number) => ({ ts: T0 + offset, value });

void describe('metrics normalisation', () => {
  void it('puts status codes in classes, 1xx with 2xx, anything else nowhere', () => {
    assert.deepEqual([101, 200, 204, 304, 404, 499, 500, 503, 0, 600].map(classOf), [
      '2xx',
      '2xx',
      '2xx',
      '3xx',
      '4xx',
      '4xx',
      '5xx',
      '5xx',
      undefined,
      undefined,
    ]);
  });

  void it('sums codes into classes on the same steps, missing steps 0', () => {
    const series = normaliseRequests(
      [
        { statusCode: 200, samples: [sample(0, 10), sample(60, 4)] },
        { statusCode: 201, samples: [sample(0, 2)] },
        { statusCode: 101, samples: [sample(90, 1)] },
        { statusCode: 404, samples: [sample(30, 3)] },
        { statusCode: 502, samples: [sample(60, 7)] },
      ],
      stepped,
    );
    assert.deepEqual(series.ts, [T0, T0 + 30, T0 + 60, T0 + 90]);
    assert.deepEqual(series.byClass, {
      '2xx': [12, 0, 4, 1],
      '3xx': [0, 0, 0, 0],
      '4xx': [0, 3, 0, 0],
      '5xx': [0, 0, 7, 0],
    });
  });

  void it('gives the same series whether Railway omits empty steps or sends zeros', () => {
    const omitted = normaliseRequests([{ statusCode: 200, samples: [sample(30, 5)] }], stepped);
    const zeros = normaliseRequests(
      [{ statusCode: 200, samples: [sample(0, 0), sample(30, 5), sample(60, 0), sample(90, 0)] }],
      stepped,
    );
    assert.deepEqual(zeros, omitted);
    const d = (offset: number, p: number) => ({ ts: T0 + offset, p50: p, p90: p, p95: p, p99: p });
    const dOmitted = normaliseDuration([d(30, 40)], stepped);
    const dZeros = normaliseDuration([d(0, 0), d(30, 40), d(60, 0), d(90, 0)], stepped);
    assert.deepEqual(dZeros, dOmitted);
    assert.deepEqual(dOmitted.p95, [null, 40, null, null]);
  });

  void it('reads ts in milliseconds as seconds, and drops samples outside the window', () => {
    assert.equal(toSeconds(T0 * 1000), T0);
    assert.equal(toSeconds(T0), T0);
    const series = normaliseRequests(
      [
        {
          statusCode: 200,
          samples: [{ ts: (T0 + 30) * 1000, value: 2 }, sample(-30, 9), sample(120, 9)],
        },
      ],
      stepped,
    );
    assert.deepEqual(series.byClass['2xx'], [0, 2, 0, 0]);
  });

  void it('rounds an unaligned window down to its first step', () => {
    const w = { ...stepped, from: new Date((T0 + 7) * 1000), to: new Date((T0 + 61) * 1000) };
    assert.deepEqual(windowSteps(w), [T0, T0 + 30, T0 + 60]);
  });

  void it('makes one sample of an aggregate, however many samples Railway sent', () => {
    const one = normaliseRequests([{ statusCode: 500, samples: [sample(0, 3)] }], aggregate);
    const several = normaliseRequests(
      [{ statusCode: 500, samples: [sample(0, 1), sample(30, 2)] }],
      aggregate,
    );
    assert.deepEqual(one, several);
    assert.deepEqual(one.ts, [T0]);
    const d = normaliseDuration(
      [
        { ts: T0, p50: 10, p90: 20, p95: 30, p99: 40 },
        { ts: T0 + 30, p50: 20, p90: 40, p95: 50, p99: 80 },
      ],
      aggregate,
    );
    assert.deepEqual(d, { ts: [T0], p50: [15], p90: [30], p95: [40], p99: [60] });
    assert.deepEqual(normaliseDuration([], aggregate).p95, [null]);
  });

  void it('lines resources up by step, a measurement missing a step reading 0', () => {
    const r = normaliseResources(
      [
        { measurement: 'MEMORY_USAGE_GB', values: [sample(30, 0.2), sample(0, 0.18)] },
        { measurement: 'CPU_USAGE', values: [sample(0, 0.05), sample(30, 0.07)] },
        { measurement: 'NETWORK_TX_GB', values: [sample(30, 0.001)] },
        { measurement: 'DISK_USAGE_GB', values: [sample(0, 5)] },
      ],
      stepped,
    );
    assert.deepEqual(r, {
      ts: [T0, T0 + 30],
      cpu: [0.05, 0.07],
      memoryGb: [0.18, 0.2],
      networkRxGb: [0, 0],
      networkTxGb: [0, 0.001],
    });
  });
});
