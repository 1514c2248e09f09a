import type { HandlerMap } from '@gcal-sync/shared';
import type { CalendarRefreshDeps } from '../calendars/refresh-calendars';
import { onGoogleNotification } from './calendar-list-notification';

/** This service's inbound contract: topic → handler. */
export function buildHandlers(deps: CalendarRefreshDeps): HandlerMap {
  return { googleNotifications: (message) => onGoogleNotification(deps, message) };
}
