import type { Queryable } from '@gcal-sync/shared';
import { insertDelivery, lockPendingSummary, updateContent } from '../deliveries/delivery-repository';
import { addToSummary, type OpenedNotification, type ResolvedNotification } from '../deliveries/notification';
import { lockRateWindow, saveRateWindow } from '../deliveries/rate-repository';
import { decideRate } from '../deliveries/rate-window';

export type OrgRateLimit = { limit: number; windowMs: number };

/**
 * Queues the Slack message an incident change calls for, inside the caller's transaction: its own
 * message while the org's budget lasts, else folded into the window's summary (sent when the
 * window ends). Returns the delivery that will carry it.
 */
export async function enqueueNotification(
  db: Queryable,
  input: { orgId: string; notification: OpenedNotification | ResolvedNotification; now: Date; rate: OrgRateLimit },
): Promise<string> {
  const { orgId, notification, now } = input;
  const decision = decideRate(await lockRateWindow(db, orgId), now, input.rate);
  await saveRateWindow(db, orgId, decision.window);
  if (decision.mode === 'individual') return insertDelivery(db, orgId, notification);
  const pending = await lockPendingSummary(db, orgId);
  if (pending) {
    await updateContent(db, pending.id, addToSummary(pending.content, notification, decision.windowEndsAt));
    return pending.id;
  }
  return insertDelivery(db, orgId, addToSummary(null, notification, decision.windowEndsAt), decision.windowEndsAt);
}
