import { counterAtZero } from '@gcal-sync/shared';
import { Counter, Histogram, type Registry } from 'prom-client';
import type { ResourceState } from './push/push-headers';
import type { PushOutcome } from './push/push-processor';

export type WebhookMetrics = ReturnType<typeof createWebhookMetrics>;

/** Every outcome a parsed push can get (a Record, so a new PushOutcome must be added here), and "error". */
const OUTCOMES: Record<PushOutcome | 'error', true> = {
  published: true,
  acknowledged: true,
  duplicate: true,
  forged: true,
  unknown: true,
  retired: true,
  kafka_unavailable: true,
  lookup_failed: true,
  error: true,
};
const STATES = ['sync', 'exists', 'not_exists'] satisfies ResourceState[];

/** At 0 for every state × outcome from the start (and invalid pushes), so rate()/increase() see the first one. */
function startNotificationsAtZero(counter: Counter<'state' | 'outcome'>): Counter<'state' | 'outcome'> {
  counterAtZero(counter, { state: STATES, outcome: Object.keys(OUTCOMES) });
  counterAtZero(counter, { state: ['invalid'], outcome: ['invalid'] });
  return counter;
}

export function createWebhookMetrics(registry: Registry) {
  return {
    notifications: startNotificationsAtZero(
      new Counter({
        name: 'webhook_notifications_total',
        help: 'Google push notifications by X-Goog-Resource-State and outcome (published, acknowledged, duplicate, forged, unknown, retired, kafka_unavailable, lookup_failed, error, invalid).',
        labelNames: ['state', 'outcome'] as const,
        registers: [registry],
      }),
    ),
    ackDuration: new Histogram({
      name: 'webhook_ack_duration_seconds',
      help: 'Time from receiving a push to answering it (for published ones: including the Kafka acknowledgement).',
      labelNames: ['status'] as const,
      buckets: [0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.03, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
  };
}
