import type { MessageOf, Pool } from '@gcal-sync/shared';
import type { CalendarKey } from './calendar-key';
import { requestSync } from './calendar-repository';

/**
 * google.notifications → a durable sync request (requested_seq + 1), committed before the offset,
 * then a wake-up of the local scheduler. The sync itself runs outside the handler: awaiting it
 * here would serialise a partition's notifications behind one sync each, defeating coalescing.
 * Google's `sync` handshake of a new channel carries no change and is skipped.
 */
export function createNotificationHandler(deps: {
  pool: Pool;
  wake(keys: CalendarKey[]): void;
}): (message: MessageOf<'googleNotifications'>) => Promise<void> {
  return async (message) => {
    const { payload } = message;
    if (payload.resource !== 'events' || !payload.calendarId || payload.resourceState === 'sync') return;
    const keys = await requestSync(deps.pool, message.connectionId, payload.calendarId);
    deps.wake(keys);
  };
}
