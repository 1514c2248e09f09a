import type { MessageHandler, ServiceRuntime } from '@gcal-sync/shared';
import { Router } from 'express';
import type { Config } from '../config';

export type Outbound = {
  onBookingCommand: MessageHandler<'bookingCommands'>;
  /** Booking API (mounted behind internal auth). */
  router: Router;
  stop(): Promise<void>;
};

/** App → Google: bookings written to Google, conflicts, echo suppression. */
export async function createOutbound(_deps: { runtime: ServiceRuntime; config: Config }): Promise<Outbound> {
  return {
    onBookingCommand: async () => {},
    router: Router(),
    stop: async () => {},
  };
}
