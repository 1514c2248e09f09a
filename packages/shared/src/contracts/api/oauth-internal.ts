import { z } from 'zod';

/**
 * oauth service internal API (service-to-service, Bearer credential):
 *   POST /internal/connections/:connectionId/access-token   body: AccessTokenRequest → AccessTokenResponse
 * 404 unknown connection; 409 with code `connection_revoked` when the grant is gone, or
 * `connection_paused` while an admin paused syncing (treat both as "stop syncing this connection").
 */
export const accessTokenRequestSchema = z.object({
  /** The caller got a 401 with the token it holds: refresh even if not near expiry. */
  forceRefresh: z.boolean().default(false),
  /** The token the caller saw rejected, so concurrent callers refresh only once. */
  rejectedToken: z.string().optional(),
});
export const accessTokenResponseSchema = z.object({
  accessToken: z.string().min(1),
  expiresAt: z.iso.datetime({ offset: true }),
  scopes: z.array(z.string()),
  googleEmail: z.string(),
});
export type AccessTokenRequest = z.input<typeof accessTokenRequestSchema>;
export type AccessTokenResponse = z.infer<typeof accessTokenResponseSchema>;

export const ACCESS_TOKEN_PATH = (connectionId: string) =>
  `/internal/connections/${encodeURIComponent(connectionId)}/access-token`;
