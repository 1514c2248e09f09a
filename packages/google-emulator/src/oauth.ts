import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { consentPage, errorPage } from './consent-page';
import type { Emu } from './context';
import { unauthenticated } from './errors';
import { parseFormOrJson, readBody, redirect, sendHtml, sendJson } from './http';
import { signJwt } from './id-token';
import { randomToken } from './ids';
import { shortScope } from './scopes';
import type { AccessToken } from './state';
import { ensureUser } from './users';

/** OAuth errors use the flat `{error, error_description}` body, not the API envelope. */
export class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
  ) {
    super(description);
  }
}

export const ACCESS_TOKEN_LIFETIME_S = 3599;
const CODE_LIFETIME_MS = 10 * 60_000;

function isKnownScope(s: string): boolean {
  const short = shortScope(s);
  return ['openid', 'email', 'profile'].includes(short) || short === 'calendar' || short.startsWith('calendar.');
}

function checkClient(emu: Emu, clientId: string | undefined, secret: string | undefined, requireSecret: boolean): void {
  if (!clientId) throw new OAuthError(400, 'invalid_request', 'Missing required parameter: client_id');
  const clients = emu.options.clients;
  if (!clients) return;
  if (!(clientId in clients)) throw new OAuthError(401, 'invalid_client', 'The OAuth client was not found.');
  if (requireSecret && clients[clientId] !== secret) throw new OAuthError(401, 'invalid_client', 'Unauthorized');
}

/** GET /o/oauth2/v2/auth: consent page, or straight redirect with a code when auto-consent is on. */
export function handleAuthorize(emu: Emu, res: ServerResponse, url: URL): void {
  const q = url.searchParams;
  try {
    checkClient(emu, q.get('client_id') ?? undefined, undefined, false);
    const redirectUri = q.get('redirect_uri');
    if (!redirectUri) throw new OAuthError(400, 'invalid_request', 'Missing required parameter: redirect_uri');
    if (q.get('response_type') !== 'code')
      throw new OAuthError(400, 'unsupported_response_type', `Invalid response_type: ${q.get('response_type') ?? ''}`);
    const scope = q.get('scope');
    if (!scope) throw new OAuthError(400, 'invalid_request', 'Missing required parameter: scope');
    const bad = scope.split(/\s+/).filter((s) => s && !isKnownScope(s));
    if (bad.length)
      throw new OAuthError(400, 'invalid_scope', `Some requested scopes were invalid. {invalid=[${bad.join(', ')}]}`);
    const method = q.get('code_challenge_method');
    if (q.get('code_challenge') && method && method !== 'S256' && method !== 'plain') {
      throw new OAuthError(400, 'invalid_request', 'Invalid code_challenge_method');
    }
    const loginHint = q.get('login_hint') ?? undefined;
    const prompts = (q.get('prompt') ?? '').split(/\s+/);
    if (prompts.includes('none') && !emu.options.autoConsent) {
      // Silent re-authorisation: only when this user already granted every requested scope to this client.
      const sub = loginHint ? emu.state.subByEmail.get(loginHint.toLowerCase()) : undefined;
      const granted = sub ? emu.state.grants.get(`${sub} ${q.get('client_id')}`) : undefined;
      const wanted = scope.split(/\s+/).filter(Boolean);
      if (sub && granted && wanted.every((s) => granted.includes(s))) {
        redirect(res, approve(emu, q, loginHint!, undefined));
      } else {
        const target = new URL(redirectUri);
        target.searchParams.set('error', sub ? 'consent_required' : 'interaction_required');
        const state = q.get('state');
        if (state !== null) target.searchParams.set('state', state);
        redirect(res, target.toString());
      }
      return;
    }
    if (emu.options.autoConsent) {
      const email = loginHint?.includes('@') ? loginHint : 'emulator.user@example.com';
      redirect(res, approve(emu, q, email, q.get('tz') ?? undefined));
      return;
    }
    sendHtml(res, 200, consentPage(q, loginHint));
  } catch (e) {
    if (e instanceof OAuthError) sendHtml(res, e.status, errorPage(e.error, e.description));
    else throw e;
  }
}

