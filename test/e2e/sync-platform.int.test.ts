import { randomUUID } from 'node:crypto';
import { type RunningEmulator, startEmulator } from '@gcal-sync/google-emulator';
import { start as startNotifier } from '@gcal-sync/notifier';
import { loadServiceConfig as notifierConfig } from '@gcal-sync/notifier/dist/config';
import { start as startOAuth } from '@gcal-sync/oauth';
import { loadServiceConfig as oauthConfig } from '@gcal-sync/oauth/dist/config';
import { start as startRenewer } from '@gcal-sync/renewer';
import { loadServiceConfig as renewerConfig } from '@gcal-sync/renewer/dist/config';
import {
  type AdminAlertPayload,
  type ConnectionCalendar,
  type ConnectionSummary,
  createPool,
  type EventChangePayload,
  type GoogleNotificationPayload,
  googleEnvForOrigin,
  type Pool,
  topicName,
} from '@gcal-sync/shared';
import { start as startSyncCore } from '@gcal-sync/sync-core';
import { loadServiceConfig as syncCoreConfig } from '@gcal-sync/sync-core/dist/config';
import {
  consumeTopic,
  createTestDatabase,
  kafkaBrokers,
  type TestDatabase,
  type TopicCollector,
  uniqueTopicPrefix,
  waitFor,
} from '@gcal-sync/testkit';
import { start as startWebhookIngest } from '@gcal-sync/webhook-ingest';
import { loadServiceConfig as webhookIngestConfig } from '@gcal-sync/webhook-ingest/dist/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from './browser';
import { freePort } from './free-port';
import { type SlackCapture, startSlackCapture } from './slack-capture';

/**
 * The whole platform in one process: the five services booted through their own `start(config)`
 * against one Google emulator, the local Kafka and a fresh Postgres database, talking real HTTP.
 * The three stories run in order on one connected account: Google → app, app → Google, revocation.
 */

/** Auto-consent without a login hint consents as this user (a new connection sends no hint). */
const USER = 'emulator.user@example.com';
const ORG = 'org-e2e';
const ADMIN_TOKEN = 'e2e-admin-token-0123456789';
const SERVICES = ['oauth', 'webhook-ingest', 'sync-core', 'renewer', 'notifier'] as const;
type ServiceName = (typeof SERVICES)[number];
const tokenOf = (service: string) => `e2e-${service}-token-0123456789`;

type Envelope<P> = { payload: P; orgId: string; connectionId?: string };
type Running = { url: string; stop(): Promise<void> };

let emulator: RunningEmulator;
let db: TestDatabase;
let slack: SlackCapture;
let changes: TopicCollector<Envelope<EventChangePayload>>;
let alerts: TopicCollector<Envelope<AdminAlertPayload>>;
let notifications: TopicCollector<Envelope<GoogleNotificationPayload>>;
let pool: Pool;
const services: Partial<Record<ServiceName, Running>> = {};
const urls = {} as Record<ServiceName, string>;
let connectionId: string;
let channelId: string;

