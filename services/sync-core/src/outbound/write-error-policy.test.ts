import { ConnectionRevokedError } from '@gcal-sync/shared';
import { describe, expect, it } from 'vitest';
import { GoogleCallError } from './google-calendar-client';
import { decideOnWriteError } from './write-error-policy';

const google = (status: number, reason: string, kind: string, retryAfterMs?: number) =>
  new GoogleCallError('events.insert', { kind: kind as never, status, reason, message: reason }, retryAfterMs);

describe('decideOnWriteError', () => {
  it('retries rate limits, 5xx and network trouble, keeping Retry-After', () => {
    expect(decideOnWriteError(google(429, 'rateLimitExceeded', 'transient', 3000))).toMatchObject({
      action: 'retry',
      kind: 'transient',
      retryAfterMs: 3000,
    });
    expect(decideOnWriteError(google(503, 'backendError', 'transient'))).toMatchObject({ action: 'retry' });
    expect(decideOnWriteError(new Error('oauth service answered 503 for an access token'))).toMatchObject({
      action: 'retry',
    });
  });

  it('pauses the account on the Calendar usage limit', () => {
    expect(decideOnWriteError(google(403, 'quotaExceeded', 'quota-exceeded'))).toMatchObject({
      action: 'retry',
      kind: 'quota',
    });
  });

  it('ends with a typed failure when no retry can help', () => {
    expect(decideOnWriteError(new ConnectionRevokedError('c1'))).toMatchObject({ action: 'fail', code: 'revoked' });
    expect(decideOnWriteError(new Error('oauth service answered 404 for an access token'))).toMatchObject({
      action: 'fail',
      code: 'not_found',
    });
    expect(decideOnWriteError(google(404, 'notFound', 'not-found'))).toMatchObject({
      action: 'fail',
      code: 'not_found',
    });
    expect(decideOnWriteError(google(400, 'invalid', 'permanent'))).toMatchObject({ action: 'fail', code: 'invalid' });
    expect(decideOnWriteError(google(403, 'forbidden', 'permanent'))).toMatchObject({
      action: 'fail',
      code: 'google_error',
    });
  });

  it('leaves other errors (our database) to the caller', () => {
    expect(decideOnWriteError(new Error('relation does not exist'))).toEqual({ action: 'throw' });
  });
});
