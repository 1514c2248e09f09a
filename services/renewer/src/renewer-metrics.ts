import { counterAtZero } from '@gcal-sync/shared';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { WatchTarget } from './google/channels-api';

export type RenewerMetrics = ReturnType<typeof createRenewerMetrics>;

/** What a channel watches (WatchTarget['resource']). */
const RESOURCES = ['events', 'calendarList'] satisfies WatchTarget['resource'][];

/** Gauges are read from Postgres at scrape time, so every replica reports the same fleet-wide numbers. */
export function createRenewerMetrics(
  registry: Registry,
  readGauges: () => Promise<{ live: number; expiring: number }>,
) {
  let last: Promise<{ live: number; expiring: number }> | undefined;
  // One query per scrape for both gauges.
  const read = () => {
    last ??= readGauges().finally(() => {
      setTimeout(() => {
        last = undefined;
      }, 100).unref();
    });
    return last;
  };
  return {
    channelsLive: new Gauge({
      name: 'channels_live',
      help: 'Google push channels currently live.',
      registers: [registry],
      async collect() {
        this.set((await read()).live);
      },
    }),
    channelsExpiring: new Gauge({
      name: 'channels_expiring_24h',
      help: 'Live channels whose Google expiration is within 24 hours (should be near zero: they renew on day 6).',
      registers: [registry],
      async collect() {
        this.set((await read()).expiring);
      },
    }),
    // Counters start at 0 for their known labels so rate()/increase() see the first one.
    renewals: counterAtZero(
      new Counter({
        name: 'channel_renewals_total',
        help: 'Channels created by this replica: kind "created" (first for a calendar) or "renewed" (replacement).',
        labelNames: ['kind', 'resource'] as const,
        registers: [registry],
      }),
      { kind: ['created', 'renewed'], resource: RESOURCES },
    ),
    renewalFailures: counterAtZero(
      new Counter({
        name: 'channel_renewal_failures_total',
        help: 'Failed attempts to create or replace a channel.',
        labelNames: ['resource'] as const,
        registers: [registry],
      }),
      { resource: RESOURCES },
    ),
    stops: counterAtZero(
      new Counter({
        name: 'channel_stops_total',
        help: 'channels.stop outcomes (stopped, not_found, forgotten, failed).',
        labelNames: ['outcome'] as const,
        registers: [registry],
      }),
      { outcome: ['stopped', 'not_found', 'forgotten', 'failed'] },
    ),
  };
}