beforeAll(async () => {
  const brokers = await kafkaBrokers();
  const topicPrefix = uniqueTopicPrefix();
  [emulator, db, slack] = await Promise.all([
    startEmulator({ port: 0, autoConsent: true, allowHttpPush: true, pushRetryBaseMs: 200 }),
    createTestDatabase(),
    startSlackCapture(),
  ]);
  await emulator.control.createUser({ email: USER, timeZone: 'UTC' });

  // Every address is fixed before anything starts, so the five boot in parallel.
  const ports = {} as Record<ServiceName, number>;
  for (const name of SERVICES) {
    ports[name] = await freePort();
    urls[name] = `http://127.0.0.1:${ports[name]}`;
  }
  const common = (name: ServiceName) => ({
    PORT: String(ports[name]),
    DATABASE_URL: db.url,
    KAFKA_BROKERS: brokers.join(','),
    KAFKA_TOPIC_PREFIX: topicPrefix,
    LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'warn',
    INTERNAL_API_TOKENS: SERVICES.map((s) => `${s}:${tokenOf(s)}`)
      .concat(`test:${tokenOf('test')}`)
      .join(','),
    ...googleEnvForOrigin(emulator.url),
  });

  // Collectors first: they read from the beginning of their topics anyway, and creating the
  // topics up front keeps the services' consumers from racing auto-creation.
  [changes, alerts, notifications] = await Promise.all([
    consumeTopic<Envelope<EventChangePayload>>(topicName('eventChanges', topicPrefix), { brokers }),
    consumeTopic<Envelope<AdminAlertPayload>>(topicName('adminAlerts', topicPrefix), { brokers }),
    consumeTopic<Envelope<GoogleNotificationPayload>>(topicName('googleNotifications', topicPrefix), { brokers }),
  ]);
  pool = createPool(db.url);

  const boot: Record<ServiceName, () => Promise<Running>> = {
    oauth: () =>
      startOAuth(
        oauthConfig({
          ...common('oauth'),
          GOOGLE_CLIENT_ID: 'e2e-client.apps.googleusercontent.com',
          GOOGLE_CLIENT_SECRET: 'e2e-client-secret',
          GOOGLE_REDIRECT_URI: `${urls.oauth}/oauth/callback`,
          TOKEN_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
          TOKEN_ACTIVE_KEY_ID: 'k1',
          ADMIN_TOKENS: `${ORG}:${ADMIN_TOKEN}`,
          SIGNING_SECRET: 'e2e-signing-secret-0123456789abcdef',
        }),
      ),
    'webhook-ingest': () =>
      startWebhookIngest(
        webhookIngestConfig({
          ...common('webhook-ingest'),
          // A push for a channel not stored yet is looked up again at once rather than a second later.
          CHANNEL_MISS_TTL_MS: '0',
        }),
      ),
    'sync-core': () =>
      startSyncCore(
        syncCoreConfig({
          ...common('sync-core'),
          OAUTH_SERVICE_URL: urls.oauth,
          OAUTH_SERVICE_TOKEN: tokenOf('sync-core'),
          SYNC_SWEEP_INTERVAL_MS: '200',
          SYNC_COALESCE_QUIET_MS: '20',
          SYNC_COALESCE_MAX_WAIT_MS: '500',
          SYNC_BACKOFF_BASE_MS: '200',
          OUTBOUND_RETRY_POLL_MS: '200',
          OUTBOUND_BACKOFF_BASE_MS: '200',
        }),
      ),
    renewer: () =>
      startRenewer(
        renewerConfig({
          ...common('renewer'),
          WEBHOOK_ADDRESS: `${urls['webhook-ingest']}/google/notifications`,
          ALLOW_HTTP_WEBHOOK: 'true',
          OAUTH_BASE_URL: urls.oauth,
          OAUTH_CREDENTIAL: tokenOf('renewer'),
          LOOP_INTERVAL_MS: '200',
          RETRY_BASE_MS: '200',
        }),
      ),
    notifier: () =>
      startNotifier(
        notifierConfig({
          ...common('notifier'),
          WEBHOOK_KEYS: `w1:${Buffer.alloc(32, 9).toString('base64')}`,
          WEBHOOK_ACTIVE_KEY_ID: 'w1',
          SLACK_ALLOW_HTTP: 'true',
          SLACK_WEBHOOK_HOSTS: '127.0.0.1',
          ADMIN_BASE_URL: `${urls.oauth}/admin`,
          DELIVERY_POLL_MS: '200',
          DELIVERY_RETRY_BASE_MS: '200',
        }),
      ),
  };
  await Promise.all(
    SERVICES.map(async (name) => {
      services[name] = await boot[name]();
    }),
  );
  // Ready = Postgres, Kafka producer and every consumer group joined.
  await Promise.all(
    SERVICES.map((name) =>
      waitFor(async () => (await fetch(`${urls[name]}/readyz`)).ok, { timeoutMs: 60_000, intervalMs: 200 }),
    ),
  );
});

