import { type HandlerMap, PermanentMessageError, withTransaction } from '@gcal-sync/shared';
import { firstTickDelayMs, tickIntervalMs } from '../schedule/tick-interval';
import { targetChanges } from '../targets/connection-changes';
import { applyTargetChange } from '../targets/target-repo';
import type { WorkDeps } from '../work/work-deps';
import { handlePingUnmatched } from './ping-unmatched';

/**
 * This service's inbound contract (consumer group `renewer`, shared by replicas):
 * - connection-lifecycle → which calendars (and calendar lists) must be watched or polled;
 * - channel-lifecycle `ping-unmatched` (from webhook-ingest) → orphan channels to stop.
 * Handlers finish their transaction before resolving; the channel work itself runs in the loop.
 */
export function buildHandlers(deps: WorkDeps, onChange: () => void): HandlerMap {
  return {
    connectionLifecycle: async (message) => {
      const { connectionId, orgId } = message;
      if (!connectionId) throw new PermanentMessageError('connection-lifecycle message without connectionId');
      const now = deps.clock();
      const firstTick = (watchable: boolean) =>
        now + firstTickDelayMs(tickIntervalMs({ watchable, failures: 0 }, deps.settings.ticks));
      await withTransaction(deps.pool, async (client) => {
        for (const change of targetChanges(message.payload)) {
          await applyTargetChange(client, { orgId, connectionId }, change, now, firstTick);
        }
      });
      onChange();
    },
    channelLifecycle: async (message) => {
      if (message.payload.type === 'ping-unmatched') await handlePingUnmatched(deps, message.payload);
    },
  };
}
