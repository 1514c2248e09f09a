import { constantTimeEqual, enqueueOutbox, type MessageOf, withTransaction } from '@gcal-sync/shared';
import { stoppedEvent } from '../channels/channel-events';
import { findChannel, markStopped, recordResourceId } from '../channels/channel-repo';
import { connectionGone } from '../google/connection-gone';
import { OUTBOX_TABLE } from '../migrations';
import { makeDue } from '../targets/target-repo';
import type { WorkDeps } from '../work/work-deps';

type PingUnmatched = Extract<MessageOf<'channelLifecycle'>['payload'], { type: 'ping-unmatched' }>;

/**
 * A channel pinged that webhook-ingest does not consider live. Ours and still being created: keep
 * its resource id. Retiring: its stop can now proceed. Abandoned (a crash hid the watch outcome) or
 * stopped (yet still pinging): stop it in Google now, the ping gave us the resource id it takes.
 * Channels we never made are left alone: nothing says which account's token could stop them.
 */
export async function handlePingUnmatched(deps: WorkDeps, ping: PingUnmatched): Promise<void> {
  const channel = await findChannel(deps.pool, ping.channelId);
  if (!channel) {
    deps.logger.info({ channelId: ping.channelId }, 'ping of a channel we never made; ignored');
    return;
  }
  // The report is only as good as the token it saw: a forged ping must not make us act.
  if (ping.tokenHash === null || !constantTimeEqual(ping.tokenHash, channel.tokenHash)) {
    deps.logger.warn({ channelId: ping.channelId }, 'unmatched ping with a wrong token; ignored');
    return;
  }
  switch (channel.status) {
    case 'live':
      return;
    case 'creating':
      await recordResourceId(deps.pool, channel.channelId, ping.resourceId);
      return;
    case 'retiring':
      await recordResourceId(deps.pool, channel.channelId, ping.resourceId);
      await makeDue(deps.pool, channel.targetId, deps.clock());
      return;
    case 'abandoned':
    case 'stopped': {
      let outcome: string;
      try {
        outcome = await deps.api.stop(channel.connectionId, { id: channel.channelId, resourceId: ping.resourceId });
      } catch (error) {
        if (!connectionGone(error)) throw error; // the consumer retries with backoff
        outcome = 'forgotten';
      }
      deps.metrics.stops.inc({ outcome: outcome === 'not-found' ? 'not_found' : outcome });
      await withTransaction(deps.pool, async (client) => {
        await recordResourceId(client, channel.channelId, ping.resourceId);
        await markStopped(client, channel.channelId, 'orphan', deps.clock());
        if (channel.status === 'abandoned') {
          await enqueueOutbox(client, OUTBOX_TABLE, 'channelLifecycle', {
            orgId: channel.orgId,
            connectionId: channel.connectionId,
            payload: stoppedEvent(channel, ping.resourceId, 'orphan'),
          });
        }
      });
      return;
    }
  }
}
