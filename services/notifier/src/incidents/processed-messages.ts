import type { Queryable } from '@gcal-sync/shared';

/**
 * Records a Kafka message as applied, inside the caller's transaction. False when it already was
 * (a redelivery after a crash before the offset commit): the caller then does nothing.
 */
export async function markProcessed(db: Queryable, messageId: string): Promise<boolean> {
  const { rowCount } = await db.query(
    'INSERT INTO notifier_processed_messages (message_id) VALUES ($1) ON CONFLICT DO NOTHING',
    [messageId],
  );
  return (rowCount ?? 0) > 0;
}

/** Redeliveries come within minutes; ids older than the retention can go. */
export async function pruneProcessed(db: Queryable, olderThan: Date): Promise<number> {
  const { rowCount } = await db.query('DELETE FROM notifier_processed_messages WHERE processed_at < $1', [olderThan]);
  return rowCount ?? 0;
}
