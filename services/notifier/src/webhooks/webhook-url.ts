export type WebhookUrlRules = { allowedHosts: string[]; allowHttp: boolean };

/**
 * Checks a per-org webhook URL before storing it. Only the configured Slack hosts are accepted,
 * so the API cannot be used to make this service POST to arbitrary (internal) addresses.
 * The returned message never contains the URL (it is a secret).
 */
export function checkWebhookUrl(
  raw: string,
  rules: WebhookUrlRules,
): { ok: true; url: string } | { ok: false; message: string } {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { ok: false, message: 'url must be an absolute URL' };
  }
  if (url.protocol !== 'https:' && !(rules.allowHttp && url.protocol === 'http:')) {
    return { ok: false, message: 'url must use https' };
  }
  if (url.username || url.password) return { ok: false, message: 'url must not carry credentials' };
  const host = url.hostname.toLowerCase();
  if (!rules.allowedHosts.some((allowed) => allowed.toLowerCase() === host)) {
    return { ok: false, message: `url host must be one of: ${rules.allowedHosts.join(', ')}` };
  }
  if (url.pathname.split('/').filter(Boolean).length === 0) return { ok: false, message: 'url has no webhook path' };
  return { ok: true, url: url.toString() };
}

/**
 * The URL with its secret last path segment masked, e.g. `https://hooks.slack.com/services/T01/B02/…`:
 * enough for an admin to recognise the webhook, useless to post with.
 */
export function maskWebhookUrl(url: string): string {
  const parsed = new URL(url);
  const segments = parsed.pathname.split('/').filter(Boolean);
  const visible = segments.slice(0, -1).map((s) => s.slice(0, 24));
  return `${parsed.protocol}//${parsed.host}/${[...visible, '…'].join('/')}`;
}
