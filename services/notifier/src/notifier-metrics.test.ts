import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createNotifierMetrics } from './notifier-metrics';

describe('createNotifierMetrics', () => {
  it('starts slack_deliveries_total at 0 for the outcome × target pairs that can occur', async () => {
    const registry = new Registry();
    createNotifierMetrics(registry, { openIncidents: async () => 0, pendingDeliveries: async () => 0 });
    const text = await registry.metrics();
    expect(text).toContain('slack_deliveries_total{outcome="delivered",target="org"} 0');
    expect(text).toContain('slack_deliveries_total{outcome="rate_limited",target="fallback"} 0');
    expect(text).toContain('slack_deliveries_total{outcome="no_webhook",target="none"} 0');
    expect(text).not.toContain('outcome="delivered",target="none"');
  });
});
