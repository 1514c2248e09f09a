import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { createLogger, createPool, googleEnvForOrigin, type Logger, type Pool, topicName } from '@gcal-sync/shared';
import {
  type CollectedMessage,
  consumeTopic,
  createTestDatabase,
  kafkaBrokers,
  type TestDatabase,
  type TopicCollector,
  uniqueTopicPrefix,
} from '@gcal-sync/testkit';
import { type Config, loadServiceConfig } from '../src/config';
import { start } from '../src/main';
import type { HttpSession } from './http-session';

export const ADMIN_TOKEN = 'org-1-admin-token-0123456789';
export const OTHER_ADMIN_TOKEN = 'org-2-admin-token-0123456789';
export const INTERNAL_CREDENTIAL = 'sync-core-credential-0123456789';
export const CLIENT_ID = 'oauth-test-client.apps.googleusercontent.com';
export const CLIENT_SECRET = 'oauth-test-client-secret';

export const newKey = () => randomBytes(32).toString('base64');

export type LifecycleMessage = {
  messageId: string;
  orgId: string;
  connectionId: string;
  payload: { type: string; [k: string]: unknown };
};
export type AlertMessage = {
  orgId: string;
  connectionId: string;
  payload: { kind: string; status: string; subject: string };
};

/** Captures every log line the service writes, to assert no secret reaches them. */
export function capturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger({ service: 'oauth', level: 'debug', destination }), lines };
}

/** One test file's world: its own database, topic prefix, collectors and the service. */
export async function createWorld(emulatorUrl: string) {
  const db: TestDatabase = await createTestDatabase();
  const prefix = uniqueTopicPrefix();
  const brokers = await kafkaBrokers();
  const pool: Pool = createPool(db.url, { max: 4 });
  const redirectPort = { value: 0 };
  const env = (overrides: Record<string, string> = {}): Record<string, string> => ({
    PORT: String(redirectPort.value),
    DATABASE_URL: db.url,
    KAFKA_BROKERS: brokers.join(','),
    KAFKA_TOPIC_PREFIX: prefix,
    LOG_LEVEL: 'warn',
    INTERNAL_API_TOKENS: `sync-core:${INTERNAL_CREDENTIAL}`,
    ...googleEnvForOrigin(emulatorUrl),
    GOOGLE_CLIENT_ID: CLIENT_ID,
    GOOGLE_CLIENT_SECRET: CLIENT_SECRET,
    GOOGLE_REDIRECT_URI: `http://127.0.0.1:${redirectPort.value}/oauth/callback`,
    TOKEN_KEYS: `k1:${keys.k1}`,
    TOKEN_ACTIVE_KEY_ID: 'k1',
    ADMIN_TOKENS: `org-1:${ADMIN_TOKEN},org-2:${OTHER_ADMIN_TOKEN}`,
    SIGNING_SECRET: 'signing-secret-for-tests-0123456789abcdef',
    CALENDAR_REFRESH_TICK_MS: '3600000',
    ...overrides,
  });
  const keys = { k1: newKey(), k2: newKey() };
  const lifecycle: TopicCollector<LifecycleMessage> = await consumeTopic(topicName('connectionLifecycle', prefix));
  const alerts: TopicCollector<AlertMessage> = await consumeTopic(topicName('adminAlerts', prefix));
  let service: { url: string; stop(): Promise<void> } | undefined;

  return {
    db,
    pool,
    prefix,
    brokers,
    keys,
    lifecycle,
    alerts,
    get url() {
      if (!service) throw new Error('service not started');
      return service.url;
    },
    config(overrides: Record<string, string> = {}): Config {
      return loadServiceConfig(env(overrides));
    },
    /**
     * Starts the service. The redirect URI must name the service's port, so the first start
     * picks a free port and later starts reuse it (Google only redirects to registered URIs).
     */
    async start(overrides: Record<string, string> = {}, options: { now?: () => number; logger?: Logger } = {}) {
      if (redirectPort.value === 0) redirectPort.value = await freePort();
      service = await start(this.config(overrides), { logger: options.logger ?? quietLogger(), ...options });
      return service;
    },
    async stop() {
      await service?.stop();
      service = undefined;
    },
    redirectUri: () => `http://127.0.0.1:${redirectPort.value}/oauth/callback`,
    async close() {
      await service?.stop();
      await lifecycle.stop();
      await alerts.stop();
      await pool.end();
      await db.drop();
    },
    /** Lifecycle messages of one connection, in order. */
    eventsOf(connectionId: string): CollectedMessage<LifecycleMessage>[] {
      return lifecycle.messages.filter((m) => m.value.connectionId === connectionId);
    },
  };
}
export type World = Awaited<ReturnType<typeof createWorld>>;

function quietLogger() {
  return createLogger({ service: 'oauth', level: process.env.TEST_LOG_LEVEL ?? 'warn' });
}

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** POSTs to the internal access-token API as sync-core would. */
export async function requestAccessToken(
  serviceUrl: string,
  connectionId: string,
  body: { forceRefresh?: boolean; rejectedToken?: string } = {},
) {
  const res = await fetch(`${serviceUrl}/internal/connections/${connectionId}/access-token`, {
    method: 'POST',
    headers: { authorization: `Bearer ${INTERNAL_CREDENTIAL}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { error?: { code: string } } };
}

/**
 * Walks Google's consent like a browser would, over plain HTTP: /connect → the emulator's
 * consent page → its Allow/Deny form → the callback. Returns the callback URL and the final page.
 */
export async function connectThroughConsent(
  session: HttpSession,
  serviceUrl: string,
  options: { email: string; decision?: 'allow' | 'deny'; connectPath?: string; followCallback?: boolean },
) {
  const start = await session.request(`${serviceUrl}${options.connectPath ?? '/connect'}`);
  if (start.status !== 303) throw new Error(`/connect answered ${start.status}`);
  const authUrl = start.headers.get('location')!;
  const consent = await session.request(authUrl);
  const html = await consent.text();
  const request = /name="request" value="([^"]+)"/.exec(html)?.[1];
  if (!request) throw new Error(`no consent form at ${authUrl}: ${consent.status} ${html.slice(0, 300)}`);
  const decided = await session.request(new URL('/o/oauth2/v2/auth/consent', authUrl).toString(), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      request,
      email: options.email,
      timeZone: 'UTC',
      decision: options.decision ?? 'allow',
    }).toString(),
  });
  const callbackUrl = decided.headers.get('location');
  if (!callbackUrl) throw new Error(`consent answered ${decided.status} without a redirect`);
  if (options.followCallback === false) return { authUrl, callbackUrl, final: undefined };
  const final = await session.follow(callbackUrl);
  return {
    authUrl,
    callbackUrl,
    final: { status: final.res.status, url: final.visited.at(-1)!, html: await final.res.text() },
  };
}

/** The admin JSON API with the org's admin token. */
export async function adminApi(serviceUrl: string, method: string, path: string, body?: unknown, token = ADMIN_TOKEN) {
  const res = await fetch(`${serviceUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}
