import { ConnectionRevokedError } from '@gcal-sync/shared';
import { describe, expect, it } from 'vitest';
import { connectionGone } from './connection-gone';

describe('connectionGone', () => {
  it('recognises revoked and deleted connections only', () => {
    expect(connectionGone(new ConnectionRevokedError('c'))).toBe(true);
    expect(connectionGone(new Error('oauth service answered 404 for an access token'))).toBe(true);
    expect(connectionGone(new Error('oauth service answered 503 for an access token'))).toBe(false);
    expect(connectionGone('nope')).toBe(false);
  });
});
