import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createInboundMetrics } from './inbound-metrics';

describe('createInboundMetrics', () => {
  it('starts the change and sync-run counters at 0 for their known labels', async () => {
    const registry = new Registry();
    createInboundMetrics(registry, { calendarsByState: async () => [] });
    const text = await registry.metrics();
    expect(text).toContain('sync_changes_applied_total{change="deleted",source="app"} 0');
    expect(text).toContain('sync_runs_total{kind="full",outcome="failed"} 0');
    expect(text.match(/^sync_runs_total\{/gm)).toHaveLength(6);
  });
});
