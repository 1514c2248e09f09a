import type { Queryable } from '@gcal-sync/shared';
import type { Notification, SummaryNotification } from './notification';

export type DeliveryRow = {
  id: string;
  org_id: string;
  kind: Notification['type'];
  content: Notification;
  attempts: number;
  created_at: Date;
};

export async function insertDelivery(
  db: Queryable,
  orgId: string,
  content: Notification,
  notBefore: Date | null = null,
): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO notifier_deliveries (org_id, kind, content, status, next_attempt_at)
     VALUES ($1, $2, $3, 'pending', coalesce($4, now())) RETURNING id`,
    [orgId, content.type, JSON.stringify(content), notBefore],
  );
  return rows[0]!.id;
}

/**
 * The org's summary still waiting for its window to end, locked. A summary being sent right now is
 * locked by the worker; waiting for it, then seeing it delivered, makes the caller start a new one.
 */
export async function lockPendingSummary(
  db: Queryable,
  orgId: string,
): Promise<{ id: string; content: SummaryNotification } | null> {
  const { rows } = await db.query<{ id: string; content: SummaryNotification }>(
    `SELECT id, content FROM notifier_deliveries
     WHERE org_id = $1 AND kind = 'summary' AND status = 'pending' AND attempts = 0
     ORDER BY id DESC LIMIT 1 FOR UPDATE`,
    [orgId],
  );
  return rows[0] ?? null;
}

export async function updateContent(db: Queryable, id: string, content: Notification): Promise<void> {
  await db.query('UPDATE notifier_deliveries SET content = $2 WHERE id = $1', [id, JSON.stringify(content)]);
}

/**
 * Claims the next due delivery, locked until the caller's transaction ends. Only the oldest pending
 * delivery of each org is eligible, so an org's messages go out in order (never "resolved" before
 * "opened") and one org waiting out a Retry-After does not hold up the others.
 */
export async function claimDueDelivery(db: Queryable): Promise<DeliveryRow | null> {
  const { rows } = await db.query<DeliveryRow>(
    `SELECT d.id, d.org_id, d.kind, d.content, d.attempts, d.created_at
     FROM notifier_deliveries d
     WHERE d.status = 'pending' AND d.next_attempt_at <= now()
       AND NOT EXISTS (
         SELECT 1 FROM notifier_deliveries e WHERE e.status = 'pending' AND e.org_id = d.org_id AND e.id < d.id)
     ORDER BY d.next_attempt_at, d.id
     LIMIT 1
     FOR NO KEY UPDATE OF d SKIP LOCKED`,
  );
  return rows[0] ?? null;
}

/**
 * The org's other due messages queued behind `afterId`, locked (a summary the Kafka handler is
 * adding to right now is skipped and goes out on its own).
 */
export async function lockDueBacklog(
  db: Queryable,
  orgId: string,
  afterId: string,
  limit: number,
): Promise<{ id: string; content: Notification }[]> {
  const { rows } = await db.query<{ id: string; content: Notification }>(
    `SELECT id, content FROM notifier_deliveries
     WHERE org_id = $1 AND status = 'pending' AND id > $2 AND next_attempt_at <= now()
     ORDER BY id LIMIT $3
     FOR NO KEY UPDATE SKIP LOCKED`,
    [orgId, afterId, limit],
  );
  return rows;
}

/** Records messages as sent inside the catch-up summary that `intoId` delivered. */
export async function markFolded(db: Queryable, ids: string[], intoId: string): Promise<void> {
  await db.query(
    `UPDATE notifier_deliveries SET status = 'delivered', folded_into = $2, finished_at = now()
     WHERE id = ANY($1::bigint[])`,
    [ids, intoId],
  );
}

type Target = 'org' | 'fallback' | null;

export async function markDelivered(db: Queryable, id: string, target: Target): Promise<void> {
  await db.query(
    `UPDATE notifier_deliveries SET status = 'delivered', attempts = attempts + 1, target = $2, last_error = NULL,
       finished_at = now() WHERE id = $1`,
    [id, target],
  );
}

export async function scheduleRetry(db: Queryable, id: string, at: Date, error: string, target: Target): Promise<void> {
  await db.query(
    'UPDATE notifier_deliveries SET attempts = attempts + 1, next_attempt_at = $2, last_error = $3, target = $4 WHERE id = $1',
    [id, at, error.slice(0, 500), target],
  );
}

/** Not attempted (its webhook is paused): only moves the next attempt. */
export async function postponeDelivery(db: Queryable, id: string, at: Date): Promise<void> {
  await db.query('UPDATE notifier_deliveries SET next_attempt_at = $2 WHERE id = $1', [id, at]);
}

/** Undeliverable: kept with the reason, so the alert log shows the message never reached Slack. */
export async function markFailed(db: Queryable, id: string, error: string, target: Target): Promise<void> {
  await db.query(
    `UPDATE notifier_deliveries SET status = 'failed', attempts = attempts + 1, last_error = $2, target = $3,
       finished_at = now() WHERE id = $1`,
    [id, error.slice(0, 500), target],
  );
}

export async function countPendingDeliveries(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM notifier_deliveries WHERE status = 'pending'",
  );
  return rows[0]?.n ?? 0;
}
