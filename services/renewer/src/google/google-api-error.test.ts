import { classifyGoogleError } from '@gcal-sync/shared';
import { describe, expect, it } from 'vitest';
import { GoogleApiError } from './google-api-error';

describe('GoogleApiError', () => {
  it("reads Google's error envelope so the shared classifier sees status and reason", async () => {
    const res = new Response(
      JSON.stringify({
        error: { code: 403, message: 'Rate Limit Exceeded', errors: [{ reason: 'rateLimitExceeded' }] },
      }),
      { status: 403 },
    );
    const error = await GoogleApiError.fromResponse(res, 'events.watch');
    expect(error.message).toBe('events.watch: HTTP 403 rateLimitExceeded: Rate Limit Exceeded');
    expect(classifyGoogleError(error)).toMatchObject({ kind: 'transient', status: 403, reason: 'rateLimitExceeded' });
  });

  it('copes with a body that is not JSON', async () => {
    const error = await GoogleApiError.fromResponse(
      new Response('<html>bad gateway</html>', { status: 502 }),
      'channels.stop',
    );
    expect(error).toMatchObject({ status: 502, message: 'channels.stop: HTTP 502' });
  });
});
