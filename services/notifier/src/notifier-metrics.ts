import { counterAtZero } from '@gcal-sync/shared';
import { Counter, Gauge, type Registry } from 'prom-client';

export type NotifierMetrics = ReturnType<typeof createNotifierMetrics>;

/** Gauges read Postgres at scrape time, so every replica reports the same truth. */
export function createNotifierMetrics(
  registry: Registry,
  read: { openIncidents: () => Promise<number>; pendingDeliveries: () => Promise<number> },
) {
  return {
    slackDeliveries: startDeliveriesAtZero(
      new Counter({
        name: 'slack_deliveries_total',
        help: 'Slack webhook delivery attempts by outcome (delivered, rate_limited, server_error, network_error, webhook_broken, rejected, no_webhook, expired).',
        labelNames: ['outcome', 'target'] as const,
        registers: [registry],
      }),
    ),
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

/**
 * The outcome × target pairs a delivery can report, at 0 from the start so rate()/increase() see
 * the first one: attempts at the org's or the fallback webhook, and the two without any webhook.
 */
function startDeliveriesAtZero(counter: Counter<'outcome' | 'target'>): Counter<'outcome' | 'target'> {
  counterAtZero(counter, {
    outcome: ['delivered', 'rate_limited', 'server_error', 'network_error', 'webhook_broken', 'rejected', 'expired'],
    target: ['org', 'fallback'],
  });
  counterAtZero(counter, { outcome: ['no_webhook', 'expired'], target: ['none'] });
  return counter;
}
