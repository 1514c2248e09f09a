import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ACCESS_TOKEN_PATH, type AccessTokenResponse } from '@gcal-sync/shared';

export interface AccessTokenServerOptions {
  /** Origin of the Google emulator whose /token endpoint does the refresh-token grants. */
  emulatorOrigin: string;
  /** The OAuth client the refresh tokens were issued to. */
  clientId: string;
  clientSecret: string;
  /** The Bearer credential callers must present (the service's OAUTH credential setting). */
  credential: string;
}

// The route, taken from the contract's path builder so the stand-in cannot drift from it.
const MARKER = 'connection-id';
const [PATH_START = '', PATH_END = ''] = ACCESS_TOKEN_PATH(MARKER).split(MARKER);

/**
 * Stands in for the oauth service's internal access-token API (contract: @gcal-sync/shared
 * oauth-internal, POST ACCESS_TOKEN_PATH(connectionId) with a Bearer credential): every call does a
 * real refresh-token grant against the emulator for a connection the test registered, as a refresh
 * does. 401 without the credential, 404 for an unknown connection, 409 `connection_revoked` when
 * Google answers invalid_grant, 502 on any other Google failure.
 */
export async function startAccessTokenServer(options: AccessTokenServerOptions) {
  const connections = new Map<string, { refreshToken: string; email: string }>();
  let grants = 0;
  const server = createServer(async (req, res) => {
    const path = req.url ?? '';
    const encodedId =
      path.startsWith(PATH_START) && path.endsWith(PATH_END)
        ? path.slice(PATH_START.length, path.length - PATH_END.length)
        : '';
    for await (const _ of req) {
      // drain the body: a refresh is done on every call, whatever the caller asked
    }
    if (req.method !== 'POST' || encodedId === '' || encodedId.includes('/')) {
      replyError(res, 404, 'not_found');
      return;
    }
    if (req.headers.authorization !== `Bearer ${options.credential}`) {
      replyError(res, 401, 'unauthenticated');
      return;
    }
    const connection = connections.get(decodeURIComponent(encodedId));
    if (!connection) {
      replyError(res, 404, 'connection_not_found');
      return;
    }
    grants++;
    const grant = await fetch(new URL('/token', options.emulatorOrigin), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: connection.refreshToken,
        client_id: options.clientId,
        client_secret: options.clientSecret,
      }),
    });
    const body = (await grant.json()) as { access_token?: string; expires_in?: number; scope?: string; error?: string };
    if (!grant.ok || !body.access_token) {
      if (body.error === 'invalid_grant') replyError(res, 409, 'connection_revoked');
      else replyError(res, 502, 'google_error');
      return;
    }
    const answer: AccessTokenResponse = {
      accessToken: body.access_token,
      expiresAt: new Date(Date.now() + (body.expires_in ?? 3600) * 1000).toISOString(),
      scopes: (body.scope ?? '').split(' ').filter(Boolean),
      googleEmail: connection.email,
    };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    credential: options.credential,
    /** Makes a connection known, with the refresh token the consent flow gave the oauth service. */
    register: (connectionId: string, refreshToken: string, email: string) => {
      connections.set(connectionId, { refreshToken, email });
    },
    /** Refresh-token grants done so far. */
    grants: () => grants,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The error body of the project's HTTP kit (`{ error: { code } }`), as the oauth service answers. */
function replyError(res: ServerResponse, status: number, code: string) {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code } }));
}
