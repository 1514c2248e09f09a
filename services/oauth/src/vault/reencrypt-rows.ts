import { type KeyRing, type Pool, withTransaction } from '@gcal-sync/shared';
import { createTokenSealer } from './token-sealer';

export type ReencryptSummary = { activeKeyId: string; connections: number; connectStates: number };

/**
 * Moves every sealed secret to the active key, a batch per transaction, with the rows locked so
 * a concurrent token refresh (which also writes with the active key) never interleaves. The
 * service keeps running throughout: both keys are in its ring until this has finished.
 */
export async function reencryptAll(pool: Pool, keyRing: KeyRing, batchSize = 200): Promise<ReencryptSummary> {
  const sealer = createTokenSealer(keyRing);
  const active = keyRing.activeKeyId;
  let connections = 0;
  for (;;) {
    const done = await withTransaction(pool, async (db) => {
      const { rows } = await db.query<{ id: string; refresh_token: Buffer | null; access_token: Buffer | null }>(
        `SELECT id, refresh_token, access_token FROM oauth_connections
         WHERE refresh_token_key_id <> $1 OR access_token_key_id <> $1 ORDER BY id LIMIT $2 FOR UPDATE`,
        [active, batchSize],
      );
      for (const row of rows) {
        const refresh = row.refresh_token
          ? sealer.sealRefreshToken(row.id, sealer.openRefreshToken(row.id, row.refresh_token))
          : null;
        const access = row.access_token
          ? sealer.sealAccessToken(row.id, sealer.openAccessToken(row.id, row.access_token))
          : null;
        await db.query(
          `UPDATE oauth_connections SET refresh_token = $2, refresh_token_key_id = $3, access_token = $4, access_token_key_id = $5
           WHERE id = $1`,
          [row.id, refresh?.sealed ?? null, refresh?.keyId ?? null, access?.sealed ?? null, access?.keyId ?? null],
        );
      }
      return rows.length;
    });
    connections += done;
    if (done < batchSize) break;
  }
  const connectStates = await withTransaction(pool, async (db) => {
    // An expired sign-in state is useless: drop it instead of re-sealing it.
    await db.query('DELETE FROM oauth_connect_states WHERE expires_at < now() OR used_at IS NOT NULL');
    const { rows } = await db.query<{ id: string; code_verifier: Buffer }>(
      'SELECT id, code_verifier FROM oauth_connect_states WHERE code_verifier_key_id <> $1 FOR UPDATE',
      [active],
    );
    for (const row of rows) {
      const verifier = sealer.sealCodeVerifier(row.id, sealer.openCodeVerifier(row.id, row.code_verifier));
      await db.query('UPDATE oauth_connect_states SET code_verifier = $2, code_verifier_key_id = $3 WHERE id = $1', [
        row.id,
        verifier.sealed,
        verifier.keyId,
      ]);
    }
    return rows.length;
  });
  return { activeKeyId: active, connections, connectStates };
}
