import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EmulatorControl, startEmulator } from '@gcal-sync/google-emulator';
import { createTestDatabase, kafkaBrokers, type TestDatabase, uniqueTopicPrefix, waitFor } from '@gcal-sync/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  calendarRef,
  GRANTED_SCOPES,
  kafkaSide,
  type RenewerEnv,
  startRenewer,
  startTokenServer,
  TestClock,
} from './harness';

const DAY = 86_400_000;
const CLIENT_ID = 'gcal-sync-replicas-test';
const EMAIL = 'bob@example.com';
const CALENDARS = 12;

let emulator: Awaited<ReturnType<typeof startEmulator>>;
let control: EmulatorControl;
let db: TestDatabase;
let kafka: Awaited<ReturnType<typeof kafkaSide>>;
let tokens: Awaited<ReturnType<typeof startTokenServer>>;
let receiver: Server;
const replicas: Awaited<ReturnType<typeof startRenewer>>[] = [];
const clock = new TestClock();
const calendars: string[] = [];

const countBy = (type: string) => {
  const counts = new Map<string, number>();
  for (const m of kafka.lifecycle.messages) {
    const p = m.value.payload;
    if (p.type !== type || !('channel' in p)) continue;
    const key = p.channel.calendarId ?? 'calendarList';
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
};

async function liveByResource() {
  const counts = new Map<string, number>();
  for (const c of await control.listChannels()) {
    if (c.stopped || c.expired) continue;
    counts.set(c.resourceId, (counts.get(c.resourceId) ?? 0) + 1);
  }
  return counts;
}

beforeAll(async () => {
  const brokers = await kafkaBrokers();
  const topicPrefix = uniqueTopicPrefix();
  emulator = await startEmulator({ port: 0, allowHttpPush: true });
  control = new EmulatorControl(emulator.url);
  db = await createTestDatabase();
  kafka = await kafkaSide(brokers, topicPrefix);
  tokens = await startTokenServer(emulator.url, CLIENT_ID);
  // Where Google's pings go: this test is about the renewer alone.
  receiver = createServer((req, res) => {
    req.resume();
    res.writeHead(200).end();
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));

  const user = await control.createUser({ email: EMAIL });
  calendars.push(user.primaryCalendarId);
  for (let i = 1; i < CALENDARS; i++)
    calendars.push((await control.createCalendar({ ownerEmail: EMAIL, summary: `Calendar ${i}` })).id);
  tokens.register(
    'conn-r',
    (await control.issueTokens({ email: EMAIL, clientId: CLIENT_ID, scopes: GRANTED_SCOPES })).refresh_token,
    EMAIL,
  );
  const env: RenewerEnv = {
    databaseUrl: db.url,
    brokers,
    topicPrefix,
    emulatorUrl: emulator.url,
    webhookAddress: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/push`,
    oauthUrl: tokens.url,
    oauthCredential: tokens.credential,
    // Short leases, so the lapsed-lease test below does not wait long.
    extra: { LEASE_MS: '1000', CONCURRENCY: '3' },
  };
  replicas.push(await startRenewer(env, clock), await startRenewer(env, clock));
});

afterAll(async () => {
  for (const r of replicas) await r.stop();
  await kafka?.close();
  await tokens?.close();
  await emulator?.stop();
  await new Promise((r) => receiver?.close(r));
  await db?.drop();
});

it('two replicas create one channel per calendar and renew each exactly once', async () => {
  await kafka.connection('conn-r', {
    type: 'connected',
    googleSubject: '2',
    email: EMAIL,
    calendars: calendars.map((c) => calendarRef(c)),
  });
  await kafka.connection('conn-r', { type: 'calendars.selected', calendars: calendars.map((c) => calendarRef(c)) });
  await waitFor(() => countBy('created').size === CALENDARS + 1, { timeoutMs: 60_000 });
  expect([...countBy('created').values()].every((n) => n === 1)).toBe(true);
  expect([...(await liveByResource()).values()]).toEqual(Array(CALENDARS + 1).fill(1));

  await control.advanceClock(6 * DAY + 60_000);
  clock.offsetMs += 6 * DAY + 60_000;
  await waitFor(() => countBy('renewed').size === CALENDARS + 1, { timeoutMs: 60_000 });
  await waitFor(
    () => kafka.lifecycle.messages.filter((m) => m.value.payload.type === 'stopped').length === CALENDARS + 1,
    { timeoutMs: 30_000 },
  );
  // Settle: nothing more may come.
  await new Promise((r) => setTimeout(r, 1500));
  expect([...countBy('renewed').values()].every((n) => n === 1)).toBe(true);
  expect([...(await liveByResource()).values()]).toEqual(Array(CALENDARS + 1).fill(1));
  const renewals = await Promise.all(
    replicas.map(async (r) => {
      const text = await (await fetch(`${r.url}/metrics`)).text();
      return [...text.matchAll(/^channel_renewals_total\{[^}]*\} (\d+)$/gm)].reduce((s, m) => s + Number(m[1]), 0);
    }),
  );
  expect(renewals.reduce((a, b) => a + b, 0)).toBe(2 * (CALENDARS + 1));
});

it('a replica whose lease lapses mid-watch does not leave a second live channel', async () => {
  const late = (await control.createCalendar({ ownerEmail: EMAIL, summary: 'Late' })).id;
  // The first watch hangs past the 1 s lease; the other replica takes over and watches at once.
  await control.injectFault({ method: 'calendar.events.watch', latencyMs: 3000, times: 1 });
  await kafka.connection('conn-r', { type: 'calendars.selected', calendars: [calendarRef(late)] });
  await waitFor(
    async () =>
      (await control.listChannels()).filter((c) => c.resourceUri.includes(encodeURIComponent(late))).length === 2,
    {
      timeoutMs: 30_000,
    },
  );
  // The slow watch's channel is recognised as extra and stopped; exactly one stays live.
  await waitFor(
    async () => {
      const mine = (await control.listChannels()).filter((c) => c.resourceUri.includes(encodeURIComponent(late)));
      return mine.filter((c) => c.stopped).length === 1 && mine.filter((c) => !c.stopped).length === 1;
    },
    { timeoutMs: 30_000 },
  );
  expect(countBy('created').get(late)).toBe(1);
});
