// The MetricsSource over Railway's API: each read is one of the daemon's named operations sent
// through the one Railway client (pacing, rate limits, retries), its answer normalised.
import { RpcError } from '../../protocol/jsonrpc';
import { ErrorCode } from '../../protocol/protocol';
import type { DurationSeries, RequestSeries, ResourceSeries } from '../../protocol/metrics';
import type { RailwayClient } from '../railway/railwayClient';
import type { RailwayOperationName } from '../railway/operations';
import { toRpcError } from '../upstreamError';
import type { MetricsSource, MetricsWindow } from './metricsSource';
import {
  normaliseDuration,
  normaliseRequests,
  normaliseResources,
  RESOURCE_MEASUREMENTS,
  type RailwayDurationSample,
  type RailwayMeasurement,
  type RailwayStatusGroup,
} from './metricsNormalise';

export class RailwayMetricsSource implements MetricsSource {
  /** @param client the client of the token in effect now; undefined when signed out. */
  constructor(private readonly client: () => RailwayClient | undefined) {}

  async requests(w: MetricsWindow): Promise<RequestSeries> {
    const data = await this.send<{ httpMetricsGroupedByStatus: RailwayStatusGroup[] }>(
      'HttpMetricsByStatus',
      httpVariables(w),
    );
    return normaliseRequests(data.httpMetricsGroupedByStatus, w);
  }

  async duration(w: MetricsWindow): Promise<DurationSeries> {
    const data = await this.send<{ httpDurationMetrics: { samples: RailwayDurationSample[] } }>(
      'HttpDurationMetrics',
      httpVariables(w),
    );
    return normaliseDuration(data.httpDurationMetrics.samples, w);
  }

  async resources(w: MetricsWindow): Promise<ResourceSeries> {
    const data = await this.send<{ metrics: RailwayMeasurement[] }>('ResourceMetrics', {
      environmentId: w.environmentId,
      serviceId: w.serviceId,
      startDate: w.from.toISOString(),
      endDate: w.to.toISOString(),
      // Without a rate Railway picks its own; a window's verdict reads whatever comes back.
      sampleRateSeconds: w.stepSeconds,
      measurements: Object.keys(RESOURCE_MEASUREMENTS),
    });
    return normaliseResources(data.metrics, w);
  }

  /** One request; a failure rejects with the client's own error, code and sentence. */
  private async send<T>(
    name: RailwayOperationName,
    variables: Record<string, unknown>,
  ): Promise<T> {
    const client = this.client();
    if (!client) throw new RpcError(ErrorCode.SignedOut, 'Sign in to Railway to see its metrics.');
    const answer = await client.operation<T>(name, variables);
    if (!answer.ok) throw toRpcError(answer.error);
    return answer.value;
  }
}

function httpVariables(w: MetricsWindow): Record<string, unknown> {
  return {
    environmentId: w.environmentId,
    serviceId: w.serviceId,
    startDate: w.from.toISOString(),
    endDate: w.to.toISOString(),
    stepSeconds: w.stepSeconds,
  };
}
