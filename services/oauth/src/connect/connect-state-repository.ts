import type { Queryable } from '@gcal-sync/shared';
import type { Sealed } from '../vault/token-sealer';

export type ConnectStateRow = {
  id: string;
  org_id: string;
  reconnect_connection_id: string | null;
  code_verifier: Buffer;
  expires_at: Date;
  used_at: Date | null;
};

export async function insertConnectState(
  db: Queryable,
  state: { id: string; orgId: string; reconnectConnectionId: string | null; verifier: Sealed; expiresAt: Date },
) {
  await db.query(
    `INSERT INTO oauth_connect_states (id, org_id, reconnect_connection_id, code_verifier, code_verifier_key_id, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [state.id, state.orgId, state.reconnectConnectionId, state.verifier.sealed, state.verifier.keyId, state.expiresAt],
  );
}

/**
 * Marks a state used, atomically: of two requests presenting the same state, one gets the row
 * and the other finds it used. Returns the row as it was before, or null if unknown.
 */
export async function consumeConnectState(db: Queryable, id: string): Promise<ConnectStateRow | null> {
  const { rows } = await db.query<ConnectStateRow>(
    `UPDATE oauth_connect_states s SET used_at = now() FROM (SELECT id, used_at FROM oauth_connect_states WHERE id = $1 FOR UPDATE) old
     WHERE s.id = old.id
     RETURNING s.id, s.org_id, s.reconnect_connection_id, s.code_verifier, s.expires_at, old.used_at`,
    [id],
  );
  return rows[0] ?? null;
}

/** States are only useful for minutes; old ones are dropped so the table stays small. */
export async function deleteExpiredConnectStates(db: Queryable, before: Date) {
  await db.query('DELETE FROM oauth_connect_states WHERE expires_at < $1', [before]);
}
