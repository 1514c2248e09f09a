import { Counter, Gauge, type Registry } from 'prom-client';

export type NotifierMetrics = ReturnType<typeof createNotifierMetrics>;

/** Gauges read Postgres at scrape time, so every replica reports the same truth. */
export function createNotifierMetrics(
  registry: Registry,
  read: { openIncidents: () => Promise<number>; pendingDeliveries: () => Promise<number> },
) {
  return {
    slackDeliveries: new Counter({
      name: 'slack_deliveries_total',
      help: 'Slack webhook delivery attempts by outcome (delivered, rate_limited, server_error, network_error, webhook_broken, rejected, no_webhook, expired).',
      labelNames: ['outcome', 'target'] as const,
      registers: [registry],
    }),
    incidentsOpen: new Gauge({
      name: 'notifier_incidents_open',
      help: 'Incidents currently open, all orgs.',
      registers: [registry],
      async collect() {
        this.set(await read.openIncidents().catch(() => Number.NaN));
      },
    }),
    deliveriesPending: new Gauge({
      name: 'notifier_deliveries_pending',
      help: 'Slack messages queued and not yet delivered or given up on.',
      registers: [registry],
      async collect() {
        this.set(await read.pendingDeliveries().catch(() => Number.NaN));
      },
    }),
  };
}
