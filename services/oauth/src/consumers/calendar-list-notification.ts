import { type MessageOf, PermanentMessageError } from '@gcal-sync/shared';
import { type CalendarRefreshDeps, refreshCalendars } from '../calendars/refresh-calendars';

/**
 * A calendarList push (or tick) means the account's calendar list may have changed: re-read it.
 * Refreshing is idempotent, so a redelivered message only costs one more list call. Event
 * notifications on the same topic belong to sync-core.
 */
export async function onGoogleNotification(
  deps: CalendarRefreshDeps,
  message: MessageOf<'googleNotifications'>,
): Promise<void> {
  if (message.payload.resource !== 'calendarList') return;
  if (!message.connectionId) {
    throw new PermanentMessageError('calendarList notification without a connectionId: cannot tell which account');
  }
  await refreshCalendars(deps, message.connectionId, 'push');
}