/** POST /o/oauth2/v2/auth/consent: the Allow / Deny form of the consent page. */
export async function handleConsent(emu: Emu, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const form = new URLSearchParams(await readBody(req));
  const q = new URLSearchParams(Buffer.from(form.get('request') ?? '', 'base64url').toString('utf8'));
  const redirectUri = q.get('redirect_uri');
  if (!redirectUri) {
    sendHtml(res, 400, errorPage('invalid_request', 'Missing required parameter: redirect_uri'));
    return;
  }
  if (form.get('decision') !== 'allow') {
    const target = new URL(redirectUri);
    target.searchParams.set('error', 'access_denied');
    const state = q.get('state');
    if (state !== null) target.searchParams.set('state', state);
    redirect(res, target.toString());
    return;
  }
  const email = form.get('email') || q.get('login_hint') || 'emulator.user@example.com';
  redirect(res, approve(emu, q, email, form.get('timeZone') || undefined));
}

function approve(emu: Emu, q: URLSearchParams, email: string, timeZone: string | undefined): string {
  const user = ensureUser(emu, email, timeZone);
  const clientId = q.get('client_id')!;
  const grantKey = `${user.sub} ${clientId}`;
  let scopes = (q.get('scope') ?? '').split(/\s+/).filter(Boolean);
  const previous = emu.state.grants.get(grantKey);
  if (previous && q.get('include_granted_scopes') === 'true') scopes = [...new Set([...previous, ...scopes])];
  const hasRefresh = [...emu.state.refreshTokens.values()].some(
    (r) => r.sub === user.sub && r.clientId === clientId && !r.revoked,
  );
  const prompt = (q.get('prompt') ?? '').split(/\s+/);
  const code = `4/0${randomToken(32)}`;
  emu.state.codes.set(code, {
    code,
    sub: user.sub,
    clientId,
    redirectUri: q.get('redirect_uri')!,
    scopes,
    codeChallenge: q.get('code_challenge') ?? undefined,
    codeChallengeMethod: q.get('code_challenge_method') ?? (q.get('code_challenge') ? 'plain' : undefined),
    issueRefresh: q.get('access_type') === 'offline' && (!hasRefresh || prompt.includes('consent')),
    expiresAt: emu.clock.now() + CODE_LIFETIME_MS,
    used: false,
  });
  emu.state.grants.set(grantKey, scopes);
  emu.counters.add('oauth.authorize', user.email);
  const target = new URL(q.get('redirect_uri')!);
  const state = q.get('state');
  if (state !== null) target.searchParams.set('state', state);
  target.searchParams.set('code', code);
  target.searchParams.set('scope', scopes.join(' '));
  target.searchParams.set('authuser', '0');
  target.searchParams.set('prompt', 'consent');
  return target.toString();
}

function issueAccessToken(emu: Emu, sub: string, clientId: string, scopes: string[]): AccessToken {
  const token: AccessToken = {
    token: `ya29.${randomToken(48)}`,
    sub,
    clientId,
    scopes,
    expiresAt: emu.clock.now() + ACCESS_TOKEN_LIFETIME_S * 1000,
    revoked: false,
  };
  emu.state.accessTokens.set(token.token, token);
  return token;
}

function clientCredentials(req: IncomingMessage, body: Record<string, string>): { id?: string; secret?: string } {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Basic ')) {
    const [id, secret] = Buffer.from(auth.slice(6), 'base64').toString('utf8').split(':');
    return { id: decodeURIComponent(id ?? ''), secret: decodeURIComponent(secret ?? '') };
  }
  return { id: body.client_id, secret: body.client_secret };
}

