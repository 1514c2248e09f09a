/**
 * Google → app: incremental sync, mirror, change events, read API.
 *
 * For outbound (app → Google), which shares this service and reads the mirror:
 *
 * (a) Applying a Google event yourself — `applyGoogleEvents(q, {orgId, connectionId, calendarId},
 *     [googleEvent], { echo })` from ./apply-google-events, inside your own transaction `q`:
 *     upserts mirror_events and enqueues the change event in sync_core_outbox atomically. It takes a
 *     transaction-level advisory lock per calendar mirror, so it is safe next to a running sync.
 *
 * (b) Versions — mirror_events.version is per (connection, calendar, event), starts at 1 and grows
 *     by exactly one with every applied change (tombstones are kept, so a re-created event
 *     continues its sequence). An event version Google reports again with the same etag and status
 *     is skipped: no new version, no message. Change events carry this version and a deterministic
 *     messageId (hash of connection/calendar/event/version); consumers keep the highest version.
 *
 * (c) Echo detection — before a change is enqueued, events carrying the private extended property
 *     `gcalSyncWriteId` (WRITE_ID_PROPERTY), and deletions in incremental syncs, are checked with an
 *     `EchoDetector`
 *     (`isOwnWrite(q, connectionId, calendarId, googleEvent)`, called in the applying transaction).
 *     A true answer marks the change `source: 'app'` (still published, never as a foreign edit).
 *     Default (./echo-detector): the marker names a row of the table `outbound_writes` (`write_id`,
 *     `etag` — null until Google answered) whose etag equals the event's; until that table exists
 *     nothing is an echo. Inject another detector through `createInbound({ ..., echo })`.
 *     mirror_events keeps `write_id`, `etag` and `source` for each event.
 *
 * Lifecycle: calendars.selected registers calendars and runs a first full sync; calendars.deselected
 * (and disconnected) stops syncing, publishes a deletion for every mirrored event and keeps
 * tombstones; revoked pauses (state kept); reauthorized resumes from the stored sync token.
 */
import {
  type AccessTokenClient,
  createAccessTokenClient,
  type MessageHandler,
  type ServiceRuntime,
} from '@gcal-sync/shared';
import type { Router } from 'express';
import type { Config } from '../config';
import { type CalendarKey, decodeCalendarKey, encodeCalendarKey } from './calendar-key';
import { countCalendarsByState, dueCalendars } from './calendar-repository';
import { defaultEchoDetector, type EchoDetector } from './echo-detector';
import { createGoogleEventsReader } from './google-events-reader';
import { createInboundMetrics } from './inbound-metrics';
import { createLifecycleHandler } from './lifecycle-handler';
import { createNotificationHandler } from './notification-handler';
import { createQuotaGate } from './quota-gate';
import { createReadApi } from './read-api';
import { runCalendarSync } from './run-calendar-sync';
import { createSyncScheduler } from './sync-scheduler';

export type Inbound = {
  onNotification: MessageHandler<'googleNotifications'>;
  onConnectionLifecycle: MessageHandler<'connectionLifecycle'>;
  /** Read API (mounted behind internal auth). */
  router: Router;
  stop(): Promise<void>;
};

