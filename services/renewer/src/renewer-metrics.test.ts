import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createRenewerMetrics } from './renewer-metrics';

describe('createRenewerMetrics', () => {
  it('starts the counters at 0 for their known labels', async () => {
    const registry = new Registry();
    createRenewerMetrics(registry, async () => ({ live: 0, expiring: 0 }));
    const text = await registry.metrics();
    expect(text).toContain('channel_renewals_total{kind="renewed",resource="calendarList"} 0');
    expect(text).toContain('channel_renewal_failures_total{resource="events"} 0');
    expect(text).toContain('channel_stops_total{outcome="not_found"} 0');
  });
});
