import { ConnectionRevokedError, type Logger, type Pool, type PoolClient } from '@gcal-sync/shared';
import { type AppliedChange, applyGoogleEvents } from './apply-google-events';
import { type CalendarKey, syncLockName } from './calendar-key';
import {
  clearQuotaPause,
  clearSyncToken,
  loadCalendar,
  markFailed,
  markSynced,
  pauseConnectionForQuota,
  type SyncCalendarRow,
  setConnectionRevoked,
} from './calendar-repository';
import type { EchoDetector } from './echo-detector';
import { type EventsListing, GoogleCallError, type GoogleEventsReader } from './google-events-reader';
import type { InboundMetrics } from './inbound-metrics';
import { enqueueAlert } from './outbox-writer';
import { calendarAlert, quotaAlert } from './sync-alerts';
import { decideFailure, type FailurePolicy } from './sync-failure';

export type SyncRunDeps = {
  pool: Pool;
  reader: GoogleEventsReader;
  echo: EchoDetector;
  metrics: InboundMetrics;
  logger: Logger;
  policy: FailurePolicy;
  quotaPauseMs: number;
  /** Told when a calendar should be tried again (backoff), so it is not left to the sweep. */
  retryAt(key: CalendarKey, at: Date): void;
};

export type SyncOutcome = 'synced' | 'busy' | 'not-due' | 'failed';

/**
 * One sync of one calendar, guarded by a Postgres session lock so no two replicas (or a replica
 * and a rebalance leftover) sync the same calendar at once. Google is read outside any
 * transaction; the result (mirror, change events, new sync token, request marked handled) is
 * applied in one transaction, so a crash anywhere leaves either the old state or the new one.
 */
export async function runCalendarSync(deps: SyncRunDeps, key: CalendarKey): Promise<SyncOutcome> {
  const client = await deps.pool.connect();
  const lock = syncLockName(key);
  let locked = false;
  try {
    locked =
      (await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok', [lock]))
        .rows[0]?.ok === true;
    if (!locked) return 'busy';
    const calendar = await loadCalendar(client, key);
    if (!calendar || !isDue(calendar)) return 'not-due';
    return await syncLocked(deps, client, calendar);
  } finally {
    if (locked) await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [lock]).catch(() => {});
    client.release();
  }
}

function isDue(c: SyncCalendarRow): boolean {
  const now = Date.now();
  return (
    c.selected &&
    !c.revoked &&
    c.state !== 'revoked' &&
    c.requestedSeq > c.handledSeq &&
    (c.nextAttemptAt === null || c.nextAttemptAt.getTime() <= now) &&
    (c.quotaPausedUntil === null || c.quotaPausedUntil.getTime() <= now)
  );
}

async function syncLocked(deps: SyncRunDeps, client: PoolClient, calendar: SyncCalendarRow): Promise<SyncOutcome> {
  const key = { connectionId: calendar.connectionId, calendarId: calendar.calendarId };
  const target = { ...key, orgId: calendar.orgId };
  let full = calendar.syncToken === null;
  let listing: EventsListing;
  try {
    try {
      listing = await deps.reader.listAll({ ...target, syncToken: calendar.syncToken ?? undefined });
    } catch (error) {
      if (full || !(error instanceof GoogleCallError) || error.classified.kind !== 'full-sync-required') throw error;
      // 410: the sync token is gone. Forget it first, so even a crash now leads to a full sync.
      deps.logger.info({ ...key }, 'sync token expired (410): full resync');
      await clearSyncToken(client, key);
      full = true;
      listing = await deps.reader.listAll(target);
    }
  } catch (error) {
    await recordFailure(deps, client, calendar, error);
    deps.metrics.syncRuns.inc({ kind: full ? 'full' : 'incremental', outcome: 'failed' });
    return 'failed';
  }

  let applied: AppliedChange[] | null;
  try {
    applied = await applyListing(deps, client, calendar, listing, full);
  } catch (error) {
    // Our side failed (database, or an event we cannot map into the contract): same backoff,
    // pause and alert as a Google failure, so it neither spins nor goes unnoticed.
    deps.logger.error({ err: error, ...key }, 'applying the Google listing failed');
    await recordFailure(deps, client, calendar, error);
    deps.metrics.syncRuns.inc({ kind: full ? 'full' : 'incremental', outcome: 'failed' });
    return 'failed';
  }
  deps.metrics.syncRuns.inc({ kind: full ? 'full' : 'incremental', outcome: applied ? 'ok' : 'skipped' });
  if (applied) observe(deps.metrics, applied, full);
  return 'synced';
}

