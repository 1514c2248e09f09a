import type { Queryable } from '@gcal-sync/shared';
import type { RateWindow } from './rate-window';

/**
 * Locks the org's rate window row for the rest of the transaction (creating it if missing), so two
 * consumers of the same org (a rebalance) cannot both spend the last slot.
 */
export async function lockRateWindow(db: Queryable, orgId: string): Promise<RateWindow | null> {
  // One round trip: the no-op update of an existing row locks and returns it like SELECT … FOR UPDATE.
  const { rows } = await db.query<{
    window_started_at: Date;
    sent_in_window: number;
    notifications_in_window: number;
    budget: number;
  }>(
    `INSERT INTO notifier_org_rate (org_id, window_started_at, sent_in_window, notifications_in_window, budget)
     VALUES ($1, 'epoch', 0, 0, 0)
     ON CONFLICT (org_id) DO UPDATE SET org_id = EXCLUDED.org_id
     RETURNING window_started_at, sent_in_window, notifications_in_window, budget`,
    [orgId],
  );
  const row = rows[0];
  if (!row || row.window_started_at.getTime() === 0) return null;
  return {
    windowStartedAt: row.window_started_at,
    sentInWindow: row.sent_in_window,
    notificationsInWindow: row.notifications_in_window,
    budget: row.budget,
  };
}

export async function saveRateWindow(db: Queryable, orgId: string, window: RateWindow): Promise<void> {
  await db.query(
    `UPDATE notifier_org_rate SET window_started_at = $2, sent_in_window = $3, notifications_in_window = $4, budget = $5
     WHERE org_id = $1`,
    [orgId, window.windowStartedAt, window.sentInWindow, window.notificationsInWindow, window.budget],
  );
}
