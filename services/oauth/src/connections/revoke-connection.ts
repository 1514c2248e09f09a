import type { Queryable } from '@gcal-sync/shared';
import { type ConnectionRow, markRevoked } from './connection-repository';
import { enqueueLifecycle, enqueueRevocationAlert } from './lifecycle-outbox';

export type RevocationContext = { adminUrl: string; now: () => number };

/**
 * Marks a connection revoked (tokens deleted, sync paused) and announces it with one "revoked"
 * event and one open alert. Callers hold the row lock and check the status first, so a second
 * caller finds it revoked and announces nothing.
 */
export async function revokeConnection(
  db: Queryable,
  row: ConnectionRow,
  reason: 'invalid_grant' | 'admin',
  context: RevocationContext,
): Promise<void> {
  const at = new Date(context.now());
  await markRevoked(db, row.id, reason, at);
  const key = { orgId: row.org_id, connectionId: row.id };
  await enqueueLifecycle(db, key, { type: 'revoked', reason });
  await enqueueRevocationAlert(db, key, { status: 'open', email: row.email, since: at, adminUrl: context.adminUrl });
}
