import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createWebhookMetrics } from './webhook-metrics';

describe('createWebhookMetrics', () => {
  it('starts webhook_notifications_total at 0 for every state × outcome and for invalid pushes', async () => {
    const registry = new Registry();
    createWebhookMetrics(registry);
    const text = await registry.metrics();
    expect(text).toContain('webhook_notifications_total{state="exists",outcome="published"} 0');
    expect(text).toContain('webhook_notifications_total{state="sync",outcome="kafka_unavailable"} 0');
    expect(text).toContain('webhook_notifications_total{state="invalid",outcome="invalid"} 0');
    expect(text.match(/^webhook_notifications_total\{/gm)).toHaveLength(3 * 9 + 1);
  });
});
