// A verification's reads of Railway's metrics for one service: the window before the release and
// the one after, requests and duration for the verdict, memory only to report.
import type { MetricsSource, MetricsWindow } from '../metrics/metricsSource';
import type { WindowSeries } from './verificationJudgement';

/** Memory is sampled per minute over the window; the http queries are asked for one aggregate. */
const MEMORY_STEP_SECONDS = 60;

export interface Range {
  from: number;
  to: number;
}

export interface ReadWindows {
  before?: WindowSeries;
  after?: WindowSeries;
  failure?: string;
}

/** Both windows of one service, one after the other; a failure of either is the reason for both. */
export async function readWindows(
  source: MetricsSource | undefined,
  environmentId: string,
  serviceId: string,
  { before, after }: { before: Range; after: Range },
): Promise<ReadWindows> {
  if (!source) return { failure: 'signed out of Railway' };
  const window = (r: Range): MetricsWindow => ({
    environmentId,
    serviceId,
    from: new Date(r.from),
    to: new Date(r.to),
  });
  try {
    return {
      before: await readWindow(source, window(before)),
      after: await readWindow(source, window(after)),
    };
  } catch (e) {
    return { failure: (e as Error).message };
  }
}

/** Requests and duration are the verdict (a failure rejects); memory is only reported. */
async function readWindow(source: MetricsSource, w: MetricsWindow): Promise<WindowSeries> {
  const [requests, duration, resources] = await Promise.all([
    source.requests(w),
    source.duration(w),
    source.resources({ ...w, stepSeconds: MEMORY_STEP_SECONDS }).catch(() => undefined),
  ]);
  return { requests, duration, ...(resources && { resources }) };
}
