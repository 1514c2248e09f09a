import { startAccessTokenServer, testPublisher } from '@gcal-sync/contract-testkit';
import { EmulatorControl, startEmulator } from '@gcal-sync/google-emulator';
import { createPool, googleEnvForOrigin, type MessageOf, topicName } from '@gcal-sync/shared';
import {
  type CollectedMessage,
  consumeTopic,
  createTestDatabase,
  kafkaBrokers,
  uniqueTopicPrefix,
  waitFor,
} from '@gcal-sync/testkit';
import { loadServiceConfig } from '../src/config';
import { start } from '../src/main';

export const OAUTH_CREDENTIAL = 'sync-core-test-credential-0123456789';
export const INTERNAL_TOKEN = 'tests:0123456789abcdef0123';
export const READ_TOKEN = '0123456789abcdef0123';

/** sync-core's environment for a test (fast sweeps and backoff where a test needs them). */
export function syncCoreEnv(input: {
  databaseUrl: string;
  brokers: string[];
  topicPrefix: string;
  googleEnv: Record<string, string>;
  oauthUrl: string;
  extra?: Record<string, string>;
}): Record<string, string> {
  return {
    DATABASE_URL: input.databaseUrl,
    KAFKA_BROKERS: input.brokers.join(','),
    KAFKA_TOPIC_PREFIX: input.topicPrefix,
    INTERNAL_API_TOKENS: INTERNAL_TOKEN,
    PORT: '0',
    LOG_LEVEL: 'warn',
    OAUTH_SERVICE_URL: input.oauthUrl,
    OAUTH_SERVICE_TOKEN: OAUTH_CREDENTIAL,
    SYNC_SWEEP_INTERVAL_MS: '250',
    ...input.googleEnv,
    ...input.extra,
  };
}

export async function startSyncCore(env: Record<string, string>) {
  const service = await start(loadServiceConfig(env));
  await waitFor(async () => (await fetch(`${service.url}/readyz`)).ok, { timeoutMs: 60_000, intervalMs: 200 });
  return service;
}

/** Plays oauth / webhook-ingest: publishes lifecycle messages and notifications. */
export async function testProducer(brokers: string[], topicPrefix: string) {
  const { publisher, close } = await testPublisher({
    brokers,
    topicPrefix,
    clientId: 'inbound-test-producer',
    ensureTopics: { partitions: 3 },
  });
  return {
    eventChangesTopic: topicName('eventChanges', topicPrefix),
    alertsTopic: topicName('adminAlerts', topicPrefix),
    lifecycle: (orgId: string, connectionId: string, payload: MessageOf<'connectionLifecycle'>['payload']) =>
      publisher.publish('connectionLifecycle', { orgId, connectionId, payload }),
    notify: (orgId: string, connectionId: string, calendarId: string) =>
      publisher.publish('googleNotifications', {
        orgId,
        connectionId,
        payload: {
          resource: 'events',
          calendarId,
          trigger: 'push',
          resourceState: 'exists',
          receivedAt: new Date().toISOString(),
        },
      }),
    close,
  };
}

/** Reads the read API. */
export async function readApi<T>(baseUrl: string, path: string): Promise<{ status: number; body: T }> {
  const res = await fetch(`${baseUrl}/internal${path}`, { headers: { authorization: `Bearer ${READ_TOKEN}` } });
  return { status: res.status, body: (await res.json()) as T };
}

export const TEST_CLIENT = { id: 'sync-core-tests.apps.googleusercontent.com', secret: 'sync-core-tests-secret' };

/**
 * A Google account connected the way the oauth service does it: authorization request (the
 * emulator's auto-consent answers at once), then the authorization_code grant. Returns the
 * refresh token and the account's primary calendar id (its email, as at Google).
 */
export async function connectGoogleAccount(origin: string, email: string, timeZone = 'America/Los_Angeles') {
  const redirectUri = 'http://127.0.0.1/oauth/callback';
  const authorize = new URL('/o/oauth2/v2/auth', origin);
  authorize.search = new URLSearchParams({
    client_id: TEST_CLIENT.id,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: 'https://www.googleapis.com/auth/calendar openid email',
    access_type: 'offline',
    prompt: 'consent',
    login_hint: email,
    tz: timeZone,
  }).toString();
  const consent = await fetch(authorize, { redirect: 'manual' });
  const location = consent.headers.get('location');
  const code = location ? new URL(location).searchParams.get('code') : null;
  if (!code) throw new Error(`no authorization code (status ${consent.status})`);
  const token = await fetch(new URL('/token', origin), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      client_id: TEST_CLIENT.id,
      client_secret: TEST_CLIENT.secret,
    }),
  });
  const body = (await token.json()) as { access_token: string; refresh_token?: string };
  if (!body.refresh_token) throw new Error('no refresh token');
  return { email, calendarId: email, refreshToken: body.refresh_token, accessToken: body.access_token };
}

export type ChangeMessage = MessageOf<'eventChanges'>;
export type AlertMessage = MessageOf<'adminAlerts'>;

