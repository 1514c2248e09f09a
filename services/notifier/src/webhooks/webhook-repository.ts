import type { KeyRing, Queryable, SlackWebhookView } from '@gcal-sync/shared';
import type { OrgWebhook } from '../deliveries/choose-target';
import { maskWebhookUrl } from './webhook-url';

type WebhookRow = {
  org_id: string;
  url_sealed: Buffer;
  url_hint: string;
  version: number;
  status: 'active' | 'broken';
  broken_reason: string | null;
  broken_at: Date | null;
  last_delivered_at: Date | null;
  updated_at: Date;
};

/**
 * Stores an org's webhook URL sealed with the key ring, bound to the org (AAD) so a row copied to
 * another org does not decrypt. Saving again (a new URL, or the same after fixing the channel)
 * makes it active: the admin says it works now.
 */
export async function saveWebhook(db: Queryable, ring: KeyRing, orgId: string, url: string): Promise<WebhookRow> {
  const { rows } = await db.query<WebhookRow>(
    `INSERT INTO notifier_webhooks (org_id, url_sealed, url_hint, status)
     VALUES ($1, $2, $3, 'active')
     ON CONFLICT (org_id) DO UPDATE SET url_sealed = EXCLUDED.url_sealed, url_hint = EXCLUDED.url_hint,
       version = notifier_webhooks.version + 1, status = 'active', broken_reason = NULL, broken_at = NULL,
       updated_at = now()
     RETURNING *`,
    [orgId, ring.encrypt(url, orgId), maskWebhookUrl(url)],
  );
  return rows[0]!;
}

export async function findWebhook(db: Queryable, orgId: string): Promise<WebhookRow | null> {
  const { rows } = await db.query<WebhookRow>('SELECT * FROM notifier_webhooks WHERE org_id = $1', [orgId]);
  return rows[0] ?? null;
}

export async function deleteWebhook(db: Queryable, orgId: string): Promise<boolean> {
  const { rowCount } = await db.query('DELETE FROM notifier_webhooks WHERE org_id = $1', [orgId]);
  return (rowCount ?? 0) > 0;
}

/** Marks the webhook broken unless it was replaced meanwhile (version check). */
export async function markWebhookBroken(
  db: Queryable,
  orgId: string,
  version: number,
  reason: string,
): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE notifier_webhooks SET status = 'broken', broken_reason = $3, broken_at = now()
     WHERE org_id = $1 AND version = $2 AND status = 'active'`,
    [orgId, version, reason.slice(0, 200)],
  );
  return (rowCount ?? 0) > 0;
}

/** A test message got through: a webhook marked broken works again (e.g. the channel was unarchived). */
export async function markWebhookWorking(db: Queryable, orgId: string, version: number): Promise<WebhookRow | null> {
  const { rows } = await db.query<WebhookRow>(
    `UPDATE notifier_webhooks SET status = 'active', broken_reason = NULL, broken_at = NULL, last_delivered_at = now()
     WHERE org_id = $1 AND version = $2 RETURNING *`,
    [orgId, version],
  );
  return rows[0] ?? null;
}

export async function markWebhookDelivered(db: Queryable, orgId: string, version: number): Promise<void> {
  await db.query('UPDATE notifier_webhooks SET last_delivered_at = now() WHERE org_id = $1 AND version = $2', [
    orgId,
    version,
  ]);
}

/** Decrypts the stored URL for sending; never log the result. */
export function openWebhook(ring: KeyRing, row: WebhookRow): OrgWebhook {
  return { url: ring.decrypt(row.url_sealed, row.org_id), version: row.version, status: row.status };
}

export function toWebhookView(orgId: string, row: WebhookRow | null): SlackWebhookView {
  return {
    orgId,
    configured: row !== null,
    status: row?.status ?? null,
    urlHint: row?.url_hint ?? null,
    brokenReason: row?.broken_reason ?? null,
    brokenAt: row?.broken_at?.toISOString() ?? null,
    lastDeliveredAt: row?.last_delivered_at?.toISOString() ?? null,
    updatedAt: row?.updated_at.toISOString() ?? null,
  };
}
