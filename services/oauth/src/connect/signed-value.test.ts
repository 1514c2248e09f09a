import { describe, expect, it } from 'vitest';
import { signValue, verifySignedValue } from './signed-value';

const secret = 'x'.repeat(32);

describe('signed values', () => {
  it('round-trips', () => {
    expect(verifySignedValue(secret, 'state', signValue(secret, 'state', 'abc.def'))).toBe('abc.def');
  });
  it('rejects a tampered value, another purpose, another secret and garbage', () => {
    const signed = signValue(secret, 'state', 'abc');
    expect(verifySignedValue(secret, 'state', signed.replace('abc', 'abd'))).toBeNull();
    expect(verifySignedValue(secret, 'session', signed)).toBeNull();
    expect(verifySignedValue('y'.repeat(32), 'state', signed)).toBeNull();
    expect(verifySignedValue(secret, 'state', 'nodot')).toBeNull();
    expect(verifySignedValue(secret, 'state', '')).toBeNull();
  });
});
