import { EmulatorControl, startEmulator } from '@gcal-sync/google-emulator';
import { createPool, type Pool, sha256Hex } from '@gcal-sync/shared';
import { createTestDatabase, kafkaBrokers, type TestDatabase, uniqueTopicPrefix, waitFor } from '@gcal-sync/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  calendarRef,
  GRANTED_SCOPES,
  googleEvent,
  kafkaSide,
  startRenewer,
  startTokenServer,
  startWebhookIngestProcess,
  TestClock,
} from './harness';

const DAY = 86_400_000;
const CLIENT_ID = 'gcal-sync-renewer-test';
const EMAIL = 'alice@example.com';
const HOLIDAYS = 'en.usa#holiday@group.v.calendar.google.com';

let emulator: Awaited<ReturnType<typeof startEmulator>>;
let control: EmulatorControl;
let db: TestDatabase;
let pool: Pool;
let kafka: Awaited<ReturnType<typeof kafkaSide>>;
let webhook: Awaited<ReturnType<typeof startWebhookIngestProcess>>;
let tokens: Awaited<ReturnType<typeof startTokenServer>>;
let renewer: Awaited<ReturnType<typeof startRenewer>>;
const clock = new TestClock();
let primary: string;
let team: string;

async function advance(ms: number) {
  await control.advanceClock(ms);
  clock.offsetMs += ms;
}

const lifecycleOf = (type: string, calendarId: string | null) =>
  kafka.lifecycle.messages
    .map((m) => m.value.payload)
    .filter(
      (p) =>
        p.type === type &&
        ('channel' in p ? p.channel.calendarId : 'calendarId' in p ? p.calendarId : undefined) === calendarId,
    );

async function liveChannels(resourceKeySuffix: string) {
  return (await control.listChannels()).filter(
    (c) => !c.stopped && !c.expired && c.resourceUri.includes(resourceKeySuffix),
  );
}

beforeAll(async () => {
  const brokers = await kafkaBrokers();
  const topicPrefix = uniqueTopicPrefix();
  emulator = await startEmulator({ port: 0, allowHttpPush: true, pushRetryBaseMs: 200 });
  control = new EmulatorControl(emulator.url);
  db = await createTestDatabase();
  pool = createPool(db.url);
  kafka = await kafkaSide(brokers, topicPrefix);
  webhook = await startWebhookIngestProcess({ databaseUrl: db.url, brokers, topicPrefix });
  tokens = await startTokenServer(emulator.url, CLIENT_ID);

  const user = await control.createUser({ email: EMAIL });
  primary = user.primaryCalendarId;
  team = (await control.createCalendar({ ownerEmail: EMAIL, summary: 'Team' })).id;
  tokens.register(
    'conn-1',
    (await control.issueTokens({ email: EMAIL, clientId: CLIENT_ID, scopes: GRANTED_SCOPES })).refresh_token,
    EMAIL,
  );
  renewer = await startRenewer(
    {
      databaseUrl: db.url,
      brokers,
      topicPrefix,
      emulatorUrl: emulator.url,
      webhookAddress: webhook.pushUrl,
      oauthUrl: tokens.url,
      oauthCredential: tokens.credential,
    },
    clock,
  );
});

afterAll(async () => {
  await renewer?.stop();
  await webhook?.stop();
  await kafka?.close();
  await tokens?.close();
  await emulator?.stop();
  await pool?.end();
  await db?.drop();
});

