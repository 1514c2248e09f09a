import type { Queryable } from '@gcal-sync/shared';

/**
 * Deletes incidents resolved before `cutoff`, then finished deliveries older than that no incident
 * refers to any more. Open incidents are kept however old. Batched so one run never holds locks long.
 */
export async function pruneAlertLog(
  db: Queryable,
  cutoff: Date,
  batch = 1_000,
): Promise<{ incidents: number; deliveries: number }> {
  const incidents = await db.query(
    `DELETE FROM notifier_incidents WHERE id IN (
       SELECT id FROM notifier_incidents WHERE status = 'resolved' AND resolved_at < $1 LIMIT $2)`,
    [cutoff, batch],
  );
  const deliveries = await db.query(
    `DELETE FROM notifier_deliveries WHERE id IN (
       SELECT d.id FROM notifier_deliveries d
       WHERE d.status <> 'pending' AND d.finished_at < $1
         AND NOT EXISTS (SELECT 1 FROM notifier_incidents i WHERE i.opened_delivery_id = d.id OR i.resolved_delivery_id = d.id)
       LIMIT $2)`,
    [cutoff, batch],
  );
  return { incidents: incidents.rowCount ?? 0, deliveries: deliveries.rowCount ?? 0 };
}
