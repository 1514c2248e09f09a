import { describe, expect, it } from 'vitest';
import { robotsTxt } from './robots';

describe('robotsTxt', () => {
  it('allows the push path explicitly', () => {
    expect(robotsTxt('/google/push')).toBe('User-agent: *\nAllow: /google/push\nDisallow: /\n');
  });
});
