import { createHash, randomBytes } from 'node:crypto';
import { CodeChallengeMethod, OAuth2Client } from 'google-auth-library';
import type { Config } from '../config';

/** What this service asks for (issue 5): events read/write, the calendar list, and who the account is. */
export const REQUIRED_SCOPES = [
  'https://www.googleapis.com/auth/calendar.events',
  'https://www.googleapis.com/auth/calendar.calendarlist.readonly',
] as const;
export const REQUESTED_SCOPES = ['openid', 'email', ...REQUIRED_SCOPES];

export type TokenGrant = { accessToken: string; refreshToken: string | null; expiresInMs: number; scopes: string[] };

/** Google said the refresh token is no longer valid (revoked, expired, password change): reconnect needed. */
export class GrantRevokedError extends Error {
  constructor() {
    super('Google rejected the refresh token (invalid_grant)');
    this.name = 'GrantRevokedError';
  }
}

/**
 * A Google error reduced to what is safe to log: gaxios errors carry the request, whose body
 * holds the refresh token or the code verifier.
 */
export class GoogleCallError extends Error {
  constructor(
    operation: string,
    readonly status: number | null,
    readonly reason: string | null,
  ) {
    super(`Google ${operation} failed${status ? ` with ${status}` : ''}${reason ? ` (${reason})` : ''}`);
    this.name = 'GoogleCallError';
  }
}

type GaxiosLike = {
  response?: { status?: number; data?: { error?: unknown; error_description?: unknown } };
  code?: unknown;
};

function describe(error: unknown): { status: number | null; reason: string | null } {
  const e = (error ?? {}) as GaxiosLike;
  const data = e.response?.data;
  const reason = typeof data?.error === 'string' ? data.error : typeof e.code === 'string' ? e.code : null;
  return { status: e.response?.status ?? null, reason };
}

export function generatePkce(): { codeVerifier: string; codeChallenge: string } {
  // RFC 7636: 43-128 unreserved characters; 32 random bytes → 43 base64url characters.
  const codeVerifier = randomBytes(48).toString('base64url');
  return { codeVerifier, codeChallenge: createHash('sha256').update(codeVerifier).digest('base64url') };
}

/** Google's OAuth endpoints (or the emulator's, through config) via google-auth-library. */
export function createGoogleOAuth(config: Config) {
  const client = () =>
    new OAuth2Client({
      clientId: config.GOOGLE_CLIENT_ID,
      clientSecret: config.GOOGLE_CLIENT_SECRET,
      redirectUri: config.GOOGLE_REDIRECT_URI,
      endpoints: {
        oauth2AuthBaseUrl: config.GOOGLE_OAUTH_AUTH_URL,
        oauth2TokenUrl: config.GOOGLE_OAUTH_TOKEN_URL,
        oauth2RevokeUrl: config.GOOGLE_OAUTH_REVOKE_URL,
      },
      transporterOptions: { timeout: config.GOOGLE_HTTP_TIMEOUT_MS, retry: false },
    });

  const grantFrom = (data: Record<string, unknown>, fallbackScopes: string[] = []): TokenGrant => {
    if (typeof data.access_token !== 'string') throw new GoogleCallError('token response', null, 'no access_token');
    return {
      accessToken: data.access_token,
      refreshToken: typeof data.refresh_token === 'string' ? data.refresh_token : null,
      expiresInMs: (typeof data.expires_in === 'number' ? data.expires_in : Number(data.expires_in ?? 3600)) * 1000,
      scopes: typeof data.scope === 'string' ? data.scope.split(' ').filter(Boolean) : fallbackScopes,
    };
  };

  return {
    authUrl(options: { state: string; codeChallenge: string; loginHint?: string }): string {
      return client().generateAuthUrl({
        access_type: 'offline',
        // A refresh token is only issued on consent; we always need one (new account or reconnect).
        prompt: 'consent',
        include_granted_scopes: true,
        scope: REQUESTED_SCOPES,
        state: options.state,
        code_challenge: options.codeChallenge,
        code_challenge_method: CodeChallengeMethod.S256,
        ...(options.loginHint ? { login_hint: options.loginHint } : {}),
      });
    },

    async exchangeCode(code: string, codeVerifier: string): Promise<TokenGrant> {
      try {
        const { res } = await client().getToken({ code, codeVerifier, redirect_uri: config.GOOGLE_REDIRECT_URI });
        return grantFrom((res?.data ?? {}) as Record<string, unknown>);
      } catch (error) {
        if (error instanceof GoogleCallError) throw error;
        const { status, reason } = describe(error);
        throw new GoogleCallError('code exchange', status, reason);
      }
    },

    async refresh(refreshToken: string): Promise<TokenGrant> {
      const c = client();
      c.setCredentials({ refresh_token: refreshToken });
      try {
        const { res } = await c.refreshAccessToken();
        return grantFrom((res?.data ?? {}) as Record<string, unknown>);
      } catch (error) {
        if (error instanceof GoogleCallError) throw error;
        const { status, reason } = describe(error);
        if (reason === 'invalid_grant') throw new GrantRevokedError();
        throw new GoogleCallError('token refresh', status, reason);
      }
    },

    /** Revokes the whole grant (Google revokes every token of this user for this client). */
    async revoke(token: string): Promise<void> {
      try {
        await client().revokeToken(token);
      } catch (error) {
        const { status, reason } = describe(error);
        // Already revoked or expired: the outcome we wanted.
        if (status === 400 && (reason === 'invalid_token' || reason === 'invalid_grant')) return;
        throw new GoogleCallError('token revocation', status, reason);
      }
    },

    async userInfo(accessToken: string): Promise<{ sub: string; email: string }> {
      const res = await fetch(config.GOOGLE_USERINFO_URL, {
        headers: { authorization: `Bearer ${accessToken}` },
        signal: AbortSignal.timeout(config.GOOGLE_HTTP_TIMEOUT_MS),
      }).catch(() => {
        throw new GoogleCallError('userinfo', null, 'network error');
      });
      if (!res.ok) throw new GoogleCallError('userinfo', res.status, null);
      const body = (await res.json()) as { sub?: unknown; email?: unknown };
      if (typeof body.sub !== 'string' || typeof body.email !== 'string') {
        throw new GoogleCallError('userinfo', res.status, 'no sub or email (is the email scope granted?)');
      }
      return { sub: body.sub, email: body.email };
    },
  };
}
export type GoogleOAuth = ReturnType<typeof createGoogleOAuth>;
