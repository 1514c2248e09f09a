/** An org's stored webhook as the delivery worker sees it (URL already decrypted). */
export type OrgWebhook = { url: string; version: number; status: 'active' | 'broken' };

export type Target =
  | { kind: 'org'; url: string; version: number }
  | { kind: 'fallback'; url: string; because: 'no_webhook' | 'webhook_broken' }
  | { kind: 'none'; because: 'no_webhook' | 'webhook_broken' };

/** Where an org's message goes: its own working webhook, else the operators' fallback, else nowhere. */
export function chooseTarget(webhook: OrgWebhook | null, fallbackUrl: string | undefined): Target {
  if (webhook?.status === 'active') return { kind: 'org', url: webhook.url, version: webhook.version };
  const because = webhook ? 'webhook_broken' : 'no_webhook';
  return fallbackUrl ? { kind: 'fallback', url: fallbackUrl, because } : { kind: 'none', because };
}
