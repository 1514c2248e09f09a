import { describe, expect, it } from 'vitest';
import { orgForToken, safeNext } from './admin-auth';

describe('admin auth', () => {
  const tokens = { 'org-1': 'token-one-0123456789', 'org-2': 'token-two-0123456789' };
  it('maps a token to its org', () => {
    expect(orgForToken(tokens, 'token-two-0123456789')).toBe('org-2');
    expect(orgForToken(tokens, 'token-two-012345678')).toBeNull();
    expect(orgForToken(tokens, '')).toBeNull();
  });
  it('follows only local paths after login', () => {
    expect(safeNext('/connect?x=1')).toBe('/connect?x=1');
    expect(safeNext('//evil.example')).toBe('/admin');
    expect(safeNext('https://evil.example')).toBe('/admin');
    expect(safeNext(undefined)).toBe('/admin');
  });
});
