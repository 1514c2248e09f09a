import { Counter, Histogram, type Registry } from 'prom-client';

export type WebhookMetrics = ReturnType<typeof createWebhookMetrics>;

export function createWebhookMetrics(registry: Registry) {
  return {
    notifications: new Counter({
      name: 'webhook_notifications_total',
      help: 'Google push notifications by X-Goog-Resource-State and outcome (published, acknowledged, duplicate, forged, unknown, retired, kafka_unavailable, lookup_failed, invalid).',
      labelNames: ['state', 'outcome'] as const,
      registers: [registry],
    }),
    ackDuration: new Histogram({
      name: 'webhook_ack_duration_seconds',
      help: 'Time from receiving a push to answering it (for published ones: including the Kafka acknowledgement).',
      labelNames: ['status'] as const,
      buckets: [0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.03, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
  };
}