/** POST /token: authorization_code and refresh_token grants. */
export async function handleToken(emu: Emu, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = parseFormOrJson(req, await readBody(req));
  const client = clientCredentials(req, body);
  let who = client.id ?? 'anonymous';
  try {
    checkClient(emu, client.id, client.secret, true);
    const grant = body.grant_type;
    if (!grant) throw new OAuthError(400, 'unsupported_grant_type', 'Invalid grant_type: ');
    if (grant === 'authorization_code') {
      if (!body.code) throw new OAuthError(400, 'invalid_request', 'Missing required parameter: code');
      if (!body.redirect_uri) throw new OAuthError(400, 'invalid_request', 'Missing required parameter: redirect_uri');
      const code = emu.state.codes.get(body.code);
      if (!code) throw new OAuthError(400, 'invalid_grant', 'Malformed auth code.');
      who = emu.state.users.get(code.sub)?.email ?? who;
      if (code.used || code.expiresAt <= emu.clock.now() || code.clientId !== client.id) {
        throw new OAuthError(400, 'invalid_grant', 'Bad Request');
      }
      if (code.redirectUri !== body.redirect_uri) throw new OAuthError(400, 'redirect_uri_mismatch', 'Bad Request');
      if (code.codeChallenge) {
        if (!body.code_verifier) throw new OAuthError(400, 'invalid_grant', 'Missing code verifier.');
        const computed =
          code.codeChallengeMethod === 'S256'
            ? createHash('sha256').update(body.code_verifier).digest('base64url')
            : body.code_verifier;
        if (computed !== code.codeChallenge) throw new OAuthError(400, 'invalid_grant', 'Invalid code verifier.');
      }
      code.used = true;
      const access = issueAccessToken(emu, code.sub, code.clientId, code.scopes);
      const out: Record<string, unknown> = {
        access_token: access.token,
        expires_in: ACCESS_TOKEN_LIFETIME_S,
        scope: code.scopes.join(' '),
        token_type: 'Bearer',
      };
      if (code.issueRefresh) {
        const refresh = `1//0${randomToken(48)}`;
        emu.state.refreshTokens.set(refresh, {
          token: refresh,
          sub: code.sub,
          clientId: code.clientId,
          scopes: code.scopes,
          revoked: false,
        });
        out.refresh_token = refresh;
      }
      if (code.scopes.includes('openid')) out.id_token = idToken(emu, code.sub, code.clientId, code.scopes);
      emu.counters.add('oauth.token', who);
      sendJson(res, 200, out, {
        'Cache-Control': 'no-cache, no-store, max-age=0, must-revalidate',
        Pragma: 'no-cache',
      });
      return;
    }
    if (grant === 'refresh_token') {
      if (!body.refresh_token)
        throw new OAuthError(400, 'invalid_request', 'Missing required parameter: refresh_token');
      const rt = emu.state.refreshTokens.get(body.refresh_token);
      if (rt) who = emu.state.users.get(rt.sub)?.email ?? who;
      if (!rt || rt.revoked) throw new OAuthError(400, 'invalid_grant', 'Token has been expired or revoked.');
      if (rt.clientId !== client.id) throw new OAuthError(401, 'unauthorized_client', 'Unauthorized');
      const access = issueAccessToken(emu, rt.sub, rt.clientId, rt.scopes);
      const out: Record<string, unknown> = {
        access_token: access.token,
        expires_in: ACCESS_TOKEN_LIFETIME_S,
        scope: rt.scopes.join(' '),
        token_type: 'Bearer',
      };
      if (rt.scopes.includes('openid')) out.id_token = idToken(emu, rt.sub, rt.clientId, rt.scopes);
      emu.counters.add('oauth.token', who);
      sendJson(res, 200, out, {
        'Cache-Control': 'no-cache, no-store, max-age=0, must-revalidate',
        Pragma: 'no-cache',
      });
      return;
    }
    throw new OAuthError(400, 'unsupported_grant_type', `Invalid grant_type: ${grant}`);
  } catch (e) {
    emu.counters.add('oauth.token', who);
    if (e instanceof OAuthError) sendJson(res, e.status, { error: e.error, error_description: e.description });
    else throw e;
  }
}

/** id_token (RS256, verifiable against the emulator's certs endpoints); carries sub and email. */
function idToken(emu: Emu, sub: string, clientId: string, scopes: string[]): string {
  const user = emu.state.users.get(sub)!;
  const now = Math.floor(emu.clock.now() / 1000);
  const payload: Record<string, unknown> = {
    iss: 'https://accounts.google.com',
    azp: clientId,
    aud: clientId,
    sub,
    iat: now,
    exp: now + 3600,
  };
  if (scopes.some((s) => shortScope(s) === 'email')) {
    payload.email = user.email;
    payload.email_verified = true;
  }
  return signJwt(payload);
}

