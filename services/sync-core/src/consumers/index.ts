import type { HandlerMap } from '@gcal-sync/shared';
import type { Inbound } from '../inbound';
import type { Outbound } from '../outbound';

/** sync-core's inbound contract: topic → handler. */
export function buildHandlers({ inbound, outbound }: { inbound: Inbound; outbound: Outbound }): HandlerMap {
  return {
    googleNotifications: inbound.onNotification,
    // Outbound only keeps the default write calendar (an idempotent upsert), then inbound handles the rest.
    connectionLifecycle: async (message, meta) => {
      await outbound.onConnectionLifecycle(message, meta);
      await inbound.onConnectionLifecycle(message, meta);
    },
    bookingCommands: outbound.onBookingCommand,
  };
}
