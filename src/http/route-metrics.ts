// Request rate and latency per route for Prometheus, counted without a labels object, a
// label check or a hash per request: each route gets its own recorder when it is
// registered, and a request only adds to a few numbers. The registry formats them at
// scrape time, under the names and labels prom-client's Histogram and Counter would use.
import type { Registry } from 'prom-client';

const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

type Labels = { method: string; route: string; status: string };
/** Observations per bucket (not cumulative); the last slot is above every bound (+Inf only). */
type Series = { labels: Labels; perBucket: number[]; sum: number; count: number };

export type Recorder = (statusCode: number, seconds: number) => void;

export class RouteMetrics {
  private readonly series: Series[] = [];

  /** Counts the responses of one route template and method, by status class ("2xx"…). */
  recorder(method: string, route: string): Recorder {
    const byClass: (Series | undefined)[] = [];
    return (statusCode, seconds) => {
      const c = Math.floor(statusCode / 100);
      let s = byClass[c];
      if (!s) this.series.push((s = byClass[c] = { labels: { method, route, status: `${c}xx` }, perBucket: new Array(BUCKETS.length + 1).fill(0), sum: 0, count: 0 }));
      let i = 0;
      while (i < BUCKETS.length && seconds > BUCKETS[i]!) i++;
      s.perBucket[i]!++;
      s.sum += seconds;
      s.count++;
    };
  }

  register(registry: Registry) {
    const all = this.series;
    const bucket = 'http_request_duration_seconds_bucket';
    registry.registerMetric(
      metric('http_request_duration_seconds', 'HTTP request latency by route', 'histogram', () =>
        all.flatMap((s) => {
          let cumulative = 0;
          return [
            ...BUCKETS.map((le, i) => ({ metricName: bucket, labels: { le, ...s.labels }, value: (cumulative += s.perBucket[i]!) })),
            { metricName: bucket, labels: { le: '+Inf', ...s.labels }, value: s.count },
            { metricName: 'http_request_duration_seconds_sum', labels: s.labels, value: s.sum },
            { metricName: 'http_request_duration_seconds_count', labels: s.labels, value: s.count },
          ];
        }),
      ),
    );
    registry.registerMetric(metric('http_requests_total', 'HTTP requests by route and status class', 'counter', () => all.map((s) => ({ labels: s.labels, value: s.count }))));
  }
}

type Value = { metricName?: string; labels: Record<string, string | number>; value: number };

/** What the registry asks of a metric: its name, and its values at scrape time. */
function metric(name: string, help: string, type: 'histogram' | 'counter', values: () => Value[]) {
  const get = async () => ({ name, help, type, aggregator: 'sum', values: values() });
  return { name, help, type, aggregator: 'sum', get } as unknown as Parameters<Registry['registerMetric']>[0];
}
