export type CachedAccessToken = {
  token: string;
  expiresAt: number;
  /** When this replica or another stored it (serialises forced refreshes across callers). */
  refreshedAt: number;
};

export type TokenRequest = {
  forceRefresh: boolean;
  /** The token a caller saw rejected by Google (401). */
  rejectedToken?: string;
  /** When the caller asked; a forced refresh is satisfied by any token stored after this. */
  requestedAt: number;
};

/**
 * Whether the cached access token can be handed out or Google must be asked for a new one.
 * Refreshing early (marginMs before expiry) leaves callers time to use the token; a rejected
 * token is replaced only if nobody replaced it already, so N callers hitting the same 401 cause
 * one refresh, not N.
 */
export function decideTokenUse(
  cached: CachedAccessToken | null,
  request: TokenRequest,
  now: number,
  marginMs: number,
): 'use' | 'refresh' {
  if (!cached) return 'refresh';
  if (cached.expiresAt - now <= marginMs) return 'refresh';
  if (request.rejectedToken !== undefined) return cached.token === request.rejectedToken ? 'refresh' : 'use';
  if (request.forceRefresh && cached.refreshedAt < request.requestedAt) return 'refresh';
  return 'use';
}
