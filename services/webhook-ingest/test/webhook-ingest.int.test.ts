import { sha256Hex } from '@gcal-sync/shared';
import {
  consumeTopic,
  createTestDatabase,
  kafkaBrokers,
  type TestDatabase,
  type TopicCollector,
  uniqueTopicPrefix,
  waitFor,
} from '@gcal-sync/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Channel, channelAnnouncer, googlePush, startWebhookIngest, untilLive } from './harness';

type Notification = {
  messageId: string;
  payload: { channelId?: string; messageNumber?: number; calendarId: string; trigger: string; resourceState?: string };
};
type Lifecycle = { payload: { type: string; channelId?: string; tokenHash?: string | null } };

let db: TestDatabase;
let brokers: string[];
const prefix = uniqueTopicPrefix();
let service: Awaited<ReturnType<typeof startWebhookIngest>>;
let announcer: Awaited<ReturnType<typeof channelAnnouncer>>;
let notifications: TopicCollector<Notification>;
let lifecycle: TopicCollector<Lifecycle>;

const ch1: Channel = { channelId: 'ch-1', resourceId: 'res-1', token: 'token-one', calendarId: 'cal-1@example.com' };
const ch2: Channel = { channelId: 'ch-2', resourceId: 'res-2', token: 'token-two', calendarId: 'cal-2@example.com' };

/** Sends a marker through ch1 and waits for it: everything published before it (same key, same partition) has arrived. */
let marker = 1000;
async function drained() {
  const n = ++marker;
  expect((await googlePush(service.pushUrl, ch1, 'exists', n)).status).toBe(200);
  await notifications.waitForMessage((m) => m.value.payload.messageNumber === n);
}
const published = (c: Channel, n?: number) =>
  notifications.messages.filter(
    (m) => m.value.payload.channelId === c.channelId && (n === undefined || m.value.payload.messageNumber === n),
  );

beforeAll(async () => {
  brokers = await kafkaBrokers();
  db = await createTestDatabase();
  announcer = await channelAnnouncer(brokers, prefix);
  const env = { DATABASE_URL: db.url, KAFKA_BROKERS: brokers.join(','), KAFKA_TOPIC_PREFIX: prefix };
  service = await startWebhookIngest(env);
  notifications = await consumeTopic<Notification>(announcer.notificationsTopic, { brokers });
  lifecycle = await consumeTopic<Lifecycle>(announcer.channelTopic, { brokers });
  await announcer.created(ch1);
  await untilLive(service.pushUrl, ch1);
});

afterAll(async () => {
  await notifications?.stop();
  await lifecycle?.stop();
  await announcer?.close();
  await service?.stop();
  await db?.drop();
});

