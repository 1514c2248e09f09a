import { testPublisher } from '@gcal-sync/contract-testkit';
import { type RunningEmulator, startEmulator } from '@gcal-sync/google-emulator';
import {
  ACCESS_TOKEN_PATH,
  INTERNAL_CONNECTION_PATH,
  internalConnectionSchema,
  type MessageOf,
  type Publisher,
  parseKeyRing,
} from '@gcal-sync/shared';
import { waitFor } from '@gcal-sync/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start } from '../src/main';
import {
  ADMIN_TOKEN,
  adminApi,
  CLIENT_ID,
  CLIENT_SECRET,
  capturingLogger,
  connectThroughConsent,
  createWorld,
  INTERNAL_CREDENTIAL,
  OTHER_ADMIN_TOKEN,
  requestAccessToken,
  type World,
} from './harness';
import { HttpSession } from './http-session';

let emulator: RunningEmulator;
let world: World;
let publisher: Publisher;
const logs = capturingLogger();
const alice = 'alice@example.com';
let aliceConnection = '';
let teamCalendar = '';

beforeAll(async () => {
  emulator = await startEmulator({ clients: { [CLIENT_ID]: CLIENT_SECRET } });
  world = await createWorld(emulator.url);
  await world.start({}, { logger: logs.logger });
  await emulator.control.createUser({ email: alice });
  teamCalendar = (await emulator.control.createCalendar({ ownerEmail: alice, summary: 'Team' })).id;
  ({ publisher } = await testPublisher({ brokers: world.brokers, topicPrefix: world.prefix, clientId: 'oauth-test' }));
});

afterAll(async () => {
  await publisher?.close();
  await world?.close();
  await emulator?.stop();
});

const admin = async () => {
  const session = new HttpSession();
  await session.login(world.url, ADMIN_TOKEN);
  return session;
};
const connectionCount = async () =>
  Number((await world.pool.query('SELECT count(*) AS n FROM oauth_connections')).rows[0].n);

