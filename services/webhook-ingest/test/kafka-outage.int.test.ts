import { startEmulator } from '@gcal-sync/google-emulator';
import { consumeTopic, createTestDatabase, type TestDatabase, uniqueTopicPrefix, waitFor } from '@gcal-sync/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Channel, channelAnnouncer, startWebhookIngest, untilLive } from './harness';
import { type PrivateKafka, startPrivateKafka } from './private-kafka';

// This file stops and restarts Kafka: it runs its own broker so other suites keep theirs.
let kafka: PrivateKafka;
let db: TestDatabase;
let emulator: Awaited<ReturnType<typeof startEmulator>>;
const prefix = uniqueTopicPrefix();
let service: Awaited<ReturnType<typeof startWebhookIngest>>;
let announcer: Awaited<ReturnType<typeof channelAnnouncer>>;
let channel: Channel;

type Delivery = { channelId: string; state: string; status: number | string; attempt: number };

async function control<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${emulator.url}/__emulator/${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`emulator ${path}: ${res.status}`);
  return (await res.json()) as T;
}
const deliveries = async () => (await control<{ items: Delivery[] }>('GET', 'notifications/log')).items;

beforeAll(async () => {
  [kafka, db] = await Promise.all([startPrivateKafka(), createTestDatabase()]);
  // Google retries 5xx with exponential backoff; 4 s, 8 s, 16 s, 32 s here leave time for a restart.
  emulator = await startEmulator({ port: 0, allowHttpPush: true, pushRetryBaseMs: 4000 });
  announcer = await channelAnnouncer(kafka.brokers, prefix);
  service = await startWebhookIngest({
    DATABASE_URL: db.url,
    KAFKA_BROKERS: kafka.brokers.join(','),
    KAFKA_TOPIC_PREFIX: prefix,
    PUBLISH_TIMEOUT_MS: '1500',
  });
  // A real channel in the emulator, announced as the renewer would.
  const email = 'outage@example.com';
  const user = await control<{ primaryCalendarId: string }>('POST', 'users', { email });
  const { access_token } = await control<{ access_token: string }>('POST', 'tokens', {
    email,
    clientId: 'outage-test',
  });
  const token = 'outage-channel-token';
  const watch = await fetch(
    `${emulator.url}/calendar/v3/calendars/${encodeURIComponent(user.primaryCalendarId)}/events/watch`,
    {
      method: 'POST',
      headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'ch-outage', type: 'web_hook', address: service.pushUrl, token }),
    },
  );
  const { resourceId } = (await watch.json()) as { resourceId: string };
  channel = { channelId: 'ch-outage', resourceId, token, calendarId: user.primaryCalendarId };
  await announcer.created(channel);
  await untilLive(service.pushUrl, channel);
}, 180_000);

afterAll(async () => {
  await announcer?.close().catch(() => {});
  await service?.stop();
  await emulator?.stop();
  await kafka?.destroy();
  await db?.drop();
});

it('answers 503 while Kafka is down, and Google’s retried notification arrives once Kafka is back', async () => {
  await kafka.stop();
  await control('POST', 'events/create', {
    calendarId: channel.calendarId,
    event: {
      summary: 'During the outage',
      start: { dateTime: '2026-12-01T10:00:00Z' },
      end: { dateTime: '2026-12-01T11:00:00Z' },
    },
  });
  await waitFor(async () => (await deliveries()).some((d) => d.state === 'exists' && d.status === 503), {
    timeoutMs: 20_000,
  });

  await kafka.start();
  const delivered = await waitFor(
    async () => (await deliveries()).find((d) => d.state === 'exists' && d.status === 200),
    { timeoutMs: 90_000, intervalMs: 500 },
  );
  expect(delivered.attempt).toBeGreaterThan(1);
  const notifications = await consumeTopic<{ payload: { channelId?: string; resourceState?: string } }>(
    announcer.notificationsTopic,
    { brokers: kafka.brokers },
  );
  try {
    await notifications.waitForMessage((m) => m.value.payload.channelId === 'ch-outage', 30_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(notifications.messages.filter((m) => m.value.payload.resourceState === 'exists')).toHaveLength(1);
  } finally {
    await notifications.stop();
  }
}, 180_000);
