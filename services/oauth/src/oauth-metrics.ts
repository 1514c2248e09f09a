import { Counter, type Registry } from 'prom-client';

/** This service's own metrics, on the runtime's registry. */
export function createOAuthMetrics(registry: Registry) {
  return {
    tokenRequests: new Counter({
      name: 'oauth_access_token_requests_total',
      help: 'Access-token requests by how they were served (cached, refresh, joined, refreshed_by_other).',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    tokenRefreshes: new Counter({
      name: 'oauth_token_refreshes_total',
      help: 'Refresh-token grants sent to Google by outcome (ok, revoked, error).',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    calendarRefreshes: new Counter({
      name: 'oauth_calendar_list_refreshes_total',
      help: 'Calendar list refreshes by trigger and outcome.',
      labelNames: ['trigger', 'outcome'] as const,
      registers: [registry],
    }),
  };
}
export type OAuthMetrics = ReturnType<typeof createOAuthMetrics>;
