import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { constantTimeEqual, matchesSha256, sha256Hex } from './constant-time';
import { parseKeyRing } from './key-ring';

const k1 = randomBytes(32).toString('base64');
const k2 = randomBytes(32).toString('base64');

describe('key ring', () => {
  it('round-trips and uses a fresh nonce each time', () => {
    const ring = parseKeyRing(`k1:${k1}`, 'k1');
    const a = ring.encrypt('1//refresh', 'conn-1');
    const b = ring.encrypt('1//refresh', 'conn-1');
    expect(a.equals(b)).toBe(false);
    expect(a.includes(Buffer.from('1//refresh'))).toBe(false);
    expect(ring.decrypt(a, 'conn-1')).toBe('1//refresh');
    expect(ring.keyIdOf(a)).toBe('k1');
  });

  it('binds the ciphertext to its owner (aad)', () => {
    const ring = parseKeyRing(`k1:${k1}`, 'k1');
    expect(() => ring.decrypt(ring.encrypt('x', 'conn-1'), 'conn-2')).toThrow();
  });

  it('reads old keys after rotation and seals with the active one', () => {
    const old = parseKeyRing(`k1:${k1}`, 'k1');
    const rotated = parseKeyRing(`k1:${k1},k2:${k2}`, 'k2');
    const sealedOld = old.encrypt('secret', 'c');
    expect(rotated.decrypt(sealedOld, 'c')).toBe('secret');
    expect(rotated.keyIdOf(rotated.encrypt('secret', 'c'))).toBe('k2');
  });

  it('rejects bad specs', () => {
    expect(() => parseKeyRing('k1:short', 'k1')).toThrow(/32 bytes/);
    expect(() => parseKeyRing(`k1:${k1}`, 'k9')).toThrow(/not in the key ring/);
  });
});

describe('constant time comparison', () => {
  it('compares', () => {
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abc', 'abd')).toBe(false);
    expect(matchesSha256('tok', sha256Hex('tok'))).toBe(true);
    expect(matchesSha256('tok2', sha256Hex('tok'))).toBe(false);
    expect(matchesSha256('tok', 'zz')).toBe(false);
  });
});
