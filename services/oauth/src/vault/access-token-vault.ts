import { HttpError, type Logger, type Pool, withTransaction } from '@gcal-sync/shared';
import { type ConnectionRow, findConnection, storeAccessToken } from '../connections/connection-repository';
import { type RevocationContext, revokeConnection } from '../connections/revoke-connection';
import { type GoogleOAuth, GrantRevokedError } from '../google/google-oauth';
import type { OAuthMetrics } from '../oauth-metrics';
import { type CachedAccessToken, decideTokenUse, type TokenRequest } from './token-freshness';
import type { TokenSealer } from './token-sealer';

export type AccessToken = { accessToken: string; expiresAt: Date; scopes: string[]; googleEmail: string };

export type VaultDeps = {
  pool: Pool;
  sealer: TokenSealer;
  google: GoogleOAuth;
  logger: Logger;
  metrics: OAuthMetrics;
  now: () => number;
  marginMs: number;
  revocation: RevocationContext;
};

export const connectionNotFound = () => new HttpError(404, 'connection_not_found', 'no such connection');
export const connectionRevoked = () =>
  new HttpError(409, 'connection_revoked', 'the Google account must be reconnected: its grant was revoked');
/** Same status as revoked, so callers (the shared access-token client) stop syncing it alike. */
export const connectionPaused = () =>
  new HttpError(409, 'connection_paused', 'an admin paused syncing of this Google account');

/**
 * Hands out access tokens, refreshing through Google only when needed. Concurrent callers share
 * one refresh: inside a replica through an in-flight promise per connection, across replicas
 * because the refresh runs while holding the connection's row lock, and whoever waited re-reads
 * the token stored by the winner instead of refreshing again.
 */
export function createAccessTokenVault(deps: VaultDeps) {
  const { pool, sealer, now, marginMs } = deps;
  const inFlight = new Map<string, Promise<AccessToken>>();

  const cachedOf = (row: ConnectionRow): CachedAccessToken | null => {
    if (!row.access_token || !row.access_token_expires_at) return null;
    return {
      token: sealer.openAccessToken(row.id, row.access_token),
      expiresAt: row.access_token_expires_at.getTime(),
      refreshedAt: row.access_token_refreshed_at?.getTime() ?? 0,
    };
  };
  const result = (row: ConnectionRow, token: string, expiresAt: number, scopes = row.scopes): AccessToken => ({
    accessToken: token,
    expiresAt: new Date(expiresAt),
    scopes,
    googleEmail: row.email,
  });
  const usable = (row: ConnectionRow | null) => {
    if (!row) throw connectionNotFound();
    if (row.status === 'revoked' || !row.refresh_token) throw connectionRevoked();
    if (row.status === 'paused') throw connectionPaused();
    return row;
  };

  async function refreshLocked(connectionId: string, request: TokenRequest): Promise<AccessToken> {
    const outcome = await withTransaction(pool, async (db) => {
      const row = usable(await findConnection(db, connectionId, { forUpdate: true }));
      const cached = cachedOf(row);
      if (cached && decideTokenUse(cached, request, now(), marginMs) === 'use') {
        deps.metrics.tokenRequests.inc({ outcome: 'refreshed_by_other' });
        return result(row, cached.token, cached.expiresAt);
      }
      const refreshToken = sealer.openRefreshToken(row.id, row.refresh_token!);
      const startedAt = now();
      try {
        const grant = await deps.google.refresh(refreshToken);
        const expiresAt = startedAt + grant.expiresInMs;
        await storeAccessToken(db, row.id, {
          access: sealer.sealAccessToken(row.id, grant.accessToken),
          expiresAt: new Date(expiresAt),
          at: new Date(now()),
          // Google may rotate the refresh token; keep whichever is current.
          refresh: grant.refreshToken ? sealer.sealRefreshToken(row.id, grant.refreshToken) : null,
          scopes: grant.scopes.length > 0 ? grant.scopes : null,
        });
        deps.metrics.tokenRefreshes.inc({ outcome: 'ok' });
        return result(row, grant.accessToken, expiresAt, grant.scopes.length > 0 ? grant.scopes : row.scopes);
      } catch (error) {
        if (error instanceof GrantRevokedError) {
          // The row lock makes this happen once per incident, however many callers were waiting.
          await revokeConnection(db, row, 'invalid_grant', deps.revocation);
          deps.metrics.tokenRefreshes.inc({ outcome: 'revoked' });
          deps.logger.warn({ connectionId, orgId: row.org_id }, 'refresh token rejected by Google: connection revoked');
          return 'revoked' as const;
        }
        deps.metrics.tokenRefreshes.inc({ outcome: 'error' });
        // Google is unreachable but the token we have still works: better than failing the caller.
        if (cached && cached.expiresAt > now() && cached.token !== request.rejectedToken) {
          deps.logger.warn({ connectionId, err: error }, 'token refresh failed; handing out the still-valid token');
          return result(row, cached.token, cached.expiresAt);
        }
        deps.logger.warn({ connectionId, err: error }, 'token refresh failed');
        throw new HttpError(503, 'google_unavailable', 'Google did not issue an access token; retry later');
      }
    });
    if (outcome === 'revoked') throw connectionRevoked();
    return outcome;
  }

  return {
    async get(connectionId: string, options: { forceRefresh?: boolean; rejectedToken?: string } = {}) {
      const request: TokenRequest = {
        forceRefresh: options.forceRefresh ?? false,
        rejectedToken: options.rejectedToken,
        requestedAt: now(),
      };
      const row = usable(await findConnection(pool, connectionId));
      const cached = cachedOf(row);
      if (cached && decideTokenUse(cached, request, now(), marginMs) === 'use') {
        deps.metrics.tokenRequests.inc({ outcome: 'cached' });
        return result(row, cached.token, cached.expiresAt);
      }
      const running = inFlight.get(connectionId);
      if (running) {
        deps.metrics.tokenRequests.inc({ outcome: 'joined' });
        return running;
      }
      deps.metrics.tokenRequests.inc({ outcome: 'refresh' });
      const flight = refreshLocked(connectionId, request).finally(() => inFlight.delete(connectionId));
      inFlight.set(connectionId, flight);
      return flight;
    },
  };
}
export type AccessTokenVault = ReturnType<typeof createAccessTokenVault>;
