import { HttpError, type Logger, type Pool, withTransaction } from '@gcal-sync/shared';
import type { GoogleOAuth } from '../google/google-oauth';
import type { TokenSealer } from '../vault/token-sealer';
import { deleteConnection, findConnection, subjectConnectedElsewhere } from './connection-repository';
import { enqueueLifecycle, enqueueRevocationAlert } from './lifecycle-outbox';

export type DisconnectDeps = {
  pool: Pool;
  sealer: TokenSealer;
  google: GoogleOAuth;
  logger: Logger;
  adminUrl: string;
  now: () => number;
};

/**
 * Removes a connection: revokes the grant at Google, deletes tokens and calendars, publishes
 * "disconnected". Google revokes per user and client, so when another org still uses the same
 * Google account the grant is kept and only our copy of the tokens is deleted.
 * Returns whether Google confirmed the revocation.
 */
export async function disconnectConnection(deps: DisconnectDeps, orgId: string, connectionId: string) {
  return withTransaction(deps.pool, async (db) => {
    const row = await findConnection(db, connectionId, { orgId, forUpdate: true });
    if (!row) throw new HttpError(404, 'connection_not_found', 'no such connection in this organization');
    let revokedAtGoogle = false;
    if (row.refresh_token && !(await subjectConnectedElsewhere(db, row.google_subject, row.id))) {
      try {
        await deps.google.revoke(deps.sealer.openRefreshToken(row.id, row.refresh_token));
        revokedAtGoogle = true;
      } catch (error) {
        // The user asked to disconnect: our tokens go anyway. The grant stays listed in their
        // Google account until they remove it there.
        deps.logger.warn({ connectionId, err: error }, 'revocation at Google failed; deleting our tokens anyway');
      }
    }
    await deleteConnection(db, row.id);
    const key = { orgId, connectionId: row.id };
    await enqueueLifecycle(db, key, { type: 'disconnected' });
    if (row.status === 'revoked') {
      await enqueueRevocationAlert(db, key, {
        status: 'resolved',
        email: row.email,
        since: row.revoked_at ?? new Date(deps.now()),
        adminUrl: deps.adminUrl,
      });
    }
    return { revokedAtGoogle };
  });
}