describe('connect flow', () => {
  it('connects an account: stores it, discovers calendars, selects primary and publishes connected', async () => {
    const { authUrl, final } = await connectThroughConsent(await admin(), world.url, { email: alice });
    const auth = new URL(authUrl);
    expect(auth.searchParams.get('access_type')).toBe('offline');
    expect(auth.searchParams.get('prompt')).toBe('consent');
    expect(auth.searchParams.get('code_challenge_method')).toBe('S256');
    expect(auth.searchParams.get('scope')?.split(' ')).toEqual(
      expect.arrayContaining([
        'openid',
        'email',
        'https://www.googleapis.com/auth/calendar.events',
        'https://www.googleapis.com/auth/calendar.calendarlist.readonly',
      ]),
    );
    expect(final?.status).toBe(200);
    expect(final?.url).toContain('/admin?done=connected');
    expect(final?.html).toContain(alice);

    const list = await adminApi(world.url, 'GET', '/api/connections');
    expect(list.body).toHaveLength(1);
    expect(list.body[0]).toMatchObject({ email: alice, status: 'active', defaultCalendarId: alice });
    aliceConnection = list.body[0].connectionId;

    const calendars = await adminApi(world.url, 'GET', `/api/connections/${aliceConnection}/calendars`);
    expect(calendars.body).toEqual([
      expect.objectContaining({
        calendarId: alice,
        primary: true,
        selected: true,
        isDefault: true,
        accessRole: 'owner',
      }),
      expect.objectContaining({ calendarId: teamCalendar, summary: 'Team', selected: false, isDefault: false }),
    ]);

    await world.lifecycle.waitForMessage(
      (m) => m.value.connectionId === aliceConnection && m.value.payload.type === 'default-calendar.changed',
    );
    const events = world.eventsOf(aliceConnection).map((m) => m.value);
    expect(events.map((e) => e.payload.type)).toEqual(['connected', 'calendars.selected', 'default-calendar.changed']);
    expect(events[0]).toMatchObject({ orgId: 'org-1', payload: { email: alice, googleSubject: expect.any(String) } });
    expect((events[0]!.payload.calendars as { calendarId: string }[]).map((c) => c.calendarId).sort()).toEqual(
      [alice, teamCalendar].sort(),
    );
    expect(events[1]!.payload.calendars).toEqual([expect.objectContaining({ calendarId: alice, watchable: true })]);

    const token = await requestAccessToken(world.url, aliceConnection);
    expect(token.status).toBe(200);
    expect(token.body).toMatchObject({ accessToken: expect.stringMatching(/^ya29\./), googleEmail: alice });

    const internal = await fetch(`${world.url}${INTERNAL_CONNECTION_PATH(aliceConnection)}`, {
      headers: { authorization: `Bearer ${INTERNAL_CREDENTIAL}` },
    });
    expect(internalConnectionSchema.parse(await internal.json())).toMatchObject({
      email: alice,
      status: 'active',
      calendars: [
        expect.objectContaining({ calendarId: alice, selected: true }),
        expect.objectContaining({ selected: false }),
      ],
    });
    const anonymous = await fetch(`${world.url}${ACCESS_TOKEN_PATH(aliceConnection)}`, { method: 'POST' });
    expect(anonymous.status).toBe(401);
  });

  it('keeps orgs apart', async () => {
    const other = await adminApi(world.url, 'GET', '/api/connections', undefined, OTHER_ADMIN_TOKEN);
    expect(other.body).toEqual([]);
    const denied = await adminApi(
      world.url,
      'GET',
      `/api/connections/${aliceConnection}/calendars`,
      undefined,
      OTHER_ADMIN_TOKEN,
    );
    expect(denied.status).toBe(404);
    expect((await adminApi(world.url, 'GET', '/api/connections', undefined, 'wrong-token-0123456789')).status).toBe(
      401,
    );
  });

  it('rejects a replayed or forged state and changes nothing', async () => {
    const session = await admin();
    const bob = 'bob@example.com';
    const { callbackUrl } = await connectThroughConsent(session, world.url, { email: bob, followCallback: false });
    const first = await session.follow(callbackUrl);
    expect(first.visited.at(-1)).toContain('/admin?done=connected');
    const before = await connectionCount();
    const lifecycleBefore = world.lifecycle.messages.length;

    const replay = await session.request(callbackUrl);
    expect(replay.status).toBe(400);
    expect(await replay.text()).toContain('already used');

    const forged = new URL(callbackUrl);
    forged.searchParams.set('state', `${forged.searchParams.get('state')!.slice(0, -3)}abc`);
    const forgedRes = await session.request(forged.toString());
    expect(forgedRes.status).toBe(400);
    expect(await forgedRes.text()).toContain('not valid');

    expect(await connectionCount()).toBe(before);
    expect(world.lifecycle.messages.length).toBe(lifecycleBefore);
  });

  it('lands a denied consent on a clear page and stores nothing', async () => {
    const before = await connectionCount();
    const { final } = await connectThroughConsent(await admin(), world.url, {
      email: 'carol@example.com',
      decision: 'deny',
    });
    expect(final?.status).toBe(400);
    expect(final?.html).toContain('Access not granted');
    expect(await connectionCount()).toBe(before);
  });

  it('lands a failed code exchange on a clear page and stores nothing', async () => {
    const session = await admin();
    const before = await connectionCount();
    const { callbackUrl } = await connectThroughConsent(session, world.url, {
      email: 'gina@example.com',
      followCallback: false,
    });
    const tampered = new URL(callbackUrl);
    tampered.searchParams.set('code', `${tampered.searchParams.get('code')}x`);
    const res = await session.request(tampered.toString());
    expect(res.status).toBe(502);
    expect(await res.text()).toContain('Could not exchange the authorization code');
    expect(await connectionCount()).toBe(before);
  });

  it('publishes selection changes and validates them', async () => {
    const path = `/api/connections/${aliceConnection}/calendars`;
    const selected = await adminApi(world.url, 'PUT', path, { calendarIds: [alice, teamCalendar] });
    expect(selected.status).toBe(200);
    await world.lifecycle.waitForMessage(
      (m) =>
        m.value.connectionId === aliceConnection &&
        m.value.payload.type === 'calendars.selected' &&
        JSON.stringify(m.value.payload).includes(teamCalendar),
    );
    const moved = await adminApi(world.url, 'PUT', path, {
      calendarIds: [teamCalendar],
      defaultCalendarId: teamCalendar,
    });
    expect(moved.status).toBe(200);
    expect(moved.body.find((c: { calendarId: string }) => c.calendarId === teamCalendar)).toMatchObject({
      selected: true,
      isDefault: true,
    });
    await world.lifecycle.waitForMessage(
      (m) =>
        m.value.connectionId === aliceConnection &&
        m.value.payload.type === 'default-calendar.changed' &&
        m.value.payload.calendarId === teamCalendar,
    );
    const types = world.eventsOf(aliceConnection).map((m) => m.value.payload);
    expect(types.slice(3)).toEqual([
      {
        type: 'calendars.selected',
        calendars: [expect.objectContaining({ calendarId: teamCalendar, summary: 'Team' })],
      },
      { type: 'calendars.deselected', calendarIds: [alice] },
      { type: 'default-calendar.changed', calendarId: teamCalendar },
    ]);

    const unknown = await adminApi(world.url, 'PUT', path, { calendarIds: ['nope@example.com'] });
    expect(unknown).toMatchObject({ status: 400, body: { error: { code: 'unknown_calendar' } } });
    const dropDefault = await adminApi(world.url, 'PUT', path, { calendarIds: [alice] });
    expect(dropDefault).toMatchObject({ status: 400, body: { error: { code: 'default_not_selected' } } });
    const malformed = await adminApi(world.url, 'PUT', path, { calendarIds: 'x' });
    expect(malformed).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } });
  });

  it('picks up a calendar added in Google when a calendarList notification arrives', async () => {
    const added = await emulator.control.createCalendar({ ownerEmail: alice, summary: 'Added later' });
    const notification = (resource: 'events' | 'calendarList'): MessageOf<'googleNotifications'>['payload'] => ({
      resource,
      calendarId: resource === 'events' ? alice : null,
      trigger: 'push',
      resourceState: 'exists',
      receivedAt: new Date().toISOString(),
    });
    await publisher.publish('googleNotifications', {
      orgId: 'org-1',
      connectionId: aliceConnection,
      payload: notification('events'),
    });
    await publisher.publish('googleNotifications', {
      orgId: 'org-1',
      connectionId: aliceConnection,
      payload: notification('calendarList'),
    });
    await waitFor(
      async () => {
        const { rows } = await world.pool.query('SELECT selected FROM oauth_calendars WHERE calendar_id = $1', [
          added.id,
        ]);
        return rows[0] && rows[0].selected === false;
      },
      { timeoutMs: 30_000 },
    );
  });

  it('picks up calendars added in Google on the periodic refresh', async () => {
    const added = await emulator.control.createCalendar({ ownerEmail: alice, summary: 'Found by the timer' });
    // A second replica with a short refresh interval; the first one never ticks in this file.
    const replica = await start(
      world.config({ PORT: '0', CALENDAR_REFRESH_TICK_MS: '200', CALENDAR_REFRESH_INTERVAL_MS: '1000' }),
      { logger: logs.logger },
    );
    try {
      await waitFor(
        async () =>
          (await world.pool.query('SELECT 1 FROM oauth_calendars WHERE calendar_id = $1', [added.id])).rows.length ===
          1,
        { timeoutMs: 30_000 },
      );
    } finally {
      await replica.stop();
    }
  });

  it('pauses and resumes syncing without losing tokens or selection', async () => {
    const paused = await adminApi(world.url, 'POST', `/api/connections/${aliceConnection}/pause`);
    expect(paused).toMatchObject({ status: 200, body: { status: 'paused' } });
    expect(await requestAccessToken(world.url, aliceConnection)).toMatchObject({
      status: 409,
      body: { error: { code: 'connection_paused' } },
    });
    const page = await (await admin()).request(`${world.url}/admin`);
    expect(await page.text()).toMatch(/data-status="paused"[\s\S]*Resume sync/);
    const resumed = await adminApi(world.url, 'POST', `/api/connections/${aliceConnection}/resume`);
    expect(resumed).toMatchObject({ status: 200, body: { status: 'active', defaultCalendarId: teamCalendar } });
    expect((await requestAccessToken(world.url, aliceConnection)).status).toBe(200);
    await world.lifecycle.waitForMessage(
      (m) => m.value.connectionId === aliceConnection && m.value.payload.type === 'reauthorized',
    );
    const tail = world
      .eventsOf(aliceConnection)
      .map((m) => m.value.payload.type)
      .slice(-2);
    expect(tail).toEqual(['revoked', 'reauthorized']);
    expect(world.eventsOf(aliceConnection).find((m) => m.value.payload.type === 'revoked')?.value.payload).toEqual({
      type: 'revoked',
      reason: 'admin',
    });
  });

  it('reauthorizing a revoked account keeps its selection and publishes reauthorized', async () => {
    const token = await requestAccessToken(world.url, aliceConnection);
    await emulator.control.revokeGrant(alice);
    const rejected = await requestAccessToken(world.url, aliceConnection, {
      forceRefresh: true,
      rejectedToken: token.body.accessToken as string,
    });
    expect(rejected).toMatchObject({ status: 409, body: { error: { code: 'connection_revoked' } } });
    await world.alerts.waitForMessage((m) => m.value.payload.subject === `connection:${aliceConnection}`);
    const page = await (await admin()).request(`${world.url}/admin`);
    expect(await page.text()).toMatch(/data-status="revoked"[\s\S]*Reconnect/);

    const { final } = await connectThroughConsent(await admin(), world.url, {
      email: alice,
      connectPath: `/connect?connection=${aliceConnection}`,
    });
    expect(final?.url).toContain('/admin?done=reauthorized');
    const list = await adminApi(world.url, 'GET', '/api/connections');
    expect(list.body.find((c: { email: string }) => c.email === alice)).toMatchObject({
      connectionId: aliceConnection,
      status: 'active',
      defaultCalendarId: teamCalendar,
    });
    const calendars = await adminApi(world.url, 'GET', `/api/connections/${aliceConnection}/calendars`);
    expect(
      calendars.body.filter((c: { selected: boolean }) => c.selected).map((c: { calendarId: string }) => c.calendarId),
    ).toEqual([teamCalendar]);
    await waitFor(
      () => world.eventsOf(aliceConnection).filter((m) => m.value.payload.type === 'reauthorized').length === 2,
      { timeoutMs: 15_000 },
    );
    await world.alerts.waitForMessage(
      (m) => m.value.payload.subject === `connection:${aliceConnection}` && m.value.payload.status === 'resolved',
    );
    expect((await requestAccessToken(world.url, aliceConnection)).status).toBe(200);
  });

  it('never logs or stores a plaintext token', async () => {
    const ring = parseKeyRing(`k1:${world.keys.k1}`, 'k1');
    const { rows } = await world.pool.query<{ id: string; refresh_token: Buffer }>(
      'SELECT id, refresh_token FROM oauth_connections WHERE refresh_token IS NOT NULL',
    );
    expect(rows.length).toBeGreaterThan(0);
    const secrets = rows.map((r) => ring.decrypt(r.refresh_token, `refresh:${r.id}`));
    secrets.push((await requestAccessToken(world.url, aliceConnection)).body.accessToken as string);
    expect(secrets.every((s) => s.length > 20)).toBe(true);

    const tables = await world.pool.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
    );
    const dump: string[] = [];
    for (const { table_name } of tables.rows) {
      const content = await world.pool.query(`SELECT to_jsonb(t)::text AS row FROM "${table_name}" t`);
      dump.push(...content.rows.map((r) => r.row as string));
    }
    const published = [...world.lifecycle.messages, ...world.alerts.messages].map((m) => JSON.stringify(m.value));
    for (const secret of secrets) {
      const forms = [secret, Buffer.from(secret).toString('hex'), Buffer.from(secret).toString('base64')];
      for (const form of forms) {
        expect(dump.some((row) => row.includes(form))).toBe(false);
        expect(logs.lines.some((line) => line.includes(form))).toBe(false);
        expect(published.some((m) => m.includes(form))).toBe(false);
      }
    }
    expect(logs.lines.length).toBeGreaterThan(0);
  });

  it('disconnect revokes the grant at Google, deletes tokens and publishes disconnected', async () => {
    await emulator.control.resetCounters();
    const res = await adminApi(world.url, 'DELETE', `/api/connections/${aliceConnection}`);
    expect(res.status).toBe(204);
    expect((await world.pool.query('SELECT 1 FROM oauth_connections WHERE id = $1', [aliceConnection])).rows).toEqual(
      [],
    );
    expect(
      (await world.pool.query('SELECT 1 FROM oauth_calendars WHERE connection_id = $1', [aliceConnection])).rows,
    ).toEqual([]);
    expect((await emulator.control.counters())['oauth.revoke']?.[alice]).toBe(1);
    await world.lifecycle.waitForMessage(
      (m) => m.value.connectionId === aliceConnection && m.value.payload.type === 'disconnected',
    );
    expect((await requestAccessToken(world.url, aliceConnection)).status).toBe(404);
  });
});
