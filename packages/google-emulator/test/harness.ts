import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { OAuth2Client } from 'google-auth-library';
import { type calendar_v3, google } from 'googleapis';
import { type EmulatorOptions, type RunningEmulator, startEmulator } from '../src/index';

export const SCOPES = {
  calendar: 'https://www.googleapis.com/auth/calendar',
  events: 'https://www.googleapis.com/auth/calendar.events',
  readonly: 'https://www.googleapis.com/auth/calendar.readonly',
  calendarListReadonly: 'https://www.googleapis.com/auth/calendar.calendarlist.readonly',
};

export const CLIENT_ID = 'test-client.apps.googleusercontent.com';
export const CLIENT_SECRET = 'test-secret';
export const REDIRECT_URI = 'http://127.0.0.1:1/oauth/callback';

export function endpoints(url: string) {
  return {
    oauth2AuthBaseUrl: `${url}/o/oauth2/v2/auth`,
    oauth2TokenUrl: `${url}/token`,
    oauth2RevokeUrl: `${url}/revoke`,
    tokenInfoUrl: `${url}/tokeninfo`,
    oauth2FederatedSignonPemCertsUrl: `${url}/oauth2/v1/certs`,
    oauth2FederatedSignonJwkCertsUrl: `${url}/oauth2/v3/certs`,
  };
}

export async function start(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  return startEmulator({ autoConsent: true, allowHttpPush: true, pushRetryBaseMs: 20, ...options });
}

export function oauthClient(url: string, clientId = CLIENT_ID, clientSecret = CLIENT_SECRET): OAuth2Client {
  return new OAuth2Client({ clientId, clientSecret, redirectUri: REDIRECT_URI, endpoints: endpoints(url) });
}

/** Runs the web-server flow against the auto-consent emulator and returns the authorised client. */
export async function authorise(
  url: string,
  email: string,
  scopes: string[] = [SCOPES.calendar, 'openid', 'email'],
  extra: { prompt?: string; pkce?: boolean; clientId?: string; clientSecret?: string } = {},
) {
  const client = oauthClient(url, extra.clientId, extra.clientSecret);
  let verifier: string | undefined;
  let challenge: string | undefined;
  if (extra.pkce) {
    verifier = randomBytes(32).toString('base64url');
    challenge = createHash('sha256').update(verifier).digest('base64url');
  }
  const authUrl = client.generateAuthUrl({
    access_type: 'offline',
    scope: scopes,
    login_hint: email,
    state: 'st-123',
    ...(extra.prompt ? { prompt: extra.prompt } : {}),
    ...(challenge ? { code_challenge: challenge, code_challenge_method: 'S256' as never } : {}),
  });
  const res = await fetch(authUrl, { redirect: 'manual' });
  const location = new URL(res.headers.get('location') ?? '');
  const code = location.searchParams.get('code') ?? '';
  const { tokens } = await client.getToken({ code, ...(verifier ? { codeVerifier: verifier } : {}) });
  client.setCredentials(tokens);
  return { client, tokens, location };
}

export function calendarApi(url: string, auth: OAuth2Client): calendar_v3.Calendar {
  return google.calendar({ version: 'v3', rootUrl: `${url}/`, auth });
}

export interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A local webhook receiver that records notifications; `status` picks answers per call. */
export async function receiver(status: (n: number) => number = () => 200) {
  const received: Received[] = [];
  let n = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString() });
      n += 1;
      res.writeHead(status(n));
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const address = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return {
    address,
    received,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export async function waitFor(pred: () => boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Extracts Google's error envelope from a gaxios error. */
export function errorBody(e: unknown): {
  code: number;
  message: string;
  errors: { domain: string; reason: string; message: string }[];
  status?: string;
} {
  const data = (e as { response?: { data?: { error?: unknown } } }).response?.data?.error;
  if (!data) throw e;
  return data as never;
}

export async function expectApiError(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    return { status: (e as { response?: { status?: number } }).response?.status, error: errorBody(e), raw: e };
  }
  throw new Error('expected an API error');
}