afterAll(async () => {
  // E2E_DEBUG=1: what Google saw (calls per method, pushes, channels), to tell which hop lost a change.
  if (process.env.E2E_DEBUG && emulator) {
    console.log('COUNTERS', JSON.stringify(await emulator.control.counters()));
    console.log('PUSHLOG', JSON.stringify((await emulator.control.notificationLog()).slice(0, 20)));
    console.log('CHANNELS', JSON.stringify(await emulator.control.listChannels()));
  }
  await Promise.allSettled(SERVICES.map((name) => services[name]?.stop()));
  await Promise.allSettled([
    changes?.stop(),
    alerts?.stop(),
    notifications?.stop(),
    slack?.close(),
    emulator?.stop(),
    pool?.end(),
  ]);
  await db?.drop();
});

const admin = (path: string, init: RequestInit = {}) =>
  fetch(`${urls.oauth}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json', ...init.headers },
  });

const changesOf = (eventId: string) =>
  changes.messages.map((m) => m.value.payload).filter((p) => p.eventId === eventId);

async function liveChannelsFor(calendarId: string) {
  return (await emulator.control.listChannels()).filter(
    (c) => !c.stopped && !c.expired && c.resourceUri.includes(`/calendars/${encodeURIComponent(calendarId)}/events`),
  );
}

describe('the platform end to end (five services, one emulator, Kafka, Postgres)', () => {
  it('connects a Google account through the admin sign-in and Google’s consent, and syncs its primary calendar', async () => {
    const browser = new Browser();
    const login = await browser.request(`${urls.oauth}/admin/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: ADMIN_TOKEN }).toString(),
    });
    expect(login.status).toBe(303);
    // /connect → Google (auto-consent) → oauth callback → /admin?done=connected, with the session cookie.
    const done = await browser.follow(`${urls.oauth}/connect`);
    expect(done.url).toContain('done=connected');
    expect(done.res.status).toBe(200);

    const connections = (await (await admin('/api/connections')).json()) as ConnectionSummary[];
    const mine = connections.find((c) => c.email === USER);
    expect(mine).toMatchObject({ orgId: ORG, status: 'active' });
    connectionId = (mine as ConnectionSummary).connectionId;

    const selected = await admin(`/api/connections/${encodeURIComponent(connectionId)}/calendars`, {
      method: 'PUT',
      body: JSON.stringify({ calendarIds: [USER], defaultCalendarId: USER }),
    });
    expect(selected.status).toBe(200);
    const calendars = (await selected.json()) as ConnectionCalendar[];
    expect(calendars.find((c) => c.calendarId === USER)).toMatchObject({
      primary: true,
      selected: true,
      isDefault: true,
    });

    // The renewer watches the selected calendar in Google, at webhook-ingest's address.
    const [channel] = await waitFor(
      async () => {
        const live = await liveChannelsFor(USER);
        return live.length > 0 && live;
      },
      { timeoutMs: 20_000, intervalMs: 200 },
    );
    expect(channel?.address).toBe(`${urls['webhook-ingest']}/google/notifications`);
    channelId = channel?.id as string;
    // Google pings a new channel before the renewer's `created` event has reached webhook-ingest
    // (the renewer announces the channel after Google answered the watch); a push in that window is
    // answered 200 and dropped. Edits start once webhook-ingest knows the channel.
    await waitFor(
      async () =>
        (await pool.query(`SELECT 1 FROM webhook_channels WHERE channel_id = $1 AND status = 'live'`, [channelId]))
          .rowCount === 1,
      { timeoutMs: 15_000, intervalMs: 100 },
    );
  });

  it('Google → app: an event created then edited in Google by another client reaches calendar.event-changes', async () => {
    const now = Date.now();
    const created = await emulator.control.createEvent(
      USER,
      {
        summary: 'Customer call',
        start: { dateTime: new Date(now + 3_600_000).toISOString() },
        end: { dateTime: new Date(now + 5_400_000).toISOString() },
      },
      'colleague@example.com',
    );
    const first = await changes.waitForMessage((m) => m.value.payload.eventId === created.id, 20_000);
    expect(first.key).toBe(`${USER}/${created.id}`);
    expect(first.value.payload).toMatchObject({
      calendarId: USER,
      change: 'created',
      source: 'google',
      event: { summary: 'Customer call', etag: created.etag },
    });

    const edited = await emulator.control.editEvent(USER, created.id, { summary: 'Customer call (moved)' });
    const update = await changes.waitForMessage(
      (m) => m.value.payload.eventId === created.id && m.value.payload.change === 'updated',
      20_000,
    );
    expect(update.value.payload).toMatchObject({
      source: 'google',
      version: first.value.payload.version + 1,
      changedFields: expect.arrayContaining(['summary']),
      event: { summary: 'Customer call (moved)', etag: edited.etag },
    });
    expect(changesOf(created.id)).toHaveLength(2);
    // It came through the push path: webhook-ingest turned Google's pings of the renewer's channel into notifications.
    expect(
      notifications.messages.some((m) => m.value.payload.trigger === 'push' && m.value.payload.channelId === channelId),
    ).toBe(true);
  });

  it('app → Google: a booking written through sync-core lands in Google and its echo is never a foreign change', async () => {
    const bookingId = `booking-${randomUUID()}`;
    const now = Date.now();
    const res = await fetch(`${urls['sync-core']}/internal/connections/${encodeURIComponent(connectionId)}/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokenOf('test')}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        bookingId,
        editedAt: new Date(now).toISOString(),
        fields: {
          summary: 'Demo with Acme',
          start: { dateTime: new Date(now + 86_400_000).toISOString() },
          end: { dateTime: new Date(now + 88_200_000).toISOString() },
        },
      }),
    });
    const body = (await res.json()) as { eventId: string; calendarId: string; etag: string; version?: number };
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.calendarId).toBe(USER);

    const stored = await emulator.control.getEvent(USER, body.eventId);
    expect(stored).toMatchObject({ summary: 'Demo with Acme', status: 'confirmed' });
    expect((stored.extendedProperties as { private?: Record<string, string> }).private?.bookingId).toBe(bookingId);

    // Google pushes the app's own write back; sync-core's documented choice is to publish it as
    // `source: 'app'` (the echo), never as somebody else's change.
    const echo = await changes.waitForMessage((m) => m.value.payload.eventId === body.eventId, 20_000);
    expect(echo.value.payload).toMatchObject({ source: 'app', change: 'created', event: { bookingId } });
    expect(echo.value.payload.event.etag).toBe(body.etag);
    // Give a duplicate or re-sync of the echo time to show up: nothing about this event may claim to come from Google.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(changesOf(body.eventId).filter((p) => p.source === 'google')).toEqual([]);
  });

  it('revocation: the grant revoked in Google → the next refresh fails → connection revoked → one Slack message', async () => {
    const webhook = await fetch(`${urls.notifier}/internal/orgs/${ORG}/slack-webhook`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${tokenOf('test')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url: `${slack.url}/services/T000/B000/e2e` }),
    });
    expect(webhook.status).toBe(200);

    await emulator.control.revokeGrant(USER);
    // An edit in Google makes sync-core call Google: its access token is now refused (401), and the
    // refresh that follows gets invalid_grant.
    const now = Date.now();
    await emulator.control.createEvent(USER, {
      summary: 'After revocation',
      start: { dateTime: new Date(now + 7_200_000).toISOString() },
      end: { dateTime: new Date(now + 9_000_000).toISOString() },
    });

    await waitFor(
      async () => {
        const list = (await (await admin('/api/connections')).json()) as ConnectionSummary[];
        return list.find((c) => c.connectionId === connectionId)?.status === 'revoked';
      },
      { timeoutMs: 20_000, intervalMs: 200 },
    );
    const alert = await alerts.waitForMessage((m) => m.value.payload.kind === 'connection.revoked', 20_000);
    expect(alert.value.payload).toMatchObject({ status: 'open', accountEmail: USER });
    expect(alert.value.orgId).toBe(ORG);

    const [message] = await waitFor(() => slack.messages.length > 0 && slack.messages, {
      timeoutMs: 20_000,
      intervalMs: 100,
    });
    expect(message?.path).toBe('/services/T000/B000/e2e');
    expect(JSON.stringify(message?.body)).toContain(USER);
    // One incident, one message: later failures of the same connection do not page again.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(slack.messages).toHaveLength(1);
    expect(alerts.messages.filter((m) => m.value.payload.kind === 'connection.revoked')).toHaveLength(1);
  });
});
