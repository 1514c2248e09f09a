import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';

/**
 * RS256 signing key for id_tokens, made on first use, with its public half served the way
 * Google serves its certs (PEM map at /oauth2/v1/certs, JWKS at /oauth2/v3/certs), so
 * google-auth-library's verifyIdToken works with `endpoints` pointed at the emulator.
 */
let key: { kid: string; privateKey: KeyObject; publicKey: KeyObject } | undefined;

function signingKey() {
  if (!key) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    key = { kid: 'emulator-key-1', privateKey, publicKey };
  }
  return key;
}

export function signJwt(payload: Record<string, unknown>): string {
  const k = signingKey();
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const data = `${enc({ alg: 'RS256', kid: k.kid, typ: 'JWT' })}.${enc(payload)}`;
  const signature = createSign('RSA-SHA256').update(data).sign(k.privateKey).toString('base64url');
  return `${data}.${signature}`;
}

export function pemCerts(): Record<string, string> {
  const k = signingKey();
  return { [k.kid]: k.publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

export function jwks(): { keys: Record<string, unknown>[] } {
  const k = signingKey();
  return { keys: [{ ...k.publicKey.export({ format: 'jwk' }), kid: k.kid, alg: 'RS256', use: 'sig' }] };
}
