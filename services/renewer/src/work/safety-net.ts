import { enqueueOutbox, withTransaction } from '@gcal-sync/shared';
import { calendarOrNull } from '../channels/channel-events';
import { OUTBOX_TABLE } from '../migrations';
import { tickIntervalMs } from '../schedule/tick-interval';
import { lockDueTicks, setNextTick } from '../targets/target-repo';
import type { WorkDeps } from './work-deps';

const BATCH = 200;

/**
 * Publishes the due safety-net sync requests (through the outbox, in the transaction that moves
 * each target's next tick, so a tick is neither lost nor doubled across replicas). Returns how many.
 */
export async function emitDueTicks(deps: WorkDeps): Promise<number> {
  return withTransaction(deps.pool, async (client) => {
    const now = deps.clock();
    const due = await lockDueTicks(client, now, BATCH);
    for (const target of due) {
      await enqueueOutbox(client, OUTBOX_TABLE, 'googleNotifications', {
        orgId: target.orgId,
        connectionId: target.connectionId,
        payload: {
          resource: target.resource,
          calendarId: calendarOrNull(target.calendarId),
          trigger: 'safety-net',
          receivedAt: new Date(now).toISOString(),
        },
      });
      await setNextTick(client, target.id, now + tickIntervalMs(target, deps.settings.ticks));
    }
    return due.length;
  });
}
