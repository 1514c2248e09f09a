import { enqueueOutbox, withTransaction } from '@gcal-sync/shared';
import { stoppedEvent } from '../channels/channel-events';
import { type Channel, countStopAttempt, markAbandoned, markStopped, type StopReason } from '../channels/channel-repo';
import { connectionGone } from '../google/connection-gone';
import { OUTBOX_TABLE } from '../migrations';
import { retryAfterMs } from '../schedule/retry-after';
import type { WorkDeps } from './work-deps';

/** After this many failed stops a channel is left to expire (it is still stopped if it pings). */
const MAX_STOP_ATTEMPTS = 8;

/**
 * Stops a retiring channel in Google and records it stopped (publishing `stopped`, so webhook-ingest
 * drops its late pings). 404 counts as done; a revoked or deleted connection cannot stop anything, so the
 * channel is forgotten (and stopped when it pings after a reconnect). Returns when to retry, if needed.
 */
export async function stopChannel(deps: WorkDeps, channel: Channel): Promise<number | null> {
  const reason: StopReason = channel.stopReason ?? 'orphan';
  if (!channel.resourceId) {
    // channels.stop needs the resource id, which only the watch answer or a ping carries.
    await markAbandoned(deps.pool, channel.channelId, deps.clock());
    return null;
  }
  let outcome: 'stopped' | 'not_found' | 'forgotten' | 'given_up';
  try {
    outcome =
      (await deps.api.stop(channel.connectionId, { id: channel.channelId, resourceId: channel.resourceId })) ===
      'stopped'
        ? 'stopped'
        : 'not_found';
  } catch (error) {
    if (!connectionGone(error)) {
      deps.metrics.stops.inc({ outcome: 'failed' });
      const attempts = await countStopAttempt(deps.pool, channel.channelId);
      deps.logger.warn({ err: error, channelId: channel.channelId, attempts }, 'channels.stop failed');
      if (attempts < MAX_STOP_ATTEMPTS) {
        return deps.clock() + retryAfterMs(attempts, deps.settings.retryBaseMs, deps.settings.retryMaxMs);
      }
      outcome = 'given_up';
    } else {
      outcome = 'forgotten';
    }
  }
  deps.metrics.stops.inc({ outcome });
  const resourceId = channel.resourceId;
  await withTransaction(deps.pool, async (client) => {
    // Given up: kept as abandoned, so its next ping (reported by webhook-ingest) triggers one more stop.
    if (outcome === 'given_up') await markAbandoned(client, channel.channelId, deps.clock());
    else await markStopped(client, channel.channelId, reason, deps.clock());
    await enqueueOutbox(client, OUTBOX_TABLE, 'channelLifecycle', {
      orgId: channel.orgId,
      connectionId: channel.connectionId,
      payload: stoppedEvent(channel, resourceId, reason),
    });
  });
  return null;
}
