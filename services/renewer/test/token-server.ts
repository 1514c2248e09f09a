import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Stands in for the oauth service's internal API (same contract: POST
 * /internal/connections/:id/access-token with a Bearer credential), doing a real refresh-token
 * grant against the emulator for each connection the test registered.
 */
export async function startTokenServer(emulatorOrigin: string, clientId: string) {
  const credential = 'renewer-test-credential-0123456789';
  const connections = new Map<string, { refreshToken: string; email: string }>();
  let calls = 0;
  const server = createServer(async (req, res) => {
    const match = /^\/internal\/connections\/([^/]+)\/access-token$/.exec(req.url ?? '');
    req.resume();
    if (req.method !== 'POST' || !match) {
      res.writeHead(404).end();
      return;
    }
    if (req.headers.authorization !== `Bearer ${credential}`) {
      res.writeHead(401).end();
      return;
    }
    const connection = connections.get(decodeURIComponent(match[1]!));
    if (!connection) {
      res.writeHead(404).end();
      return;
    }
    calls++;
    const grant = await fetch(`${emulatorOrigin}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: connection.refreshToken,
        client_id: clientId,
        client_secret: 'test-secret',
      }),
    });
    const body = (await grant.json()) as { access_token?: string; expires_in?: number; scope?: string; error?: string };
    if (body.error === 'invalid_grant') {
      res
        .writeHead(409, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: { code: 'connection_revoked' } }));
      return;
    }
    if (!grant.ok || !body.access_token) {
      res.writeHead(502).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        accessToken: body.access_token,
        expiresAt: new Date(Date.now() + (body.expires_in ?? 3599) * 1000).toISOString(),
        scopes: (body.scope ?? '').split(' '),
        googleEmail: connection.email,
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    credential,
    register: (connectionId: string, refreshToken: string, email: string) =>
      connections.set(connectionId, { refreshToken, email }),
    calls: () => calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
