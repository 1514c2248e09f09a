import { describe, expect, it } from 'vitest';
import { classifyGoogleError } from './classify-google-error';
import { googleCallErrorLabels, googleCallOkLabels } from './google-call-labels';

const gaxios = (status: number, reason?: string) => ({
  response: {
    status,
    data: { error: { code: status, message: 'm', errors: reason ? [{ reason, domain: 'usageLimits' }] : [] } },
  },
});

describe('googleCallErrorLabels', () => {
  it.each([
    [gaxios(429, 'rateLimitExceeded'), { status: '429', reason: 'rateLimitExceeded' }],
    [gaxios(403, 'userRateLimitExceeded'), { status: '403', reason: 'userRateLimitExceeded' }],
    [gaxios(403, 'quotaExceeded'), { status: '403', reason: 'quotaExceeded' }],
    [gaxios(404, 'notFound'), { status: '404', reason: 'notFound' }],
    [gaxios(503), { status: '503', reason: 'none' }],
    [gaxios(403, 'someReasonGoogleAddsLater'), { status: '403', reason: 'other' }],
    [
      { code: 'ECONNRESET', message: 'socket hang up' },
      { status: 'network', reason: 'none' },
    ],
    [
      { status: 99_999, errors: [{ reason: 'x'.repeat(200) }] },
      { status: 'other', reason: 'other' },
    ],
  ])('%j → %j', (error, labels) => {
    expect(googleCallErrorLabels(classifyGoogleError(error))).toEqual(labels);
  });
});

describe('googleCallOkLabels', () => {
  it('labels the HTTP status with reason "none"', () => {
    expect(googleCallOkLabels(204)).toEqual({ status: '204', reason: 'none' });
  });
});
