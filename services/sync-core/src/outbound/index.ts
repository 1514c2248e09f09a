import {
  createAccessTokenClient,
  type MessageHandler,
  PermanentMessageError,
  type ServiceRuntime,
} from '@gcal-sync/shared';
import type { Router } from 'express';
import type { Config } from '../config';
import { createBookingRouter } from './booking-router';
import { recordDefaultCalendar } from './default-calendar-handler';
import { createGoogleCalendarClient } from './google-calendar-client';
import { createGoogleTiming } from './google-timing';
import { createOutboundMetrics } from './outbound-metrics';
import { startRetryWorker } from './retry-worker';
import { createWriteRunner } from './write-runner';

export { isOwnWrite } from './echo-detector';
export { eventIdForBooking } from './event-id';

export type Outbound = {
  onBookingCommand: MessageHandler<'bookingCommands'>;
  /** Default write calendar from connection.lifecycle (connected / default-calendar.changed). */
  onConnectionLifecycle: MessageHandler<'connectionLifecycle'>;
  /** Booking API (mounted behind internal auth). */
  router: Router;
  stop(): Promise<void>;
};

/**
 * App → Google: bookings written to Google, conflicts, echo suppression.
 *
 * - One path for both entry points: a booking API request and a booking.commands message become the
 *   same command, stored by its idempotency key (commandId) in outbound_commands; results of both go
 *   to booking.results through the outbox. Creates use an event id derived from the booking id.
 * - Writes PATCH only app-owned fields with If-Match on the etag of the version the caller saw; a 412
 *   is merged or decided by last-write-wins with a clock-skew allowance (resolve-conflict.ts).
 * - Rate limits: a request retries for at most OUTBOUND_SYNC_WAIT_MS, then answers 202 with the
 *   command queued (not 429): the write is accepted durably, later writes of the booking queue behind
 *   it, and the retry worker carries on with backoff (2 s … 5 min, pause + alert after 5 failures).
 * - Echo suppression (choice: publish, marked): every write is recorded in outbound_writes before
 *   Google is called (write id = extendedProperties.private.gcalSyncWriteId) and completed with the
 *   etag Google returned. The written event is applied to the mirror at once, publishing one change
 *   event with `source: 'app'` and a new version, which the API also returns. When the sync later
 *   sees the same etag it publishes nothing; if it sees the write first, `isOwnWrite` (given to
 *   inbound in main.ts) marks it `source: 'app'`. Our own writes never cause another write, so no loop.
 */
export async function createOutbound({
  runtime,
  config,
}: {
  runtime: ServiceRuntime;
  config: Config;
}): Promise<Outbound> {
  const { pool, logger } = runtime;
  const metrics = createOutboundMetrics(runtime.metrics);
  const timing = createGoogleTiming();
  const google = createGoogleCalendarClient({
    rootUrl: config.GOOGLE_API_ROOT_URL,
    tokens: createAccessTokenClient({ oauthBaseUrl: config.OAUTH_SERVICE_URL, credential: config.OAUTH_SERVICE_TOKEN }),
    metrics,
    timing,
  });
  const leaseMs = 60_000;
  let kick = () => {};
  const runner = createWriteRunner({
    pool,
    google,
    metrics,
    logger,
    settings: {
      syncWaitMs: config.OUTBOUND_SYNC_WAIT_MS,
      backoffBaseMs: config.OUTBOUND_BACKOFF_BASE_MS,
      backoffMaxMs: config.OUTBOUND_BACKOFF_MAX_MS,
      pauseAfterFailures: config.OUTBOUND_PAUSE_AFTER_FAILURES,
      quotaPauseMs: config.OUTBOUND_QUOTA_PAUSE_MS,
      skewMs: config.OUTBOUND_CLOCK_SKEW_MS,
      leaseMs,
    },
    onQueued: () => kick(),
  });
  const worker = startRetryWorker({
    pool,
    runner,
    metrics,
    logger,
    intervalMs: config.OUTBOUND_RETRY_POLL_MS,
    leaseMs,
    retentionDays: config.OUTBOUND_RETENTION_DAYS,
  });
  kick = () => setTimeout(() => worker.kick(), 0).unref();

  return {
    // The offset is committed only after this resolves, i.e. after the outcome (or the queued row) is committed.
    onBookingCommand: async (message) => {
      if (!message.connectionId) throw new PermanentMessageError('booking command without connectionId');
      await runner.submit({
        orgId: message.orgId,
        connectionId: message.connectionId,
        command: message.payload,
        receivedAt: new Date().toISOString(),
        waitMs: 0,
      });
    },
    onConnectionLifecycle: (message) => recordDefaultCalendar(pool, message),
    router: createBookingRouter({ pool, runner, syncWaitMs: config.OUTBOUND_SYNC_WAIT_MS, timing }),
    stop: () => worker.stop(),
  };
}
