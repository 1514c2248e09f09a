import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dashboardQueries, metricNames } from './promql';

describe('metricNames', () => {
  it('finds the metrics of an aggregated histogram quantile, not its functions or labels', () => {
    expect(
      metricNames('histogram_quantile(0.95, sum by (le, op) (rate(app_to_google_write_duration_seconds_bucket[5m])))'),
    ).toEqual(['app_to_google_write_duration_seconds_bucket']);
  });

  it('ignores label matchers, strings, keywords and durations', () => {
    expect(
      metricNames(
        'max by (group, topic) (kafka_consumer_lag_messages{group!="x and y"}) > 100 and max by (group) (deriv(kafka_consumer_lag_messages[10m] offset 5m)) > 0',
      ),
    ).toEqual(['kafka_consumer_lag_messages']);
  });

  it('lists every metric of a binary expression', () => {
    expect(
      metricNames(
        '(sum(rate(google_api_calls_total[5m])) + sum(rate(outbound_google_calls_total[5m]))) * 60 / 10000 > 0.8',
      ),
    ).toEqual(['google_api_calls_total', 'outbound_google_calls_total']);
    expect(metricNames('sum(sync_calendars{state="paused"}) or vector(0)')).toEqual(['sync_calendars']);
  });

  it('ignores regex matchers with alternatives', () => {
    expect(
      metricNames(
        'sum by (status, reason) (rate(google_api_calls_total{status=~"403|429",reason=~"rateLimitExceeded|quotaExceeded"}[5m])) or vector(0)',
      ),
    ).toEqual(['google_api_calls_total']);
  });
});

describe('dashboardQueries', () => {
  const queries = dashboardQueries(join(__dirname, '../../deploy/helm/dashboards'), '1m');

  it('reads every target of the three dashboards', () => {
    expect(new Set(queries.map((q) => q.dashboard))).toEqual(
      new Set(['gcal-sync / Sync latency', 'gcal-sync / Google quota', 'gcal-sync / Channels and health']),
    );
  });

  it('the Google quota dashboard shows 429/403 answers by status and reason, inbound and outbound', () => {
    const limits = queries.filter(
      (q) => q.dashboard === 'gcal-sync / Google quota' && q.expr.includes('status=~"403|429"'),
    );
    expect(limits.map((q) => metricNames(q.expr))).toEqual([
      ['google_api_calls_total'],
      ['outbound_google_calls_total'],
    ]);
    for (const q of limits) expect(q.expr).toContain('sum by (status, reason)');
  });

  it('resolves every Grafana variable and names at least one metric per query', () => {
    for (const q of queries) {
      expect(q.expr, q.raw).not.toMatch(/\$/);
      expect(metricNames(q.expr).length, q.raw).toBeGreaterThan(0);
    }
  });
});
