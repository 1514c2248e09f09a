import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const FORMAT_VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export type KeyRing = {
  activeKeyId: string;
  /** AES-256-GCM with a random 96-bit nonce; `aad` binds the ciphertext to its owner (e.g. connection id). */
  encrypt(plaintext: string, aad: string): Buffer;
  decrypt(sealed: Buffer, aad: string): string;
  /** The key id a ciphertext was sealed with (to find rows that need re-encryption). */
  keyIdOf(sealed: Buffer): string;
};

/**
 * Parses `kid1:base64key,kid2:base64key` (each key 32 bytes). The active key seals new data;
 * older keys stay readable so rotation needs no downtime.
 */
export function parseKeyRing(spec: string, activeKeyId: string): KeyRing {
  const keys = new Map<string, Buffer>();
  for (const entry of spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const idx = entry.indexOf(':');
    if (idx <= 0) throw new Error('key ring entries must be kid:base64key');
    const kid = entry.slice(0, idx);
    if (!/^[A-Za-z0-9_-]{1,32}$/.test(kid)) throw new Error(`key id "${kid}" must be 1-32 of [A-Za-z0-9_-]`);
    const key = Buffer.from(entry.slice(idx + 1), 'base64');
    if (key.length !== 32) throw new Error(`key "${kid}" must be 32 bytes (base64), got ${key.length}`);
    keys.set(kid, key);
  }
  const active = keys.get(activeKeyId);
  if (!active) throw new Error(`active key "${activeKeyId}" is not in the key ring`);

  const header = (sealed: Buffer) => {
    if (sealed.length < 2 || sealed[0] !== FORMAT_VERSION) throw new Error('unknown ciphertext format');
    const kidLength = sealed[1]!;
    const kid = sealed.subarray(2, 2 + kidLength).toString('utf8');
    return { kid, offset: 2 + kidLength };
  };

  return {
    activeKeyId,
    encrypt(plaintext, aad) {
      const nonce = randomBytes(NONCE_BYTES);
      const cipher = createCipheriv('aes-256-gcm', active, nonce);
      cipher.setAAD(Buffer.from(aad, 'utf8'));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const kid = Buffer.from(activeKeyId, 'utf8');
      return Buffer.concat([Buffer.from([FORMAT_VERSION, kid.length]), kid, nonce, cipher.getAuthTag(), body]);
    },
    decrypt(sealed, aad) {
      const { kid, offset } = header(sealed);
      const key = keys.get(kid);
      if (!key) throw new Error(`ciphertext sealed with unknown key "${kid}"`);
      const nonce = sealed.subarray(offset, offset + NONCE_BYTES);
      const tag = sealed.subarray(offset + NONCE_BYTES, offset + NONCE_BYTES + TAG_BYTES);
      const decipher = createDecipheriv('aes-256-gcm', key, nonce);
      decipher.setAAD(Buffer.from(aad, 'utf8'));
      decipher.setAuthTag(tag);
      return Buffer.concat([
        decipher.update(sealed.subarray(offset + NONCE_BYTES + TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    },
    keyIdOf(sealed) {
      return header(sealed).kid;
    },
  };
}