describe('webhook-ingest', () => {
  it('publishes a change of a live channel keyed by calendar, with a deterministic id', async () => {
    const res = await googlePush(service.pushUrl, ch1, 'exists', 5);
    expect(res.status).toBe(200);
    const message = await notifications.waitForMessage((m) => m.value.payload.messageNumber === 5);
    expect(message.key).toBe(ch1.calendarId);
    expect(message.value.payload).toMatchObject({
      trigger: 'push',
      resourceState: 'exists',
      calendarId: ch1.calendarId,
      channelId: 'ch-1',
    });
    expect((await googlePush(service.pushUrl, ch1, 'not_exists', 6)).status).toBe(200);
    await notifications.waitForMessage(
      (m) => m.value.payload.messageNumber === 6 && m.value.payload.resourceState === 'not_exists',
    );
  });

  it('acknowledges sync messages without publishing them', async () => {
    expect((await googlePush(service.pushUrl, ch1, 'sync', 0)).status).toBe(200);
    await drained();
    expect(notifications.messages.some((m) => m.value.payload.resourceState === 'sync')).toBe(false);
  });

  it('drops duplicate deliveries, sequential or concurrent', async () => {
    expect((await googlePush(service.pushUrl, ch1, 'exists', 20)).status).toBe(200);
    expect((await googlePush(service.pushUrl, ch1, 'exists', 20)).status).toBe(200);
    const concurrent = await Promise.all(
      Array.from({ length: 8 }, () => googlePush(service.pushUrl, ch1, 'exists', 21)),
    );
    expect(concurrent.map((r) => r.status)).toEqual(Array(8).fill(200));
    await drained();
    expect(published(ch1, 20)).toHaveLength(1);
    expect(published(ch1, 21)).toHaveLength(1);
  });

  it('rejects a forged token or resource id with 401 and drops unknown channels with 200; neither is published', async () => {
    expect((await googlePush(service.pushUrl, ch1, 'exists', 30, { 'x-goog-channel-token': 'forged' })).status).toBe(
      401,
    );
    const { 'x-goog-channel-token': _, ...noToken } = {} as Record<string, string>;
    expect(
      (await googlePush(service.pushUrl, ch1, 'exists', 31, { 'x-goog-resource-id': 'someone-else' })).status,
    ).toBe(401);
    const unknown: Channel = { channelId: 'never-made', resourceId: 'res-x', token: 'whatever', calendarId: 'x' };
    expect((await googlePush(service.pushUrl, unknown, 'exists', 1, noToken)).status).toBe(200);
    await drained();
    expect(published(ch1, 30)).toHaveLength(0);
    expect(published(ch1, 31)).toHaveLength(0);
    expect(published(unknown)).toHaveLength(0);
    // The renewer hears of the unknown channel (to stop it if it is an orphan of ours), with the token's hash only.
    const report = await lifecycle.waitForMessage(
      (m) => m.value.payload.type === 'ping-unmatched' && m.value.payload.channelId === 'never-made',
    );
    expect(report.value.payload.tokenHash).toBe(sha256Hex('whatever'));
  });

  it('publishes a change pinged before the channel was announced, once the announcement arrives', async () => {
    // Google pings as soon as the watch call returns, before the renewer's `created` event is out.
    const early: Channel = { channelId: 'ch-early', resourceId: 'res-e', token: 'token-e', calendarId: 'cal-e@x' };
    const answer = googlePush(service.pushUrl, early, 'exists', 7);
    await new Promise((r) => setTimeout(r, 300));
    await announcer.created(early);
    expect((await answer).status).toBe(200);
    const message = await notifications.waitForMessage((m) => m.value.payload.channelId === 'ch-early');
    expect(message.value.payload).toMatchObject({ messageNumber: 7, calendarId: 'cal-e@x', resourceState: 'exists' });
  });

  it('drops late pings of a retired channel with 200', async () => {
    await announcer.created(ch2);
    await untilLive(service.pushUrl, ch2);
    await announcer.stopped(ch2);
    await waitFor(
      async () => (await googlePush(service.pushUrl, ch2, 'exists', 2, { 'x-goog-channel-token': 'x' })).status === 200,
      { timeoutMs: 15_000 },
    );
    expect((await googlePush(service.pushUrl, ch2, 'exists', 3)).status).toBe(200);
    await drained();
    expect(published(ch2)).toHaveLength(0);
  });

  it('answers 400 to requests without Google headers, and serves robots.txt and metrics', async () => {
    const bad = await fetch(service.pushUrl, { method: 'POST' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain('X-Goog-Channel-ID');
    const robots = await (await fetch(`${service.url}/robots.txt`)).text();
    expect(robots).toContain('Allow: /google/notifications');
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    expect(metrics).toMatch(/webhook_notifications_total\{[^}]*state="exists"[^}]*outcome="published"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/webhook_notifications_total\{[^}]*outcome="forged"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/webhook_notifications_total\{[^}]*outcome="duplicate"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/webhook_ack_duration_seconds_bucket\{/);
  });

  it('a replica started later knows the channels from Postgres', async () => {
    const second = await startWebhookIngest({
      DATABASE_URL: db.url,
      KAFKA_BROKERS: brokers.join(','),
      KAFKA_TOPIC_PREFIX: prefix,
    });
    try {
      expect((await googlePush(second.pushUrl, ch1, 'exists', 40, { 'x-goog-channel-token': 'forged' })).status).toBe(
        401,
      );
      expect((await googlePush(second.pushUrl, ch2, 'exists', 41, { 'x-goog-channel-token': 'forged' })).status).toBe(
        200,
      );
      expect((await googlePush(second.pushUrl, ch1, 'exists', 42)).status).toBe(200);
      await notifications.waitForMessage((m) => m.value.payload.messageNumber === 42);
    } finally {
      await second.stop();
    }
  });
});
