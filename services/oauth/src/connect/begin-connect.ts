import { randomBytes } from 'node:crypto';
import { HttpError, type Pool } from '@gcal-sync/shared';
import { findConnection } from '../connections/connection-repository';
import { type GoogleOAuth, generatePkce } from '../google/google-oauth';
import type { TokenSealer } from '../vault/token-sealer';
import { deleteExpiredConnectStates, insertConnectState } from './connect-state-repository';
import { signValue } from './signed-value';

export const STATE_PURPOSE = 'oauth-state';

export type ConnectDeps = {
  pool: Pool;
  sealer: TokenSealer;
  google: GoogleOAuth;
  signingSecret: string;
  stateTtlMs: number;
  now: () => number;
};

/**
 * Starts a connection: a random state id (stored with the PKCE verifier, sealed) signed into the
 * `state` parameter, and Google's consent URL. Reconnecting hints Google at the account's email.
 */
export async function beginConnect(
  deps: ConnectDeps,
  request: { orgId: string; reconnectConnectionId?: string },
): Promise<string> {
  let loginHint: string | undefined;
  if (request.reconnectConnectionId) {
    const connection = await findConnection(deps.pool, request.reconnectConnectionId, { orgId: request.orgId });
    if (!connection) throw new HttpError(404, 'connection_not_found', 'no such connection in this organization');
    loginHint = connection.email;
  }
  const id = randomBytes(32).toString('base64url');
  const { codeVerifier, codeChallenge } = generatePkce();
  await deleteExpiredConnectStates(deps.pool, new Date(deps.now() - deps.stateTtlMs));
  await insertConnectState(deps.pool, {
    id,
    orgId: request.orgId,
    reconnectConnectionId: request.reconnectConnectionId ?? null,
    verifier: deps.sealer.sealCodeVerifier(id, codeVerifier),
    expiresAt: new Date(deps.now() + deps.stateTtlMs),
  });
  return deps.google.authUrl({
    state: signValue(deps.signingSecret, STATE_PURPOSE, id),
    codeChallenge,
    ...(loginHint ? { loginHint } : {}),
  });
}
