import {
  ACCESS_TOKEN_PATH,
  type AccessTokenResponse,
  accessTokenResponseSchema,
} from '../contracts/api/oauth-internal';

export class ConnectionRevokedError extends Error {
  constructor(readonly connectionId: string) {
    super(`connection ${connectionId} is revoked`);
    this.name = 'ConnectionRevokedError';
  }
}

export type AccessTokenClient = {
  /** A valid access token; cached until a minute before expiry. */
  get(connectionId: string): Promise<string>;
  /** Call after Google answered 401 with `rejected`: asks the oauth service for a fresh one. */
  refreshAfterRejection(connectionId: string, rejected: string): Promise<string>;
};

/** Client of the oauth service's internal access-token API. */
export function createAccessTokenClient(options: {
  oauthBaseUrl: string;
  credential: string;
  fetchImpl?: typeof fetch;
}): AccessTokenClient {
  const cache = new Map<string, AccessTokenResponse>();
  const doFetch = options.fetchImpl ?? fetch;

  async function request(connectionId: string, body: object): Promise<string> {
    const res = await doFetch(`${options.oauthBaseUrl.replace(/\/$/, '')}${ACCESS_TOKEN_PATH(connectionId)}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${options.credential}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (res.status === 409) {
      cache.delete(connectionId);
      throw new ConnectionRevokedError(connectionId);
    }
    if (!res.ok) throw new Error(`oauth service answered ${res.status} for an access token`);
    const parsed = accessTokenResponseSchema.parse(await res.json());
    cache.set(connectionId, parsed);
    return parsed.accessToken;
  }

  return {
    async get(connectionId) {
      const cached = cache.get(connectionId);
      if (cached && Date.parse(cached.expiresAt) - Date.now() > 60_000) return cached.accessToken;
      return request(connectionId, { forceRefresh: false });
    },
    async refreshAfterRejection(connectionId, rejected) {
      cache.delete(connectionId);
      return request(connectionId, { forceRefresh: true, rejectedToken: rejected });
    },
  };
}
