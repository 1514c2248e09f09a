import { randomBytes, randomUUID } from 'node:crypto';
import { classifyGoogleError, enqueueOutbox, sha256Hex, withTransaction } from '@gcal-sync/shared';
import { renewalFailingAlert, renewalRecoveredAlert } from '../alerts/renewal-alert';
import { calendarOrNull, channelDescription } from '../channels/channel-events';
import {
  type Channel,
  deleteChannel,
  findChannel,
  insertCreating,
  markAbandoned,
  markLive,
  markRetiring,
} from '../channels/channel-repo';
import { connectionGone } from '../google/connection-gone';
import { GoogleApiError } from '../google/google-api-error';
import { OUTBOX_TABLE } from '../migrations';
import { renewAt } from '../schedule/renew-at';
import { retryAfterMs } from '../schedule/retry-after';
import { holdLease, setFailureState, type Target, tickNoLaterThan } from '../targets/target-repo';
import type { WorkDeps } from './work-deps';

export type CreateOutcome =
  | { kind: 'created'; channel: Channel & { renewAt: Date; expiration: Date } }
  /** retryAtMs null: nothing to retry (the target is polled instead). */
  | { kind: 'failed'; retryAtMs: number | null }
  | { kind: 'lost-lease' };

/**
 * Creates a channel for the target, replacing `replacing` if given (which then becomes `retiring`,
 * stopped by the caller only now that the new one is live, so no change falls in a gap).
 * The channel row is committed before the watch call: a crash in between leaves a `creating` row
 * the next lease holder turns into an orphan to stop, never a forgotten live channel.
 */
export async function createChannel(
  deps: WorkDeps,
  target: Target,
  replacing: Channel | undefined,
): Promise<CreateOutcome> {
  const { pool, settings, clock } = deps;
  if (!(await holdLease(pool, target.id, deps.owner, clock(), settings.leaseMs))) return { kind: 'lost-lease' };
  const channelId = randomUUID();
  const token = randomBytes(32).toString('base64url');
  const tokenHash = sha256Hex(token);
  await insertCreating(pool, target, { channelId, tokenHash }, clock());

  let watched: { resourceId: string; expirationMs: number };
  try {
    watched = await deps.api.watch(target.connectionId, target, {
      id: channelId,
      token,
      address: settings.webhookAddress,
      ttlSeconds: settings.ttlSeconds,
    });
  } catch (error) {
    // An answer from Google (or the oauth service) means no channel exists; a network failure or a
    // timeout leaves it unknown, so the row stays as an orphan to stop if the channel ever pings.
    const answered = error instanceof GoogleApiError || connectionGone(error);
    if (answered) await deleteChannel(pool, channelId);
    else await markAbandoned(pool, channelId, clock());
    return recordFailure(deps, target, replacing, error);
  }

  const now = clock();
  const expirationMs = Number.isNaN(watched.expirationMs) ? now + settings.ttlSeconds * 1000 : watched.expirationMs;
  const renewAtMs = renewAt(now, expirationMs, settings.renew);
  return withTransaction(pool, async (client): Promise<CreateOutcome> => {
    const row = await findChannel(client, channelId, true);
    const { rows } = await client.query<{ lease_owner: string | null }>(
      'SELECT lease_owner FROM renewer_targets WHERE id = $1 FOR UPDATE',
      [target.id],
    );
    if (row?.status !== 'creating' || rows[0]?.lease_owner !== deps.owner) {
      // Our lease lapsed and another replica took over (and may have made its own channel): ours
      // must not become a second live channel. It is retired and the target made due now (the new
      // generation also stops a current holder from scheduling it later), so the holder stops it.
      await markRetiring(client, channelId, 'orphan', now, watched.resourceId);
      await client.query(
        `UPDATE renewer_targets SET generation = generation + 1,
           next_action_at = LEAST(COALESCE(next_action_at, $2), $2) WHERE id = $1`,
        [target.id, new Date(now)],
      );
      return { kind: 'lost-lease' };
    }
    await markLive(client, channelId, { resourceId: watched.resourceId, expirationMs, renewAtMs }, now);
    const channel = channelDescription(
      { channelId, tokenHash, resource: target.resource, calendarId: target.calendarId },
      { resourceId: watched.resourceId, expirationMs },
    );
    const envelope = { orgId: target.orgId, connectionId: target.connectionId };
    if (replacing) {
      await markRetiring(client, replacing.channelId, 'replaced', now);
      await enqueueOutbox(client, OUTBOX_TABLE, 'channelLifecycle', {
        ...envelope,
        payload: { type: 'renewed', channel, replacedChannelId: replacing.channelId },
      });
    } else {
      await enqueueOutbox(client, OUTBOX_TABLE, 'channelLifecycle', {
        ...envelope,
        payload: { type: 'created', channel },
      });
      // No channel covered this calendar until now (first watch, or after failures): changes made since
      // its last sync sent no push, and webhook-ingest drops pings it cannot match even after waiting
      // for this `created` event. One sync once the channel is live closes both gaps. A renewal needs
      // none: the old channel stays live until the new one is.
      await enqueueOutbox(client, OUTBOX_TABLE, 'googleNotifications', {
        ...envelope,
        payload: {
          resource: target.resource,
          calendarId: calendarOrNull(target.calendarId),
          trigger: 'channel-live',
          receivedAt: new Date(now).toISOString(),
        },
      });
    }
    if (target.alertOpen) {
      await enqueueOutbox(client, OUTBOX_TABLE, 'adminAlerts', {
        ...envelope,
        payload: renewalRecoveredAlert(target, new Date(now).toISOString()),
      });
    }
    await setFailureState(client, target.id, { failures: 0, failingSince: null, alertOpen: false });
    deps.metrics.renewals.inc({ kind: replacing ? 'renewed' : 'created', resource: target.resource });
    const created = await findChannel(client, channelId);
    return { kind: 'created', channel: created as Channel & { renewAt: Date; expiration: Date } };
  });
}