/**
 * Everything an inbound test needs, private to one test file: its own database and topic prefix,
 * an emulator with one connected account, the access-token stand-in, producers and collectors.
 * sync-core itself is started by the test (in-process, or as a child process).
 */
export async function startInboundStack(
  options: { email?: string; connectionId?: string; orgId?: string; allowHttpPush?: boolean } = {},
) {
  const db = await createTestDatabase();
  const topicPrefix = uniqueTopicPrefix();
  const brokers = await kafkaBrokers();
  // Generous Google quotas: tests seed thousands of events; the rate-limit tests inject faults instead.
  const emulator = await startEmulator({
    autoConsent: true,
    allowHttpPush: options.allowHttpPush ?? false,
    quotas: { perProjectPerMinute: 10_000_000, perUserPerMinute: 10_000_000 },
  });
  const email = options.email ?? 'ada@example.com';
  const account = await connectGoogleAccount(emulator.url, email);
  const tokens = await startAccessTokenServer({
    emulatorOrigin: emulator.url,
    clientId: TEST_CLIENT.id,
    clientSecret: TEST_CLIENT.secret,
    credential: OAUTH_CREDENTIAL,
  });
  const connectionId = options.connectionId ?? 'conn-1';
  const orgId = options.orgId ?? 'org-1';
  tokens.register(connectionId, account.refreshToken, email);
  const producer = await testProducer(brokers, topicPrefix);
  const changes = await consumeTopic<ChangeMessage>(producer.eventChangesTopic);
  const alerts = await consumeTopic<AlertMessage>(producer.alertsTopic);
  const pool = createPool(db.url, { max: 3 });
  const control = new EmulatorControl(emulator.url);
  const env = (extra: Record<string, string> = {}) =>
    syncCoreEnv({
      databaseUrl: db.url,
      brokers,
      topicPrefix,
      googleEnv: googleEnvForOrigin(emulator.url),
      oauthUrl: tokens.url,
      extra,
    });
  const calendarRef = {
    calendarId: account.calendarId,
    accessRole: 'owner' as const,
    primary: true,
    watchable: true,
    timeZone: 'America/Los_Angeles',
  };
  return {
    db,
    pool,
    emulator,
    control,
    account,
    tokens,
    producer,
    changes,
    alerts,
    connectionId,
    orgId,
    calendarId: account.calendarId,
    env,
    select: () => producer.lifecycle(orgId, connectionId, { type: 'calendars.selected', calendars: [calendarRef] }),
    notify: () => producer.notify(orgId, connectionId, account.calendarId),
    /** Change events of one event, deduplicated by version as a consumer would. */
    changesOf: (eventId: string) => dedupeByVersion(changes.messages).filter((m) => m.payload.eventId === eventId),
    async syncState() {
      const { rows } = await pool.query(
        'SELECT state, consecutive_failures::int AS failures, sync_token IS NOT NULL AS "hasToken", requested_seq > handled_seq AS pending FROM sync_calendars WHERE connection_id = $1 AND calendar_id = $2',
        [connectionId, account.calendarId],
      );
      return rows[0] as { state: string; failures: number; hasToken: boolean; pending: boolean } | undefined;
    },
    async mirror() {
      const { rows } = await pool.query<{ id: string; etag: string; status: string; version: number }>(
        'SELECT event_id AS id, etag, status, version::int FROM mirror_events WHERE connection_id = $1 AND calendar_id = $2 ORDER BY event_id',
        [connectionId, account.calendarId],
      );
      return rows;
    },
    async stop() {
      await Promise.allSettled([changes.stop(), alerts.stop(), producer.close(), tokens.close()]);
      await pool.end();
      await emulator.stop();
      await db.drop();
    },
  };
}
export type InboundStack = Awaited<ReturnType<typeof startInboundStack>>;

/** What a consumer keeps: one message per (event, version). */
export function dedupeByVersion(messages: CollectedMessage<ChangeMessage>[]): ChangeMessage[] {
  const seen = new Set<string>();
  const out: ChangeMessage[] = [];
  for (const { value } of messages) {
    const key = `${value.payload.calendarId}/${value.payload.eventId}/${value.payload.version}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(value);
  }
  return out;
}

/** Google's live events of a calendar (id → etag), read through the API like any client. */
export async function googleLiveEvents(origin: string, calendarId: string, accessToken: string) {
  const out = new Map<string, string>();
  let pageToken: string | undefined;
  do {
    const url = new URL(`/calendar/v3/calendars/${encodeURIComponent(calendarId)}/events`, origin);
    url.searchParams.set('maxResults', '2500');
    if (pageToken) url.searchParams.set('pageToken', pageToken);
    const res = await fetch(url, { headers: { authorization: `Bearer ${accessToken}` } });
    const body = (await res.json()) as {
      items: { id: string; etag: string; status: string }[];
      nextPageToken?: string;
    };
    if (!res.ok) throw new Error(`events.list ${res.status}`);
    for (const e of body.items) if (e.status !== 'cancelled') out.set(e.id, e.etag);
    pageToken = body.nextPageToken;
  } while (pageToken);
  return out;
}
