import { type BookingErrorCode, ConnectionRevokedError } from '@gcal-sync/shared';
import { GoogleCallError } from './google-calendar-client';

export type ErrorDecision =
  /** No retry can help: the command ends with this typed failure. */
  | { action: 'fail'; code: BookingErrorCode; message: string }
  /** Retry with backoff (`quota`: Google's Calendar usage limit, a pause of hours, not seconds). */
  | { action: 'retry'; kind: 'transient' | 'quota'; retryAfterMs: number; message: string }
  /** Not a Google or connection problem (e.g. our database): let the caller's error handling see it. */
  | { action: 'throw' };

/**
 * What a failed write attempt means, following Google's error guide (see classifyGoogleError):
 * rate limits, 5xx, network errors and a 412 that escaped the conflict loop are retried; 403
 * quotaExceeded pauses the account; a revoked or unknown connection, 404 and other 4xx are final.
 * The oauth service being briefly down is retried like a Google 5xx.
 */
export function decideOnWriteError(error: unknown): ErrorDecision {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof ConnectionRevokedError) {
    return { action: 'fail', code: 'revoked', message: 'the Google connection is revoked; reconnect the account' };
  }
  if (/oauth service answered 404/.test(message)) {
    return { action: 'fail', code: 'not_found', message: 'the connection is unknown to the oauth service' };
  }
  if (error instanceof GoogleCallError) {
    const { kind, status } = error.classified;
    if (kind === 'transient' || kind === 'precondition-failed') {
      return { action: 'retry', kind: 'transient', retryAfterMs: error.retryAfterMs ?? 0, message };
    }
    if (kind === 'quota-exceeded') return { action: 'retry', kind: 'quota', retryAfterMs: 0, message };
    const code: BookingErrorCode = kind === 'not-found' ? 'not_found' : status === 400 ? 'invalid' : 'google_error';
    return { action: 'fail', code, message: error.classified.message };
  }
  if (/oauth service answered 5\d\d|fetch failed|ECONNREFUSED|ECONNRESET/.test(message)) {
    return { action: 'retry', kind: 'transient', retryAfterMs: 0, message };
  }
  return { action: 'throw' };
}