async function recordFailure(
  deps: WorkDeps,
  target: Target,
  replacing: Channel | undefined,
  error: unknown,
): Promise<CreateOutcome> {
  const { settings, clock } = deps;
  const now = clock();
  const reason = error instanceof Error ? error.message : String(error);
  deps.metrics.renewalFailures.inc({ resource: target.resource });
  if (connectionGone(error)) {
    // Not a channel problem: oauth announces the revocation or the disconnection (and alerts); wait for it.
    deps.logger.info({ connectionId: target.connectionId }, 'connection revoked; channel work waits');
    return { kind: 'failed', retryAtMs: now + settings.retryMaxMs };
  }
  if (
    error instanceof GoogleApiError &&
    error.errors.some((e) => e.reason === 'pushNotSupportedForRequestedResource')
  ) {
    // Google cannot watch this calendar (a read-only system calendar the selection did not flag): it
    // is polled from now on, which is what `watchable: false` means. Not an incident.
    deps.logger.info({ calendarId: target.calendarId }, 'calendar cannot be watched; polling it instead');
    await deps.pool.query('UPDATE renewer_targets SET watchable = false WHERE id = $1', [target.id]);
    target.watchable = false;
    return { kind: 'failed', retryAtMs: null };
  }
  const failures = target.failures + 1;
  const threshold = settings.ticks.alertAfterFailures;
  const failingSince = target.failingSince ?? new Date(now);
  const openAlert = failures >= threshold && !target.alertOpen;
  deps.logger.warn(
    {
      connectionId: target.connectionId,
      calendarId: target.calendarId,
      failures,
      kind: classifyGoogleError(error).kind,
      reason,
    },
    'channel watch failed',
  );
  await withTransaction(deps.pool, async (client) => {
    const envelope = { orgId: target.orgId, connectionId: target.connectionId };
    await enqueueOutbox(client, OUTBOX_TABLE, 'channelLifecycle', {
      ...envelope,
      payload: {
        type: 'renewal-failed',
        calendarId: calendarOrNull(target.calendarId),
        channelId: replacing?.channelId ?? null,
        attempt: failures,
        reason: reason.slice(0, 500),
      },
    });
    if (openAlert) {
      await enqueueOutbox(client, OUTBOX_TABLE, 'adminAlerts', {
        ...envelope,
        payload: renewalFailingAlert(target, {
          failures,
          reason: reason.slice(0, 300),
          since: failingSince.toISOString(),
          fallbackIntervalMs: settings.ticks.failingMs,
        }),
      });
    }
    if (failures >= threshold) await tickNoLaterThan(client, target.id, now + settings.ticks.failingMs);
    await setFailureState(client, target.id, { failures, failingSince, alertOpen: target.alertOpen || openAlert });
  });
  // Keep the in-memory view in step for the rest of this pass.
  target.failures = failures;
  target.failingSince = failingSince;
  target.alertOpen = target.alertOpen || openAlert;
  return { kind: 'failed', retryAtMs: now + retryAfterMs(failures, settings.retryBaseMs, settings.retryMaxMs) };
}
