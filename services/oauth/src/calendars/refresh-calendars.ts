import { HttpError, type Logger, type Pool, withTransaction } from '@gcal-sync/shared';
import { findConnection, touchCalendarsRefreshed } from '../connections/connection-repository';
import type { FetchCalendarList } from '../google/calendar-list';
import { GoogleCallError } from '../google/google-oauth';
import type { OAuthMetrics } from '../oauth-metrics';
import type { AccessToken, AccessTokenVault } from '../vault/access-token-vault';
import { applyCalendarList } from './apply-calendar-list';
import { type CalendarListEntry, type DiscoveredCalendar, toDiscoveredCalendar } from './calendar-entry';

export type CalendarRefreshDeps = {
  pool: Pool;
  vault: AccessTokenVault;
  fetchCalendarList: FetchCalendarList;
  logger: Logger;
  metrics: OAuthMetrics;
};

export type RefreshTrigger = 'push' | 'periodic' | 'admin';

/** Reads the account's calendar list with a token that is retried once after a 401. */
export async function fetchDiscoveredCalendars(
  fetchCalendarList: FetchCalendarList,
  accessToken: string,
  onUnauthorized?: (rejected: string) => Promise<string>,
): Promise<DiscoveredCalendar[]> {
  let entries: CalendarListEntry[];
  try {
    entries = await fetchCalendarList(accessToken);
  } catch (error) {
    if (!(error instanceof GoogleCallError && error.status === 401 && onUnauthorized)) throw error;
    entries = await fetchCalendarList(await onUnauthorized(accessToken));
  }
  return entries.map(toDiscoveredCalendar).filter((c): c is DiscoveredCalendar => c !== null);
}

/**
 * Re-reads a connection's calendar list from Google and applies the difference.
 * 'gone' and revoked or paused connections are skipped (nothing to refresh, not an error).
 */
export async function refreshCalendars(
  deps: CalendarRefreshDeps,
  connectionId: string,
  trigger: RefreshTrigger,
): Promise<'refreshed' | 'gone' | 'revoked'> {
  let token: AccessToken;
  try {
    token = await deps.vault.get(connectionId);
  } catch (error) {
    if (error instanceof HttpError && (error.code === 'connection_not_found' || error.status === 409)) {
      const outcome = error.code === 'connection_not_found' ? 'gone' : 'revoked';
      deps.metrics.calendarRefreshes.inc({ trigger, outcome });
      return outcome;
    }
    throw error;
  }
  const fetched = await fetchDiscoveredCalendars(
    deps.fetchCalendarList,
    token.accessToken,
    async (rejected) =>
      (await deps.vault.get(connectionId, { forceRefresh: true, rejectedToken: rejected })).accessToken,
  );
  const outcome = await withTransaction(deps.pool, async (db) => {
    const row = await findConnection(db, connectionId, { forUpdate: true });
    if (!row) return 'gone' as const;
    if (row.status !== 'active') return 'revoked' as const;
    await applyCalendarList(db, { orgId: row.org_id, connectionId }, row.default_calendar_id, fetched);
    await touchCalendarsRefreshed(db, connectionId);
    return 'refreshed' as const;
  });
  deps.metrics.calendarRefreshes.inc({ trigger, outcome });
  deps.logger.debug({ connectionId, trigger, outcome, calendars: fetched.length }, 'calendar list refreshed');
  return outcome;
}
