import { counterAtZero } from '@gcal-sync/shared';
import { Counter, type Registry } from 'prom-client';

/** This service's own metrics, on the runtime's registry; counters start at 0 for their known labels. */
export function createOAuthMetrics(registry: Registry) {
  return {
    tokenRequests: counterAtZero(
      new Counter({
        name: 'oauth_access_token_requests_total',
        help: 'Access-token requests by how they were served (cached, refresh, joined, refreshed_by_other).',
        labelNames: ['outcome'] as const,
        registers: [registry],
      }),
      { outcome: ['cached', 'refresh', 'joined', 'refreshed_by_other'] },
    ),
    tokenRefreshes: counterAtZero(
      new Counter({
        name: 'oauth_token_refreshes_total',
        help: 'Refresh-token grants sent to Google by outcome (ok, revoked, error).',
        labelNames: ['outcome'] as const,
        registers: [registry],
      }),
      { outcome: ['ok', 'revoked', 'error'] },
    ),
    calendarRefreshes: counterAtZero(
      new Counter({
        name: 'oauth_calendar_list_refreshes_total',
        help: 'Calendar list refreshes by trigger (push, periodic, admin) and outcome (refreshed, gone, revoked, error).',
        labelNames: ['trigger', 'outcome'] as const,
        registers: [registry],
      }),
      { trigger: ['push', 'periodic', 'admin'], outcome: ['refreshed', 'gone', 'revoked', 'error'] },
    ),
  };
}
export type OAuthMetrics = ReturnType<typeof createOAuthMetrics>;
