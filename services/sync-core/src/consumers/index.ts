import type { HandlerMap } from '@gcal-sync/shared';
import type { Inbound } from '../inbound';
import type { Outbound } from '../outbound';

/** sync-core's inbound contract: topic → handler. */
export function buildHandlers({ inbound, outbound }: { inbound: Inbound; outbound: Outbound }): HandlerMap {
  return {
    googleNotifications: inbound.onNotification,
    connectionLifecycle: inbound.onConnectionLifecycle,
    bookingCommands: outbound.onBookingCommand,
  };
}
