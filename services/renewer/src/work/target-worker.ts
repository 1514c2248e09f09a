import { enqueueOutbox, withTransaction } from '@gcal-sync/shared';
import { stoppedEvent } from '../channels/channel-events';
import {
  type Channel,
  listOpenChannels,
  markAbandoned,
  markRetiring,
  markStopped,
  type StopReason,
} from '../channels/channel-repo';
import { OUTBOX_TABLE } from '../migrations';
import { deleteTargetIfDone, releaseTarget, type Target } from '../targets/target-repo';
import { createChannel } from './create-channel';
import { stopChannel } from './stop-channel';
import type { WorkDeps } from './work-deps';

const earliest = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));

/**
 * One pass over a leased target: make its channels what the target wants (exactly one live channel
 * for an active watchable target, none otherwise), create before stopping, and schedule the next pass.
 */
export async function workOnTarget(deps: WorkDeps, target: Target): Promise<void> {
  const { pool, clock } = deps;
  let next: number | null = null;
  const open = await listOpenChannels(pool, target.id);

  // `creating` rows seen under a fresh lease were left by a holder that crashed or timed out mid-watch.
  for (const c of open.filter((c) => c.status === 'creating')) {
    if (c.resourceId) {
      await markRetiring(pool, c.channelId, 'orphan', clock());
      c.status = 'retiring';
      c.stopReason = 'orphan';
    } else {
      await markAbandoned(pool, c.channelId, clock());
      c.status = 'abandoned';
    }
  }
  let live: Channel | undefined = open.find((c) => c.status === 'live');
  const retiring = open.filter((c) => c.status === 'retiring');

  if (target.state === 'active' && target.watchable) {
    if (live?.expiration && live.expiration.getTime() <= clock()) {
      await retireExpired(deps, live);
      live = undefined;
    }
    if (!live || (live.renewAt && live.renewAt.getTime() <= clock())) {
      const outcome = await createChannel(deps, target, live);
      if (outcome.kind === 'lost-lease') return;
      if (outcome.kind === 'created') {
        if (live) retiring.push({ ...live, status: 'retiring', stopReason: 'replaced' });
        next = outcome.channel.renewAt.getTime();
      } else {
        // Retry with backoff; the old channel (if any) keeps serving, and is recorded expired when its time is up.
        next = earliest(outcome.retryAtMs, live?.expiration?.getTime() ?? null);
      }
    } else {
      next = live.renewAt?.getTime() ?? null;
    }
  } else if (live) {
    const reason: StopReason = target.stopReason ?? 'deselected';
    await markRetiring(pool, live.channelId, reason, clock());
    retiring.push({ ...live, status: 'retiring', stopReason: reason });
  }

  for (const channel of retiring) next = earliest(next, await stopChannel(deps, channel));

  if (target.state === 'removed' && (await deleteTargetIfDone(pool, target, deps.owner))) return;
  await releaseTarget(pool, target, deps.owner, next, clock());
}

/** Google already dropped a channel past its expiration: nothing to stop, only to record. */
async function retireExpired(deps: WorkDeps, channel: Channel): Promise<void> {
  await withTransaction(deps.pool, async (client) => {
    await markStopped(client, channel.channelId, 'expired', deps.clock());
    if (channel.resourceId) {
      await enqueueOutbox(client, OUTBOX_TABLE, 'channelLifecycle', {
        orgId: channel.orgId,
        connectionId: channel.connectionId,
        payload: stoppedEvent(channel, channel.resourceId, 'expired'),
      });
    }
  });
}
