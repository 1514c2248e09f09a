import { HttpError, type Pool, withTransaction } from '@gcal-sync/shared';
import { findConnection, switchStatus } from './connection-repository';
import { enqueueLifecycle } from './lifecycle-outbox';

/**
 * An admin stops (or restarts) syncing an account without disconnecting it: tokens, calendars and
 * selection stay. The lifecycle topic has no pause event, so consumers get what already means
 * "stop syncing, keep state" (revoked, reason admin) and "resume where you stopped" (reauthorized).
 */
export async function setConnectionPaused(pool: Pool, orgId: string, connectionId: string, paused: boolean) {
  await withTransaction(pool, async (db) => {
    const row = await findConnection(db, connectionId, { orgId, forUpdate: true });
    if (!row) throw new HttpError(404, 'connection_not_found', 'no such connection in this organization');
    const [from, to] = paused ? (['active', 'paused'] as const) : (['paused', 'active'] as const);
    if (row.status === to) return;
    if (!(await switchStatus(db, row.id, from, to))) {
      throw new HttpError(409, 'connection_revoked', 'a revoked connection must be reconnected, not paused or resumed');
    }
    const key = { orgId, connectionId: row.id };
    await enqueueLifecycle(
      db,
      key,
      paused
        ? { type: 'revoked', reason: 'admin' }
        : { type: 'reauthorized', googleSubject: row.google_subject, email: row.email },
    );
  });
}
