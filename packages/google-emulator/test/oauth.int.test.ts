import { createHash } from 'node:crypto';
import { OAuth2Client } from 'google-auth-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../src/index';
import {
  authorise,
  CLIENT_ID,
  CLIENT_SECRET,
  calendarApi,
  endpoints,
  expectApiError,
  oauthClient,
  REDIRECT_URI,
  SCOPES,
  start,
} from './harness';

let emu: RunningEmulator;
let manual: RunningEmulator;
beforeAll(async () => {
  emu = await start();
  manual = await startEmulator({ autoConsent: false });
});
afterAll(async () => {
  await emu.stop();
  await manual.stop();
});

function oauthError(e: unknown) {
  return (e as { response?: { status: number; data: { error: string; error_description: string } } }).response!;
}

async function consent(url: string, authUrl: string, decision: 'allow' | 'deny', email = 'browser@example.com') {
  const page = await (await fetch(authUrl)).text();
  const request = /name="request" value="([^"]+)"/.exec(page)?.[1] ?? '';
  const res = await fetch(`${url}/o/oauth2/v2/auth/consent`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ request, email, timeZone: 'America/New_York', decision }).toString(),
  });
  return { page, location: new URL(res.headers.get('location') ?? '') };
}

describe('OAuth 2.0 web server flow', () => {
  it('consent page: a real HTML page with Allow and Deny; Allow returns a code with state echoed', async () => {
    const client = oauthClient(manual.url);
    const authUrl = client.generateAuthUrl({
      access_type: 'offline',
      scope: [SCOPES.calendar],
      state: 'xyz',
      login_hint: 'browser@example.com',
    });
    const { page, location } = await consent(manual.url, authUrl, 'allow');
    expect(page).toContain('id="submit_approve_access"');
    expect(page).toContain('id="submit_deny_access"');
    expect(page).toContain('value="browser@example.com"');
    expect(location.searchParams.get('state')).toBe('xyz');
    const { tokens } = await client.getToken(location.searchParams.get('code')!);
    expect(tokens.access_token).toMatch(/^ya29\./);
    const user = await manual.control.createUser({ email: 'browser@example.com' });
    expect(user.timeZone).toBe('America/New_York');
  });

  it('consent page: Deny redirects with error=access_denied and the state', async () => {
    const client = oauthClient(manual.url);
    const authUrl = client.generateAuthUrl({ scope: [SCOPES.calendar], state: 'deny-state' });
    const { location } = await consent(manual.url, authUrl, 'deny');
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('state')).toBe('deny-state');
    expect(location.searchParams.get('code')).toBeNull();
  });

  it('prompt=none: silent code when already granted, interaction_required otherwise', async () => {
    const client = oauthClient(manual.url);
    const first = client.generateAuthUrl({ scope: [SCOPES.calendar], state: 'a', login_hint: 'silent@example.com' });
    await consent(manual.url, first, 'allow', 'silent@example.com');
    const silent = client.generateAuthUrl({
      scope: [SCOPES.calendar],
      state: 'b',
      login_hint: 'silent@example.com',
      prompt: 'none',
    });
    const ok = new URL((await fetch(silent, { redirect: 'manual' })).headers.get('location')!);
    expect(ok.searchParams.get('code')).toBeTruthy();
    expect(ok.searchParams.get('state')).toBe('b');
    const unknown = client.generateAuthUrl({
      scope: [SCOPES.calendar],
      login_hint: 'stranger@example.com',
      prompt: 'none',
    });
    const no = new URL((await fetch(unknown, { redirect: 'manual' })).headers.get('location')!);
    expect(no.searchParams.get('error')).toBe('interaction_required');
  });

  it('auto-consent creates the user with a primary calendar on first sight', async () => {
    const { client } = await authorise(emu.url, 'fresh@example.com');
    const cal = calendarApi(emu.url, client);
    const primary = await cal.calendarList.get({ calendarId: 'primary' });
    expect(primary.data.primary).toBe(true);
    expect(primary.data.id).toBe('fresh@example.com');
  });

  it('token endpoint: Google response fields (expires_in 3599, scope, token_type, refresh_token on first consent)', async () => {
    const { tokens } = await authorise(emu.url, 'fields@example.com', [SCOPES.events, 'openid', 'email']);
    expect(tokens.token_type).toBe('Bearer');
    expect(tokens.scope).toBe(`${SCOPES.events} openid email`);
    expect(tokens.refresh_token).toBeTruthy();
    expect(tokens.id_token).toBeTruthy();
    const raw = await fetch(`${emu.url}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token!,
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
      }).toString(),
    });
    const body = (await raw.json()) as Record<string, unknown>;
    expect(body).toEqual({
      access_token: expect.stringMatching(/^ya29\./),
      expires_in: 3599,
      scope: `${SCOPES.events} openid email`,
      token_type: 'Bearer',
      id_token: expect.any(String),
    });
  });

  it('id_token verifies with google-auth-library verifyIdToken against the emulator certs', async () => {
    const { client, tokens } = await authorise(emu.url, 'idtoken@example.com', [SCOPES.calendar, 'openid', 'email']);
    const ticket = await client.verifyIdToken({ idToken: tokens.id_token!, audience: CLIENT_ID });
    expect(ticket.getPayload()).toMatchObject({ email: 'idtoken@example.com', email_verified: true, aud: CLIENT_ID });
    expect(ticket.getUserId()).toMatch(/^\d{21}$/);
  });

  it('refresh_token only on first consent or prompt=consent', async () => {
    const first = await authorise(emu.url, 'again@example.com');
    expect(first.tokens.refresh_token).toBeTruthy();
    const second = await authorise(emu.url, 'again@example.com');
    expect(second.tokens.refresh_token).toBeUndefined();
    const forced = await authorise(emu.url, 'again@example.com', undefined, { prompt: 'consent' });
    expect(forced.tokens.refresh_token).toBeTruthy();
  });

  it('PKCE S256 is verified', async () => {
    const ok = await authorise(emu.url, 'pkce@example.com', undefined, { pkce: true });
    expect(ok.tokens.access_token).toBeTruthy();
    const client = oauthClient(emu.url);
    const challenge = createHash('sha256').update('the-right-verifier-the-right-verifier-0123').digest('base64url');
    const authUrl = client.generateAuthUrl({
      scope: [SCOPES.calendar],
      login_hint: 'pkce@example.com',
      code_challenge: challenge,
      code_challenge_method: 'S256' as never,
    });
    const res = await fetch(authUrl, { redirect: 'manual' });
    const code = new URL(res.headers.get('location')!).searchParams.get('code')!;
    const err = await client
      .getToken({ code, codeVerifier: 'a-wrong-verifier-a-wrong-verifier-a-wrong' })
      .catch((e: unknown) => e);
    expect(oauthError(err).status).toBe(400);
    expect(oauthError(err).data).toEqual({ error: 'invalid_grant', error_description: 'Invalid code verifier.' });
  });

  it('invalid_grant with Google body for a revoked or unknown refresh token', async () => {
    const { tokens } = await authorise(emu.url, 'revoked@example.com');
    await emu.control.revokeGrant('revoked@example.com');
    const client = oauthClient(emu.url);
    client.setCredentials({ refresh_token: tokens.refresh_token! });
    const err = await client.refreshAccessToken().catch((e: unknown) => e);
    expect(oauthError(err).data).toEqual({
      error: 'invalid_grant',
      error_description: 'Token has been expired or revoked.',
    });
    client.setCredentials({ refresh_token: '1//unknown' });
    const err2 = await client.refreshAccessToken().catch((e: unknown) => e);
    expect(oauthError(err2).data.error).toBe('invalid_grant');
  });

  it('revoke endpoint revokes the grant: API calls get 401 afterwards', async () => {
    const { client, tokens } = await authorise(emu.url, 'revoke-me@example.com');
    await client.revokeToken(tokens.access_token!);
    const bare = oauthClient(emu.url);
    bare.setCredentials({ access_token: tokens.access_token! });
    const err = await expectApiError(calendarApi(emu.url, bare).calendarList.list());
    expect(err.status).toBe(401);
    expect(err.error.errors[0]).toMatchObject({
      domain: 'global',
      reason: 'authError',
      location: 'Authorization',
      locationType: 'header',
    });
    expect(err.error.status).toBe('UNAUTHENTICATED');
  });

  it('userinfo returns sub and email', async () => {
    const { client } = await authorise(emu.url, 'who@example.com', [SCOPES.calendar, 'openid', 'email']);
    const res = await client.request<{ sub: string; email: string }>({ url: `${emu.url}/oauth2/v3/userinfo` });
    expect(res.data.email).toBe('who@example.com');
    expect(res.data.sub).toMatch(/^\d{21}$/);
    const info = await client.getTokenInfo(client.credentials.access_token!);
    expect(info.email).toBe('who@example.com');
  });

  it('access tokens expire: an expired one gets 401 from the Calendar API', async () => {
    const { tokens } = await authorise(emu.url, 'expiry@example.com');
    const bare = oauthClient(emu.url);
    bare.setCredentials({ access_token: tokens.access_token! });
    const cal = calendarApi(emu.url, bare);
    await cal.calendarList.list();
    await emu.control.advanceClock(3600_000);
    const err = await expectApiError(cal.calendarList.list());
    expect(err.status).toBe(401);
    expect(err.error.message).toMatch(/invalid authentication credentials/);
    await emu.control.advanceClock(-3600_000);
  });

  it('google-auth-library refreshes transparently with the refresh token', async () => {
    const { client } = await authorise(emu.url, 'auto-refresh@example.com');
    const cal = calendarApi(emu.url, client);
    client.setCredentials({ ...client.credentials, access_token: 'ya29.stale', expiry_date: Date.now() - 1000 });
    const list = await cal.calendarList.list();
    expect(list.data.items?.length).toBe(1);
  });

  it('scopes are enforced: a read-only token cannot write (403 insufficientPermissions)', async () => {
    const { client } = await authorise(emu.url, 'ro@example.com', [SCOPES.readonly]);
    const cal = calendarApi(emu.url, client);
    await cal.events.list({ calendarId: 'primary' });
    const err = await expectApiError(
      cal.events.insert({
        calendarId: 'primary',
        requestBody: { start: { date: '2030-01-01' }, end: { date: '2030-01-02' } },
      }),
    );
    expect(err.status).toBe(403);
    expect(err.error).toMatchObject({
      code: 403,
      message: 'Request had insufficient authentication scopes.',
      status: 'PERMISSION_DENIED',
    });
    expect(err.error.errors[0]).toMatchObject({ domain: 'global', reason: 'insufficientPermissions' });
    const { client: listOnly } = await authorise(emu.url, 'ro@example.com', [SCOPES.calendarListReadonly]);
    const err2 = await expectApiError(calendarApi(emu.url, listOnly).events.list({ calendarId: 'primary' }));
    expect(err2.status).toBe(403);
  });

  it('EMULATOR_CLIENTS: a wrong secret gets invalid_client', async () => {
    const strict = await start({ clients: { [CLIENT_ID]: CLIENT_SECRET } });
    try {
      const ok = await authorise(strict.url, 'strict@example.com');
      expect(ok.tokens.access_token).toBeTruthy();
      const err = await authorise(strict.url, 'strict@example.com', undefined, { clientSecret: 'wrong' }).catch(
        (e: unknown) => e,
      );
      expect(oauthError(err).status).toBe(401);
      expect(oauthError(err).data.error).toBe('invalid_client');
      const other = new OAuth2Client({
        clientId: 'unknown',
        clientSecret: 'x',
        redirectUri: REDIRECT_URI,
        endpoints: endpoints(strict.url),
      });
      other.setCredentials({ refresh_token: ok.tokens.refresh_token! });
      const err2 = await other.refreshAccessToken().catch((e: unknown) => e);
      expect(oauthError(err2).data.error).toBe('invalid_client');
    } finally {
      await strict.stop();
    }
  });
});
