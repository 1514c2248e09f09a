import { describe, expect, it } from 'vitest';
import { cookieFrom, createSessionValue, readSessionValue } from './session';

const secret = 's'.repeat(32);

describe('admin session', () => {
  it('carries the org until it expires', () => {
    const value = createSessionValue(secret, 'org:ä.1', 2_000);
    expect(readSessionValue(secret, value, 1_999)).toBe('org:ä.1');
    expect(readSessionValue(secret, value, 2_000)).toBeNull();
  });
  it('rejects forged values', () => {
    const value = createSessionValue(secret, 'org-1', 2_000);
    expect(readSessionValue('t'.repeat(32), value, 1_000)).toBeNull();
    const other = createSessionValue(secret, 'org-2', 2_000);
    expect(readSessionValue(secret, `${value.split('.')[0]}.${other.split('.').slice(1).join('.')}`, 1_000)).toBeNull();
  });
  it('reads cookies from a header', () => {
    expect(cookieFrom('a=1; oauth_admin=x%2Ey; b=2', 'oauth_admin')).toBe('x.y');
    expect(cookieFrom(undefined, 'oauth_admin')).toBeUndefined();
  });
});
