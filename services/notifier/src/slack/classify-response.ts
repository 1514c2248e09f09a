/** What one POST to a Slack incoming webhook came back with (status 0: no HTTP answer at all). */
export type WebhookResponse = { status: number; body: string; retryAfter: string | null; error?: string };

export type DeliveryVerdict =
  | { outcome: 'delivered' }
  /** Worth trying again later: Slack rate-limited us, failed, or could not be reached. */
  | {
      outcome: 'retry';
      reason: 'rate_limited' | 'server_error' | 'network_error';
      detail: string;
      retryAfterMs?: number;
    }
  /** The webhook itself is gone or forbidden: nothing sent to it will work until an admin replaces it. */
  | { outcome: 'broken'; reason: string }
  /** Slack refused this message (our payload): retrying the same message cannot help. */
  | { outcome: 'rejected'; reason: string };

// Error strings meaning the webhook (not the message) is dead: removed app/integration, revoked token,
// deleted or archived channel, disabled workspace, or a workspace policy forbidding the post.
const WEBHOOK_GONE = new Set([
  'no_service',
  'no_service_id',
  'no_team',
  'team_disabled',
  'invalid_token',
  'token_revoked',
  'channel_not_found',
  'channel_is_archived',
  'action_prohibited',
  'posting_to_general_channel_denied',
]);

/**
 * Classifies Slack's answer. Slack documents 200 `ok`; 400 invalid_payload/user_not_found; 403
 * action_prohibited (and invalid_token); 404 channel_not_found/no_service; 410 channel_is_archived;
 * 429 with Retry-After; 500 rollup_error.
 */
export function classifyWebhookResponse(response: WebhookResponse, now: Date = new Date()): DeliveryVerdict {
  const { status } = response;
  const code = response.body.trim().slice(0, 100);
  if (status === 0) return { outcome: 'retry', reason: 'network_error', detail: response.error ?? 'no response' };
  if (status >= 200 && status < 300) return { outcome: 'delivered' };
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(response.retryAfter, now);
    return {
      outcome: 'retry',
      reason: 'rate_limited',
      detail: `429 ${code}`.trim(),
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    };
  }
  if (status >= 500 || status === 408)
    return { outcome: 'retry', reason: 'server_error', detail: `${status} ${code}`.trim() };
  if (WEBHOOK_GONE.has(code) || status === 401 || status === 403 || status === 404 || status === 410) {
    return { outcome: 'broken', reason: code || `http_${status}` };
  }
  return { outcome: 'rejected', reason: code ? `${status} ${code}` : `http_${status}` };
}

/** Retry-After is delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, now: Date): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now.getTime());
}
