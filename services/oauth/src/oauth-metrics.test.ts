import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createOAuthMetrics } from './oauth-metrics';

describe('createOAuthMetrics', () => {
  it('starts the counters at 0 for their known labels', async () => {
    const registry = new Registry();
    createOAuthMetrics(registry);
    const text = await registry.metrics();
    expect(text).toContain('oauth_access_token_requests_total{outcome="refreshed_by_other"} 0');
    expect(text).toContain('oauth_token_refreshes_total{outcome="revoked"} 0');
    expect(text).toContain('oauth_calendar_list_refreshes_total{trigger="periodic",outcome="error"} 0');
    expect(text.match(/^oauth_calendar_list_refreshes_total\{/gm)).toHaveLength(12);
  });
});
