import { describe, expect, it } from 'vitest';
import { classifyGoogleError } from './classify-google-error';

const gaxios = (status: number, reason?: string) => ({
  response: {
    status,
    data: { error: { code: status, message: 'm', errors: reason ? [{ reason, domain: 'usageLimits' }] : [] } },
  },
});

describe('classifyGoogleError', () => {
  it.each([
    [gaxios(403, 'rateLimitExceeded'), 'transient'],
    [gaxios(403, 'userRateLimitExceeded'), 'transient'],
    [gaxios(429, 'rateLimitExceeded'), 'transient'],
    [gaxios(503), 'transient'],
    [gaxios(401, 'authError'), 'unauthorized'],
    [gaxios(410, 'fullSyncRequired'), 'full-sync-required'],
    [gaxios(403, 'quotaExceeded'), 'quota-exceeded'],
    [gaxios(412, 'conditionNotMet'), 'precondition-failed'],
    [gaxios(409, 'duplicate'), 'duplicate'],
    [gaxios(404, 'notFound'), 'not-found'],
    [gaxios(403, 'forbidden'), 'permanent'],
    [gaxios(400, 'invalid'), 'permanent'],
    [{ code: 'ECONNRESET', message: 'socket hang up' }, 'transient'],
  ])('%j → %s', (error, kind) => {
    expect(classifyGoogleError(error).kind).toBe(kind);
  });

  it('keeps status, reason and message', () => {
    expect(classifyGoogleError(gaxios(403, 'quotaExceeded'))).toEqual({
      kind: 'quota-exceeded',
      status: 403,
      reason: 'quotaExceeded',
      message: 'm',
    });
  });
});
