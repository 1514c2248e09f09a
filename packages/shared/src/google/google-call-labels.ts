import type { ClassifiedGoogleError } from './classify-google-error';

/**
 * Error reasons worth their own series on the Google call counters: the rate and usage limits
 * (Google's "Handle API errors" guide for Calendar) and the answers the sync acts on. Any other
 * reason Google sends is counted as "other", so a new or misspelt reason cannot add series.
 */
const KNOWN_REASONS = new Set([
  'rateLimitExceeded',
  'userRateLimitExceeded',
  'quotaExceeded',
  'dailyLimitExceeded',
  'notFound',
  'authError',
  'forbidden',
  'forbiddenForNonOrganizer',
  'fullSyncRequired',
  'updatedMinTooLongAgo',
  'deleted',
  'conditionNotMet',
  'duplicate',
  'backendError',
  'invalid',
  'badRequest',
]);

/** `status` and `reason` labels of a Google call: `status` "network" when no HTTP answer came. */
export type GoogleCallLabels = { status: string; reason: string };

/** Labels of a successful call: its HTTP status, reason "none". */
export function googleCallOkLabels(status: number): GoogleCallLabels {
  return { status: statusLabel(status), reason: 'none' };
}

/**
 * Labels of a failed call, from its classification: the HTTP status, or "network"; Google's reason
 * when on the allow-list, "none" when Google gave none (network errors, empty bodies), else "other".
 */
export function googleCallErrorLabels(classified: ClassifiedGoogleError): GoogleCallLabels {
  const { status, reason } = classified;
  return {
    status: status === null ? 'network' : statusLabel(status),
    reason: reason === null ? 'none' : KNOWN_REASONS.has(reason) ? reason : 'other',
  };
}

/** HTTP statuses are a bounded set; anything outside 100–599 (a code that is not one) is "other". */
function statusLabel(status: number): string {
  return Number.isInteger(status) && status >= 100 && status <= 599 ? String(status) : 'other';
}
