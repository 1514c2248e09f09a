import { counterAtZero, LATENCY_BUCKETS, type ServiceMetrics } from '@gcal-sync/shared';
import { Counter, Gauge, Histogram } from 'prom-client';
import type { ConflictDecision } from './resolve-conflict';

/** Outbound (app → Google) metrics, on the service's registry. */
export function createOutboundMetrics(metrics: ServiceMetrics) {
  const registers = [metrics.registry];
  return {
    writeDuration: new Histogram({
      name: 'app_to_google_write_duration_seconds',
      help: 'Booking write latency from receipt to Google answered and the result committed, by operation and outcome.',
      labelNames: ['op', 'outcome'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    googleCalls: new Counter({
      name: 'outbound_google_calls_total',
      help: 'Google Calendar API calls made by booking writes, by method, outcome (ok or the error class), HTTP status ("network" without an answer) and Google\'s error reason ("none" on success, "other" off the allow-list).',
      labelNames: ['method', 'outcome', 'status', 'reason'] as const,
      registers,
    }),
    // At 0 for every resolution from the start, so rate()/increase() see the first conflict.
    conflicts: counterAtZero(
      new Counter({
        name: 'outbound_conflicts_total',
        help: 'Concurrent edits met by booking writes (412 from Google), by resolution (merged, app-won, google-won).',
        labelNames: ['resolution'] as const,
        registers,
      }),
      { resolution: ['merged', 'app-won', 'google-won'] satisfies ConflictDecision['resolution'][] },
    ),
    queued: new Gauge({
      name: 'outbound_commands_queued',
      help: 'Booking writes waiting for a retry (rate limits, transient Google errors, paused connections).',
      registers,
    }),
    pausedConnections: new Gauge({
      name: 'outbound_paused_connections',
      help: 'Connections whose booking writes are paused after repeated failures or Google usage limits.',
      registers,
    }),
  };
}
export type OutboundMetrics = ReturnType<typeof createOutboundMetrics>;
