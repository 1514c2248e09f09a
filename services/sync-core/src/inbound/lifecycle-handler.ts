import { type MessageOf, PermanentMessageError, type Pool, withTransaction } from '@gcal-sync/shared';
import { applyGoogleEvents } from './apply-google-events';
import type { CalendarKey } from './calendar-key';
import { deselectCalendars, rememberAccount, selectCalendars, setConnectionRevoked } from './calendar-repository';
import type { EchoDetector } from './echo-detector';
import { loadMirrorRows } from './mirror-repository';
import { enqueueAlert } from './outbox-writer';
import { calendarAlert } from './sync-alerts';

/**
 * connection.lifecycle → sync state. Idempotent: every branch sets state rather than toggling it.
 *
 * - calendars.selected: register the calendars and request a first (full) sync.
 * - calendars.deselected / disconnected: stop syncing; the app is told every mirrored event of
 *   the calendar is gone (deleted change events) and the mirror keeps tombstones, so versions keep
 *   growing if the calendar is selected again (which starts over with a full sync).
 * - revoked: pause, keeping sync tokens and mirror. reauthorized: resume from the stored token.
 * - connected: the account's email is kept for alerts; nothing to sync until calendars are selected.
 * - default-calendar.changed: nothing to do here (outbound's concern).
 */
export function createLifecycleHandler(deps: {
  pool: Pool;
  echo: EchoDetector;
  wake(keys: CalendarKey[]): void;
}): (message: MessageOf<'connectionLifecycle'>) => Promise<void> {
  return async (message) => {
    const connectionId = message.connectionId;
    if (!connectionId) throw new PermanentMessageError('connection.lifecycle message without connectionId');
    const { orgId, payload } = message;
    switch (payload.type) {
      case 'calendars.selected': {
        const keys = await withTransaction(deps.pool, (tx) =>
          selectCalendars(tx, connectionId, orgId, payload.calendars),
        );
        deps.wake(keys);
        return;
      }
      case 'calendars.deselected':
      case 'disconnected': {
        const ids = payload.type === 'disconnected' ? ('all' as const) : payload.calendarIds;
        await withTransaction(deps.pool, async (tx) => {
          for (const row of await deselectCalendars(tx, connectionId, ids)) {
            const key = { connectionId, calendarId: row.calendarId };
            const live = [...(await loadMirrorRows(tx, key, 'all')).values()].filter((r) => r.status !== 'cancelled');
            // A "full sync" against an empty calendar: every live row becomes a published deletion.
            if (live.length > 0)
              await applyGoogleEvents(tx, { ...key, orgId: row.orgId }, [], { full: true, echo: deps.echo });
            if (row.openAlert) {
              await enqueueAlert(
                tx,
                { orgId: row.orgId, connectionId },
                calendarAlert(key, row.openAlert, 'resolved', 'Calendar no longer synced.'),
              );
            }
          }
        });
        return;
      }
      case 'revoked':
        await withTransaction(deps.pool, (tx) => setConnectionRevoked(tx, connectionId, orgId, true));
        return;
      case 'connected':
        await rememberAccount(deps.pool, connectionId, orgId, payload.email);
        return;
      case 'reauthorized': {
        const keys = await withTransaction(deps.pool, async (tx) => {
          await rememberAccount(tx, connectionId, orgId, payload.email);
          return setConnectionRevoked(tx, connectionId, orgId, false);
        });
        deps.wake(keys);
        return;
      }
      default:
        return;
    }
  };
}