describe('renewer with webhook-ingest, against the emulator', () => {
  it('selecting calendars creates one watch each (plus the calendar list), and Google’s sync message is acknowledged', async () => {
    await kafka.connection('conn-1', {
      type: 'connected',
      googleSubject: '1',
      email: EMAIL,
      calendars: [calendarRef(primary), calendarRef(HOLIDAYS, false)],
    });
    await kafka.connection('conn-1', {
      type: 'calendars.selected',
      calendars: [calendarRef(primary), calendarRef(HOLIDAYS, false)],
    });
    const created = await kafka.lifecycle.waitForMessage(
      (m) => m.value.payload.type === 'created' && m.value.payload.channel.calendarId === primary,
      30_000,
    );
    await kafka.lifecycle.waitForMessage(
      (m) => m.value.payload.type === 'created' && m.value.payload.channel.resource === 'calendarList',
    );
    const channelId = created.value.payload.type === 'created' ? created.value.payload.channel.channelId : '';
    expect(created.key).toBe(primary);
    const live = await liveChannels(encodeURIComponent(primary));
    expect(live.map((c) => c.id)).toEqual([channelId]);
    expect(live[0]!.address).toBe(webhook.pushUrl);
    // The token in Google is the one whose hash was announced; only the hash ever left the renewer.
    expect(sha256Hex(live[0]!.token!)).toBe(
      created.value.payload.type === 'created' && created.value.payload.channel.tokenHash,
    );
    await waitFor(async () =>
      (await control.notificationLog()).find(
        (d) => d.channelId === channelId && d.state === 'sync' && d.status === 200,
      ),
    );
    // Changes made between the initial sync and the channel going live sent no push: one sync catches them.
    await kafka.notifications.waitForMessage(
      (m) => m.value.payload.trigger === 'channel-live' && m.value.payload.calendarId === primary,
    );
    // Read-only system calendars are never watched: they are polled.
    expect(lifecycleOf('created', HOLIDAYS)).toHaveLength(0);
  });

  it('an event edited in Google reaches the notifications topic, keyed by calendar', async () => {
    const edited = Date.now();
    await control.createEvent(primary, googleEvent('Customer call'));
    const message = await kafka.notifications.waitForMessage(
      (m) => m.value.payload.trigger === 'push' && m.value.payload.calendarId === primary,
      10_000,
    );
    expect(message.key).toBe(primary);
    expect(message.value.payload).toMatchObject({ resource: 'events', resourceState: 'exists' });
    // Measured, not asserted (figures belong to bench/): the issue asks for under 1 s.
    console.info(`[renewer-test] edit → notification on the topic: ${Date.now() - edited} ms`);
  });

  it('on day 6 the channel is replaced: the new one is live before the old one is stopped', async () => {
    const [old] = await liveChannels(encodeURIComponent(primary));
    await advance(6 * DAY + 60_000);
    const renewed = await kafka.lifecycle.waitForMessage(
      (m) => m.value.payload.type === 'renewed' && m.value.payload.channel.calendarId === primary,
      30_000,
    );
    const stopped = await kafka.lifecycle.waitForMessage(
      (m) => m.value.payload.type === 'stopped' && m.value.payload.channelId === old!.id,
      30_000,
    );
    expect(renewed.value.payload.type === 'renewed' && renewed.value.payload.replacedChannelId).toBe(old!.id);
    expect(stopped.value.payload).toMatchObject({ reason: 'replaced' });
    expect(BigInt(stopped.offset)).toBeGreaterThan(BigInt(renewed.offset));
    const channels = await control.listChannels();
    expect(channels.find((c) => c.id === old!.id)?.stopped).toBe(true);
    const live = await liveChannels(encodeURIComponent(primary));
    expect(live).toHaveLength(1);
    expect(live[0]!.id).not.toBe(old!.id);
    await kafka.lifecycle.waitForMessage(
      (m) => m.value.payload.type === 'renewed' && m.value.payload.channel.resource === 'calendarList',
    );
    // Safety-net ticks came due over those days: push or not, every calendar is synced, and the
    // unwatchable one is polled.
    await kafka.notifications.waitForMessage(
      (m) => m.value.payload.trigger === 'safety-net' && m.value.payload.calendarId === primary,
    );
    await kafka.notifications.waitForMessage(
      (m) => m.value.payload.trigger === 'safety-net' && m.value.payload.calendarId === HOLIDAYS,
    );
    // And pushes flow through the new channel.
    await control.createEvent(primary, googleEvent('After renewal'));
    await kafka.notifications.waitForMessage((m) => m.value.payload.channelId === live[0]!.id, 10_000);
  });

  it('three failed watches raise one alert and 1-minute polling; healing creates the channel and resolves it', async () => {
    await control.injectFault({ method: 'calendar.events.watch', status: 500, times: 1000 });
    try {
      await failWatchesThenHeal();
    } finally {
      await control.clearFaults();
    }
  });

  async function failWatchesThenHeal() {
    await kafka.connection('conn-1', { type: 'calendars.selected', calendars: [calendarRef(team)] });
    await waitFor(() => lifecycleOf('renewal-failed', team).length >= 3, { timeoutMs: 30_000 });
    const opened = await kafka.alerts.waitForMessage(
      (m) => m.value.payload.subject === `calendar:${team}` && m.value.payload.status === 'open',
      30_000,
    );
    expect(opened.value.payload.kind).toBe('channel.renewal-failing');
    // Polling fallback: the safety net ticks every minute while failing (15 minutes otherwise).
    const ticks = () =>
      kafka.notifications.messages.filter(
        (m) => m.value.payload.trigger === 'safety-net' && m.value.payload.calendarId === team,
      ).length;
    const before = ticks();
    await advance(61_000);
    await waitFor(() => ticks() > before, { timeoutMs: 15_000 });
    await advance(61_000);
    await waitFor(() => ticks() > before + 1, { timeoutMs: 15_000 });
    await waitFor(() => lifecycleOf('renewal-failed', team).length >= 5, { timeoutMs: 30_000 });

    await control.clearFaults();
    await waitFor(() => lifecycleOf('created', team).length === 1, { timeoutMs: 30_000 });
    await kafka.alerts.waitForMessage(
      (m) => m.value.payload.subject === `calendar:${team}` && m.value.payload.status === 'resolved',
      30_000,
    );
    const incident = kafka.alerts.messages.filter((m) => m.value.payload.subject === `calendar:${team}`);
    expect(incident.map((m) => m.value.payload.status)).toEqual(['open', 'resolved']);
    expect(await liveChannels(encodeURIComponent(team))).toHaveLength(1);
  }

  it('deselecting stops the channel in Google', async () => {
    const [live] = await liveChannels(encodeURIComponent(team));
    await kafka.connection('conn-1', { type: 'calendars.deselected', calendarIds: [team] });
    const stopped = await kafka.lifecycle.waitForMessage(
      (m) => m.value.payload.type === 'stopped' && m.value.payload.channelId === live!.id,
      30_000,
    );
    expect(stopped.value.payload).toMatchObject({ reason: 'deselected' });
    expect(await liveChannels(encodeURIComponent(team))).toHaveLength(0);
  });

  it('an orphan left by a crash between the watch call and its record is stopped when it pings', async () => {
    // What a crash right after Google answered leaves behind: our row (still `creating`, so the
    // lease holder marks it abandoned) and a live channel in Google.
    const orphanId = `orphan-${Date.now()}`;
    const token = 'orphan-token-0123456789';
    const { rows } = await pool.query<{ id: string }>(
      `SELECT id FROM renewer_targets WHERE calendar_id = $1 AND resource = 'events'`,
      [primary],
    );
    await pool.query(
      `INSERT INTO renewer_channels (channel_id, target_id, org_id, connection_id, resource, calendar_id, token_hash,
         status, created_at, updated_at)
       VALUES ($1, $2, 'org-1', 'conn-1', 'events', $3, $4, 'abandoned', now(), now())`,
      [orphanId, rows[0]!.id, primary, sha256Hex(token)],
    );
    const access = await (
      await fetch(`${tokens.url}/internal/connections/conn-1/access-token`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens.credential}`, 'content-type': 'application/json' },
        body: '{}',
      })
    ).json();
    const watch = await fetch(`${emulator.url}/calendar/v3/calendars/${encodeURIComponent(primary)}/events/watch`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${(access as { accessToken: string }).accessToken}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ id: orphanId, type: 'web_hook', address: webhook.pushUrl, token }),
    });
    expect(watch.status).toBe(200);
    // Its sync ping reaches webhook-ingest, which does not know it, tells the renewer, which stops it.
    await waitFor(async () => (await control.listChannels()).find((c) => c.id === orphanId)?.stopped, {
      timeoutMs: 30_000,
    });
    // Stopped in Google first, then recorded: wait for the record too.
    const stoppedRow = async () =>
      (
        await pool.query<{ status: string; stop_reason: string | null }>(
          'SELECT status, stop_reason FROM renewer_channels WHERE channel_id = $1',
          [orphanId],
        )
      ).rows[0];
    await waitFor(async () => (await stoppedRow())?.status === 'stopped', { timeoutMs: 10_000 });
    expect(await stoppedRow()).toEqual({ status: 'stopped', stop_reason: 'orphan' });
    expect(await liveChannels(encodeURIComponent(primary))).toHaveLength(1);
  });

  it('revoked: channels are forgotten; reauthorized: watched again, and the old ones are stopped when they ping', async () => {
    const before = (await control.listChannels()).filter((c) => !c.stopped && !c.expired).map((c) => c.id);
    expect(before).toHaveLength(2);
    await control.revokeGrant(EMAIL, CLIENT_ID);
    await kafka.connection('conn-1', { type: 'revoked', reason: 'invalid_grant' });
    // channels.stop needs a token the revoked grant no longer yields: recorded as stopped, left in Google.
    await waitFor(
      () =>
        before.every((id) =>
          kafka.lifecycle.messages.some(
            (m) =>
              m.value.payload.type === 'stopped' &&
              m.value.payload.channelId === id &&
              m.value.payload.reason === 'revoked',
          ),
        ),
      { timeoutMs: 30_000 },
    );
    const ticksWhileRevoked = kafka.notifications.messages.length;

    tokens.register(
      'conn-1',
      (await control.issueTokens({ email: EMAIL, clientId: CLIENT_ID, scopes: GRANTED_SCOPES })).refresh_token,
      EMAIL,
    );
    await kafka.connection('conn-1', { type: 'reauthorized', googleSubject: '1', email: EMAIL });
    await waitFor(() => lifecycleOf('created', primary).length === 2, { timeoutMs: 30_000 });
    // The old primary channel still pings on a change; webhook-ingest drops it (retired) and reports
    // it, and the renewer, with a working token again, stops it.
    await control.createEvent(primary, googleEvent('After reconnect'));
    // Either `created` or `renewed` may have announced it; the calendar-list channel is renewed too, so
    // match the calendar, not just the event type.
    const oldPrimary = before.find((id) =>
      kafka.lifecycle.messages.some(
        (m) =>
          (m.value.payload.type === 'created' || m.value.payload.type === 'renewed') &&
          m.value.payload.channel.channelId === id &&
          m.value.payload.channel.calendarId === primary,
      ),
    );
    expect(oldPrimary).toBeDefined();
    await waitFor(async () => (await control.listChannels()).find((c) => c.id === oldPrimary)?.stopped, {
      timeoutMs: 30_000,
    });
    expect(await liveChannels(encodeURIComponent(primary))).toHaveLength(1);
    expect(kafka.notifications.messages.length).toBeGreaterThanOrEqual(ticksWhileRevoked);
  });

  it('exposes channel gauges and counters', async () => {
    const metrics = await (await fetch(`${renewer.url}/metrics`)).text();
    expect(metrics).toMatch(/^channels_live\{[^}]*\} 2$/m);
    expect(metrics).toMatch(/^channels_expiring_24h\{[^}]*\} 0$/m);
    expect(metrics).toMatch(/^channel_renewals_total\{[^}]*kind="renewed"[^}]*\} [1-9]/m);
    expect(metrics).toMatch(/^channel_renewal_failures_total\{[^}]*\} [1-9]/m);
  });
});
