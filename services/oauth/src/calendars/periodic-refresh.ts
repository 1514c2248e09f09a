import type { Pool } from '@gcal-sync/shared';
import { claimStaleCalendarLists } from '../connections/connection-repository';
import { type CalendarRefreshDeps, refreshCalendars } from './refresh-calendars';

/**
 * Calendars added or removed in Google are picked up even without push notifications: each tick
 * claims a few connections whose list is older than maxAgeMs (SKIP LOCKED, so replicas share the
 * work) and refreshes them one by one.
 */
export function startPeriodicCalendarRefresh(
  deps: CalendarRefreshDeps & { pool: Pool },
  options: { tickMs: number; maxAgeMs: number; batch?: number },
): { stop(): Promise<void> } {
  let running: Promise<void> | undefined;
  let stopped = false;
  const tick = async () => {
    const ids = await claimStaleCalendarLists(deps.pool, options.maxAgeMs, options.batch ?? 20);
    for (const id of ids) {
      if (stopped) return;
      try {
        await refreshCalendars(deps, id, 'periodic');
      } catch (error) {
        deps.metrics.calendarRefreshes.inc({ trigger: 'periodic', outcome: 'error' });
        deps.logger.warn(
          { connectionId: id, err: error },
          'periodic calendar refresh failed; retried after the refresh interval',
        );
      }
    }
  };
  const timer = setInterval(() => {
    if (running || stopped) return;
    running = tick()
      .catch((error) => deps.logger.warn({ err: error }, 'periodic calendar refresh tick failed'))
      .finally(() => {
        running = undefined;
      });
  }, options.tickMs);
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
