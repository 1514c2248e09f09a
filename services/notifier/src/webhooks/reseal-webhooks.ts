import type { KeyRing, Logger, Queryable } from '@gcal-sync/shared';

/**
 * After a key rotation (new WEBHOOK_ACTIVE_KEY_ID), re-seals stored webhook URLs with the active
 * key so the old key can later be removed from WEBHOOK_KEYS. Runs at start; idempotent, and a row
 * replaced meanwhile (version changed) is left alone.
 */
export async function resealWebhooks(db: Queryable, ring: KeyRing, logger: Logger): Promise<number> {
  const { rows } = await db.query<{ org_id: string; url_sealed: Buffer; version: number }>(
    'SELECT org_id, url_sealed, version FROM notifier_webhooks',
  );
  let resealed = 0;
  for (const row of rows) {
    if (ring.keyIdOf(row.url_sealed) === ring.activeKeyId) continue;
    let url: string;
    try {
      url = ring.decrypt(row.url_sealed, row.org_id);
    } catch (error) {
      logger.error({ orgId: row.org_id, err: error }, 'stored Slack webhook cannot be decrypted; check WEBHOOK_KEYS');
      continue;
    }
    const { rowCount } = await db.query(
      'UPDATE notifier_webhooks SET url_sealed = $3 WHERE org_id = $1 AND version = $2',
      [row.org_id, row.version, ring.encrypt(url, row.org_id)],
    );
    resealed += rowCount ?? 0;
  }
  if (resealed > 0) logger.info({ resealed, keyId: ring.activeKeyId }, 'Slack webhooks re-sealed with the active key');
  return resealed;
}