/** Google → app: incremental sync, mirror, change events. */
export async function createInbound(deps: {
  runtime: ServiceRuntime;
  config: Config;
  echo?: EchoDetector;
  tokens?: AccessTokenClient;
}): Promise<Inbound> {
  const { runtime, config } = deps;
  const { pool, logger } = runtime;
  const echo = deps.echo ?? defaultEchoDetector;
  const metrics = createInboundMetrics(runtime.metrics.registry, {
    calendarsByState: () => countCalendarsByState(pool),
  });
  const quota = createQuotaGate({
    userPerMinute: config.SYNC_USER_QUOTA_PER_MIN,
    projectPerMinute: config.SYNC_PROJECT_QUOTA_PER_MIN,
  });
  const tokens =
    deps.tokens ??
    createAccessTokenClient({ oauthBaseUrl: config.OAUTH_SERVICE_URL, credential: config.OAUTH_SERVICE_TOKEN });
  const eventTypes =
    config.SYNC_EVENT_TYPES.trim() === 'all'
      ? null
      : config.SYNC_EVENT_TYPES.split(',')
          .map((t) => t.trim())
          .filter(Boolean);
  const reader = createGoogleEventsReader({ rootUrl: config.GOOGLE_API_ROOT_URL, tokens, quota, metrics, eventTypes });

  let stopped = false;
  const retryTimers = new Map<string, NodeJS.Timeout>();
  function retryAt(key: CalendarKey, at: Date) {
    if (stopped) return;
    const encoded = encodeCalendarKey(key);
    clearTimeout(retryTimers.get(encoded));
    const timer = setTimeout(
      () => {
        retryTimers.delete(encoded);
        scheduler.request(encoded);
      },
      Math.max(0, at.getTime() - Date.now()),
    );
    timer.unref();
    retryTimers.set(encoded, timer);
  }

  const policy = {
    pauseAfter: config.SYNC_PAUSE_AFTER_FAILURES,
    baseMs: config.SYNC_BACKOFF_BASE_MS,
    maxMs: config.SYNC_BACKOFF_MAX_MS,
  };
  const runDeps = { pool, reader, echo, metrics, logger, policy, quotaPauseMs: config.SYNC_QUOTA_PAUSE_MS, retryAt };
  const scheduler = createSyncScheduler({
    concurrency: config.SYNC_CONCURRENCY,
    quietMs: config.SYNC_COALESCE_QUIET_MS,
    maxWaitMs: config.SYNC_COALESCE_MAX_WAIT_MS,
    run: async (encoded) => {
      const key = decodeCalendarKey(encoded);
      // Another replica holds the calendar: look again shortly (it may finish without our request).
      if ((await runCalendarSync(runDeps, key)) === 'busy') retryAt(key, new Date(Date.now() + 1_000));
    },
    onError: (encoded, error) => {
      logger.error({ err: error, ...decodeCalendarKey(encoded) }, 'calendar sync crashed; the sweep retries it');
    },
  });
  const wake = (keys: CalendarKey[]) => {
    for (const key of keys) scheduler.request(encodeCalendarKey(key));
  };

  // The sweep finds work Postgres knows about and this process does not: requests made before a
  // restart, by another replica's consumer, or retries that are due. It also refreshes quota gauges.
  let sweeping: Promise<void> | undefined;
  async function sweep() {
    try {
      wake(await dueCalendars(pool));
      const levels = quota.levels();
      metrics.quotaTokens.set({ bucket: 'project' }, levels.project);
      metrics.quotaTokens.set({ bucket: 'connection_min' }, levels.connectionMin);
      metrics.quotaCapacity.set({ bucket: 'project' }, quota.capacity.project);
      metrics.quotaCapacity.set({ bucket: 'connection_min' }, quota.capacity.connection);
      metrics.quotaWaiting.set(quota.waiting());
    } catch (error) {
      logger.warn({ err: error }, 'sync sweep failed');
    }
  }
  const sweepTimer = setInterval(() => {
    sweeping ??= sweep().finally(() => {
      sweeping = undefined;
    });
  }, config.SYNC_SWEEP_INTERVAL_MS);
  sweepTimer.unref();
  sweeping = sweep().finally(() => {
    sweeping = undefined;
  });

  const onNotification = createNotificationHandler({ pool, wake });
  const onLifecycle = createLifecycleHandler({ pool, echo, wake });

  return {
    onNotification: (message) => onNotification(message),
    onConnectionLifecycle: (message) => onLifecycle(message),
    router: createReadApi({ pool }),
    async stop() {
      stopped = true;
      clearInterval(sweepTimer);
      for (const timer of retryTimers.values()) clearTimeout(timer);
      await sweeping;
      await scheduler.stop();
      quota.stop();
    },
  };
}
