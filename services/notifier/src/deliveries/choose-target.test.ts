import { describe, expect, it } from 'vitest';
import { chooseTarget } from './choose-target';

describe('chooseTarget', () => {
  const fallback = 'https://hooks.slack.com/services/OPS';
  it("uses the org's webhook while it works", () => {
    expect(chooseTarget({ url: 'u', version: 2, status: 'active' }, fallback)).toEqual({
      kind: 'org',
      url: 'u',
      version: 2,
    });
  });
  it('falls back when the org has none or it is broken', () => {
    expect(chooseTarget(null, fallback)).toEqual({ kind: 'fallback', url: fallback, because: 'no_webhook' });
    expect(chooseTarget({ url: 'u', version: 2, status: 'broken' }, fallback)).toEqual({
      kind: 'fallback',
      url: fallback,
      because: 'webhook_broken',
    });
  });
  it('has nowhere to send without a fallback', () => {
    expect(chooseTarget(null, undefined)).toEqual({ kind: 'none', because: 'no_webhook' });
  });
});
