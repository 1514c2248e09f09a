import { createServiceMetrics } from '@gcal-sync/shared';
import { describe, expect, it } from 'vitest';
import { createOutboundMetrics } from './outbound-metrics';

describe('createOutboundMetrics', () => {
  it('starts outbound_conflicts_total at 0 for every resolution', async () => {
    const metrics = createServiceMetrics('sync-core');
    createOutboundMetrics(metrics);
    const text = await metrics.registry.metrics();
    for (const resolution of ['merged', 'app-won', 'google-won'])
      expect(text).toContain(`outbound_conflicts_total{resolution="${resolution}",service="sync-core"} 0`);
  });
});