/** POST /revoke?token=…: revoking any token of a grant revokes the whole grant. */
export async function handleRevoke(emu: Emu, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const body = parseFormOrJson(req, await readBody(req));
  const token = url.searchParams.get('token') ?? body.token;
  const access = token ? emu.state.accessTokens.get(token) : undefined;
  const refresh = token ? emu.state.refreshTokens.get(token) : undefined;
  const owner = access ?? refresh;
  if (!owner || owner.revoked || (access && access.expiresAt <= emu.clock.now())) {
    emu.counters.add('oauth.revoke', 'anonymous');
    sendJson(res, 400, { error: 'invalid_token', error_description: 'Token expired or revoked' });
    return;
  }
  revokeGrant(emu, owner.sub, owner.clientId);
  emu.counters.add('oauth.revoke', emu.state.users.get(owner.sub)?.email ?? 'anonymous');
  sendJson(res, 200, {});
}

/** Revokes every token of a user, for one client or (clientId undefined) all of them. */
export function revokeGrant(emu: Emu, sub: string, clientId?: string): void {
  for (const t of emu.state.accessTokens.values())
    if (t.sub === sub && (!clientId || t.clientId === clientId)) t.revoked = true;
  for (const t of emu.state.refreshTokens.values())
    if (t.sub === sub && (!clientId || t.clientId === clientId)) t.revoked = true;
  for (const key of [...emu.state.grants.keys()])
    if (key.startsWith(`${sub} `) && (!clientId || key === `${sub} ${clientId}`)) emu.state.grants.delete(key);
}

/** Bearer token → live access token, or Google's 401. */
export function authenticate(emu: Emu, header: string | undefined, queryToken?: string | null): AccessToken {
  let raw = queryToken ?? undefined;
  if (header) {
    const m = /^Bearer\s+(.+)$/i.exec(header);
    raw = m ? m[1] : undefined;
    if (!raw) throw unauthenticated(false);
  }
  if (!raw) throw unauthenticated(true);
  const t = emu.state.accessTokens.get(raw);
  if (!t || t.revoked || t.expiresAt <= emu.clock.now()) throw unauthenticated(false);
  return t;
}

/** GET /oauth2/v3/userinfo. */
export function handleUserinfo(emu: Emu, req: IncomingMessage, res: ServerResponse, url: URL): void {
  let token: AccessToken;
  try {
    token = authenticate(emu, req.headers.authorization, url.searchParams.get('access_token'));
  } catch {
    emu.counters.add('oauth.userinfo', 'anonymous');
    sendJson(
      res,
      401,
      { error: 'invalid_request', error_description: 'Invalid Credentials' },
      { 'WWW-Authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"' },
    );
    return;
  }
  const user = emu.state.users.get(token.sub)!;
  emu.counters.add('oauth.userinfo', user.email);
  const short = token.scopes.map(shortScope);
  const out: Record<string, unknown> = { sub: user.sub };
  if (short.includes('email')) {
    out.email = user.email;
    out.email_verified = true;
  }
  if (short.includes('profile')) {
    out.name = user.email.split('@')[0];
    out.picture = 'https://lh3.googleusercontent.com/a/default-user=s96-c';
  }
  sendJson(res, 200, out);
}

/** GET /tokeninfo?access_token=… (google-auth-library getTokenInfo). */
export async function handleTokenInfo(emu: Emu, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const body = parseFormOrJson(req, await readBody(req));
  const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
  const raw = url.searchParams.get('access_token') ?? body.access_token ?? bearer;
  const t = raw ? emu.state.accessTokens.get(raw) : undefined;
  if (!t || t.revoked || t.expiresAt <= emu.clock.now()) {
    sendJson(res, 400, { error: 'invalid_token', error_description: 'Invalid Value' });
    return;
  }
  const user = emu.state.users.get(t.sub)!;
  const expiresIn = Math.floor((t.expiresAt - emu.clock.now()) / 1000);
  sendJson(res, 200, {
    azp: t.clientId,
    aud: t.clientId,
    sub: t.sub,
    scope: t.scopes.join(' '),
    exp: String(Math.floor(t.expiresAt / 1000)),
    expires_in: String(expiresIn),
    ...(t.scopes.map(shortScope).includes('email') ? { email: user.email, email_verified: 'true' } : {}),
    access_type: [...emu.state.refreshTokens.values()].some(
      (r) => r.sub === t.sub && r.clientId === t.clientId && !r.revoked,
    )
      ? 'offline'
      : 'online',
  });
}