/** Mirror, change events, new token and handled request, in one transaction. Null: no longer selected. */
async function applyListing(
  deps: SyncRunDeps,
  client: PoolClient,
  calendar: SyncCalendarRow,
  listing: EventsListing,
  full: boolean,
): Promise<AppliedChange[] | null> {
  const key = { connectionId: calendar.connectionId, calendarId: calendar.calendarId };
  const target = { ...key, orgId: calendar.orgId };
  return withClientTransaction(client, async () => {
    const current = await loadCalendar(client, key);
    if (!current?.selected || current.revoked) return null;
    const changes = await applyGoogleEvents(client, target, listing.items, { full, echo: deps.echo });
    await markSynced(client, key, { syncToken: listing.nextSyncToken, handledSeq: calendar.requestedSeq, full });
    if (current.openAlert) {
      await enqueueAlert(
        client,
        target,
        calendarAlert(key, current.openAlert, 'resolved', 'Sync succeeded again.', current.accountEmail),
      );
    }
    if (current.quotaAlertOpen && (await clearQuotaPause(client, key.connectionId))) {
      await enqueueAlert(
        client,
        target,
        quotaAlert(key.connectionId, 'resolved', 'Google accepts requests again.', current.accountEmail),
      );
    }
    return changes;
  });
}

function observe(metrics: InboundMetrics, applied: AppliedChange[], full: boolean) {
  const now = Date.now();
  for (const change of applied) {
    metrics.changesApplied.inc({ change: change.change, source: change.source });
    // A first sync's events were edited long ago: only incremental syncs measure edit latency.
    if (!full && change.source === 'google') {
      metrics.editToChangeEvent.observe(Math.max(0, now - Date.parse(change.event.updated)) / 1000);
    }
  }
}

async function withClientTransaction<T>(client: PoolClient, fn: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await fn();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}

async function recordFailure(deps: SyncRunDeps, client: PoolClient, calendar: SyncCalendarRow, error: unknown) {
  const key = { connectionId: calendar.connectionId, calendarId: calendar.calendarId };
  const target = { ...key, orgId: calendar.orgId };
  const message = error instanceof Error ? error.message : String(error);

  if (error instanceof ConnectionRevokedError) {
    // The oauth service announces the revocation (and alerts); here the calendars just stop.
    deps.logger.warn({ ...key }, 'connection revoked: sync paused until reauthorization');
    await setConnectionRevoked(client, key.connectionId, calendar.orgId, true);
    return;
  }
  const kind = error instanceof GoogleCallError ? error.classified.kind : 'transient';
  if (kind === 'quota-exceeded') {
    const until = new Date(Date.now() + deps.quotaPauseMs);
    deps.logger.warn({ ...key, until }, 'Google Calendar usage limit exceeded: account paused');
    await withClientTransaction(client, async () => {
      if (await pauseConnectionForQuota(client, key.connectionId, until)) {
        await enqueueAlert(
          client,
          target,
          quotaAlert(
            key.connectionId,
            'open',
            `Google refused requests (quotaExceeded); syncing resumes after ${until.toISOString()}.`,
            calendar.accountEmail,
          ),
        );
      }
    });
    deps.retryAt(key, until);
    return;
  }
  const transient = kind === 'transient' || kind === 'unauthorized' || kind === 'full-sync-required' || kind === 'gone';
  const decision = decideFailure({
    kind: transient ? 'transient' : 'permanent',
    failures: calendar.consecutiveFailures,
    openAlert: calendar.openAlert,
    now: Date.now(),
    policy: deps.policy,
  });
  deps.logger.warn(
    {
      ...key,
      failures: decision.failures,
      state: decision.state,
      nextAttemptAt: new Date(decision.nextAttemptAt).toISOString(),
      error: message,
    },
    'calendar sync failed',
  );
  await withClientTransaction(client, async () => {
    await markFailed(client, key, decision, message);
    if (decision.raise) {
      await enqueueAlert(
        client,
        target,
        calendarAlert(
          key,
          decision.raise,
          'open',
          `${decision.failures} consecutive failures; last: ${message}`,
          calendar.accountEmail,
        ),
      );
    }
  });
  deps.retryAt(key, new Date(decision.nextAttemptAt));
}
