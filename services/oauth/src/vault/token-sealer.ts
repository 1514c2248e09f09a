import type { KeyRing } from '@gcal-sync/shared';

export type Sealed = { sealed: Buffer; keyId: string };

/**
 * Seals secrets with the key ring. The additional authenticated data names both the kind of
 * secret and its owner, so a ciphertext copied to another row or column fails to decrypt.
 */
export function createTokenSealer(keyRing: KeyRing) {
  const seal = (plaintext: string, aad: string): Sealed => {
    const sealed = keyRing.encrypt(plaintext, aad);
    return { sealed, keyId: keyRing.keyIdOf(sealed) };
  };
  return {
    activeKeyId: keyRing.activeKeyId,
    sealRefreshToken: (connectionId: string, token: string) => seal(token, `refresh:${connectionId}`),
    openRefreshToken: (connectionId: string, sealed: Buffer) => keyRing.decrypt(sealed, `refresh:${connectionId}`),
    sealAccessToken: (connectionId: string, token: string) => seal(token, `access:${connectionId}`),
    openAccessToken: (connectionId: string, sealed: Buffer) => keyRing.decrypt(sealed, `access:${connectionId}`),
    sealCodeVerifier: (stateId: string, verifier: string) => seal(verifier, `verifier:${stateId}`),
    openCodeVerifier: (stateId: string, sealed: Buffer) => keyRing.decrypt(sealed, `verifier:${stateId}`),
  };
}
export type TokenSealer = ReturnType<typeof createTokenSealer>;
