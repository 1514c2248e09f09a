/**
 * How to react to a Google API error. From Google's "Handle API errors" guide for Calendar:
 * 403 rateLimitExceeded/userRateLimitExceeded and 429 are retried with backoff, 5xx and network
 * errors too; 401 means the access token must be refreshed; 410 means the sync token is gone;
 * 403 quotaExceeded is the account's Calendar usage limit (hours, not seconds); 412 is a failed
 * If-Match; 409 a duplicate id.
 */
export type GoogleErrorKind =
  | 'transient'
  | 'unauthorized'
  | 'full-sync-required'
  | 'quota-exceeded'
  | 'precondition-failed'
  | 'duplicate'
  | 'not-found'
  | 'gone'
  | 'permanent';

export type ClassifiedGoogleError = {
  kind: GoogleErrorKind;
  status: number | null;
  reason: string | null;
  message: string;
};

type ErrorLike = {
  code?: unknown;
  status?: unknown;
  message?: unknown;
  response?: { status?: number; data?: { error?: { errors?: { reason?: string }[]; message?: string } } };
  errors?: { reason?: string }[];
};

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'UND_ERR_SOCKET',
]);

export function classifyGoogleError(error: unknown): ClassifiedGoogleError {
  const e = (error ?? {}) as ErrorLike;
  const status =
    typeof e.response?.status === 'number'
      ? e.response.status
      : typeof e.status === 'number'
        ? e.status
        : typeof e.code === 'number'
          ? e.code
          : null;
  const reason = e.response?.data?.error?.errors?.[0]?.reason ?? e.errors?.[0]?.reason ?? null;
  const message = String(e.response?.data?.error?.message ?? e.message ?? 'unknown error');
  const result = (kind: GoogleErrorKind): ClassifiedGoogleError => ({ kind, status, reason, message });

  if (status === null)
    return result(typeof e.code === 'string' && NETWORK_CODES.has(e.code) ? 'transient' : 'transient');
  if (status === 401) return result('unauthorized');
  if (status === 410) return result(reason === 'fullSyncRequired' || reason === null ? 'full-sync-required' : 'gone');
  if (status === 429 || status >= 500) return result('transient');
  if (status === 403) {
    if (reason === 'rateLimitExceeded' || reason === 'userRateLimitExceeded') return result('transient');
    if (reason === 'quotaExceeded') return result('quota-exceeded');
    return result('permanent');
  }
  if (status === 412) return result('precondition-failed');
  if (status === 409) return result('duplicate');
  if (status === 404) return result('not-found');
  return result('permanent');
}
