import { randomBytes } from 'node:crypto';
import { parseKeyRing } from '@gcal-sync/shared';
import { describe, expect, it } from 'vitest';
import { createTokenSealer } from './token-sealer';

const sealer = createTokenSealer(parseKeyRing(`k1:${randomBytes(32).toString('base64')}`, 'k1'));

describe('token sealer', () => {
  it('round-trips and reports the key id', () => {
    const { sealed, keyId } = sealer.sealRefreshToken('conn-1', '1//refresh');
    expect(keyId).toBe('k1');
    expect(sealed.includes(Buffer.from('1//refresh'))).toBe(false);
    expect(sealer.openRefreshToken('conn-1', sealed)).toBe('1//refresh');
  });
  it('refuses a ciphertext moved to another connection or another column', () => {
    const { sealed } = sealer.sealRefreshToken('conn-1', '1//refresh');
    expect(() => sealer.openRefreshToken('conn-2', sealed)).toThrow();
    expect(() => sealer.openAccessToken('conn-1', sealed)).toThrow();
  });
});
