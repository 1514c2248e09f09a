import { consumeTopic, createTestDatabase, type TestDatabase, uniqueTopicPrefix, waitFor } from '@gcal-sync/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Channel, channelAnnouncer, googlePush, startWebhookIngest, untilLive } from './harness';
import { type PrivateKafka, startPrivateKafka } from './private-kafka';

// This file stops and restarts Kafka: it runs its own broker so other suites keep theirs.
let kafka: PrivateKafka;
let db: TestDatabase;
const prefix = uniqueTopicPrefix();
let service: Awaited<ReturnType<typeof startWebhookIngest>>;
let announcer: Awaited<ReturnType<typeof channelAnnouncer>>;
const channel: Channel = {
  channelId: 'ch-outage',
  resourceId: 'res-o',
  token: 'outage-token',
  calendarId: 'cal-o@example.com',
};

beforeAll(async () => {
  [kafka, db] = await Promise.all([startPrivateKafka(), createTestDatabase()]);
  announcer = await channelAnnouncer(kafka.brokers, prefix);
  service = await startWebhookIngest({
    DATABASE_URL: db.url,
    KAFKA_BROKERS: kafka.brokers.join(','),
    KAFKA_TOPIC_PREFIX: prefix,
    PUBLISH_TIMEOUT_MS: '1500',
  });
  await announcer.created(channel);
  await untilLive(service.pushUrl, channel);
}, 180_000);

afterAll(async () => {
  await announcer?.close().catch(() => {});
  await service?.stop();
  await kafka?.destroy();
  await db?.drop();
});

it('answers 503 while Kafka is down, and the retried notification arrives once Kafka is back', async () => {
  await kafka.stop();
  const during = await googlePush(service.pushUrl, channel, 'exists', 7);
  expect(during.status).toBe(503);

  await kafka.start();
  // Google retries a 503 with exponential backoff; so does this loop, with the same message number.
  let final: number | undefined;
  await waitFor(
    async () => {
      final = (await googlePush(service.pushUrl, channel, 'exists', 7)).status;
      return final === 200;
    },
    { timeoutMs: 90_000, intervalMs: 1_000 },
  );
  const notifications = await consumeTopic<{ payload: { messageNumber?: number } }>(announcer.notificationsTopic, {
    brokers: kafka.brokers,
  });
  try {
    await notifications.waitForMessage((m) => m.value.payload.messageNumber === 7, 30_000);
    // One retry more, now answered as a duplicate; the message is in Kafka once.
    expect((await googlePush(service.pushUrl, channel, 'exists', 7)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 500));
    expect(notifications.messages.filter((m) => m.value.payload.messageNumber === 7)).toHaveLength(1);
  } finally {
    await notifications.stop();
  }
}, 180_000);
