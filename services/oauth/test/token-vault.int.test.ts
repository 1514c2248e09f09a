import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type RunningEmulator, startEmulator } from '@gcal-sync/google-emulator';
import { ConnectionRevokedError, createAccessTokenClient } from '@gcal-sync/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start } from '../src/main';
import {
  ADMIN_TOKEN,
  adminApi,
  CLIENT_ID,
  CLIENT_SECRET,
  connectThroughConsent,
  createWorld,
  INTERNAL_CREDENTIAL,
  requestAccessToken,
  type World,
} from './harness';
import { HttpSession } from './http-session';

const MINUTE = 60_000;
let emulator: RunningEmulator;
let world: World;
/** The service follows the emulator's virtual clock: both move by the same offset. */
let offsetMs = 0;
const now = () => Date.now() + offsetMs;
const advance = async (ms: number) => {
  await emulator.control.advanceClock(ms);
  offsetMs += ms;
};
const tokenCalls = async (email: string) => (await emulator.control.counters())['oauth.token']?.[email] ?? 0;

async function connect(email: string): Promise<string> {
  const session = new HttpSession();
  await session.login(world.url, ADMIN_TOKEN);
  const { final } = await connectThroughConsent(session, world.url, { email });
  expect(final?.url).toContain('/admin?done=connected');
  const list = await adminApi(world.url, 'GET', '/api/connections');
  return list.body.find((c: { email: string }) => c.email === email).connectionId;
}

beforeAll(async () => {
  emulator = await startEmulator({ clients: { [CLIENT_ID]: CLIENT_SECRET } });
  world = await createWorld(emulator.url);
  await world.start({}, { now });
});

afterAll(async () => {
  await world?.close();
  await emulator?.stop();
});

describe('token vault', () => {
  const dana = 'dana@example.com';
  let connectionId = '';

  it('hands out the cached token and refreshes it within 10 minutes of expiry', async () => {
    connectionId = await connect(dana);
    const calls = await tokenCalls(dana);
    const first = await requestAccessToken(world.url, connectionId);
    expect(first.status).toBe(200);
    const client = createAccessTokenClient({ oauthBaseUrl: world.url, credential: INTERNAL_CREDENTIAL });
    expect(await client.get(connectionId)).toBe(first.body.accessToken);
    await advance(45 * MINUTE);
    const still = await requestAccessToken(world.url, connectionId);
    expect(still.body.accessToken).toBe(first.body.accessToken);
    expect(await tokenCalls(dana)).toBe(calls);

    await advance(5 * MINUTE); // 50 of 60 minutes gone: inside the refresh margin
    const refreshed = await requestAccessToken(world.url, connectionId);
    expect(refreshed.body.accessToken).not.toBe(first.body.accessToken);
    expect(Date.parse(refreshed.body.expiresAt as string)).toBeGreaterThan(now() + 55 * MINUTE);
    expect(await tokenCalls(dana)).toBe(calls + 1);
    // The new token works at Google.
    const res = await fetch(`${emulator.url}/calendar/v3/users/me/calendarList`, {
      headers: { authorization: `Bearer ${refreshed.body.accessToken}` },
    });
    expect(res.status).toBe(200);
  });

  it('refreshes once for 50 concurrent callers of an expired token, across two replicas', async () => {
    const replica = await start(world.config({ PORT: '0' }), { now });
    try {
      await advance(61 * MINUTE);
      await emulator.control.resetCounters();
      const answers = await Promise.all(
        Array.from({ length: 50 }, (_, i) => requestAccessToken(i % 2 ? replica.url : world.url, connectionId)),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
      expect(new Set(answers.map((a) => a.body.accessToken)).size).toBe(1);
      expect(await tokenCalls(dana)).toBe(1);
    } finally {
      await replica.stop();
    }
  });

  it('replaces a rejected token once for concurrent callers that saw the same 401', async () => {
    const current = (await requestAccessToken(world.url, connectionId)).body.accessToken as string;
    await emulator.control.resetCounters();
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        requestAccessToken(world.url, connectionId, { forceRefresh: true, rejectedToken: current }),
      ),
    );
    expect(new Set(answers.map((a) => a.body.accessToken)).size).toBe(1);
    expect(answers[0]!.body.accessToken).not.toBe(current);
    expect(await tokenCalls(dana)).toBe(1);
  });

  it('revocation: invalid_grant marks the connection revoked with one event and one alert', async () => {
    await emulator.control.revokeGrant(dana);
    await advance(61 * MINUTE);
    const answers = await Promise.all(Array.from({ length: 20 }, () => requestAccessToken(world.url, connectionId)));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(409));
    expect(answers[0]!.body.error?.code).toBe('connection_revoked');
    // What sync-core and renewer use: the shared client maps the 409 to ConnectionRevokedError.
    const client = createAccessTokenClient({ oauthBaseUrl: world.url, credential: INTERNAL_CREDENTIAL });
    await expect(client.get(connectionId)).rejects.toBeInstanceOf(ConnectionRevokedError);
    expect((await requestAccessToken(world.url, connectionId, { forceRefresh: true })).status).toBe(409);
    const { rows } = await world.pool.query(
      'SELECT status, refresh_token, access_token FROM oauth_connections WHERE id = $1',
      [connectionId],
    );
    expect(rows[0]).toEqual({ status: 'revoked', refresh_token: null, access_token: null });

    // Disconnecting afterwards publishes behind the revocation (same key, same partition): once
    // those arrive, every earlier message has too.
    expect((await adminApi(world.url, 'DELETE', `/api/connections/${connectionId}`)).status).toBe(204);
    await world.lifecycle.waitForMessage(
      (m) => m.value.connectionId === connectionId && m.value.payload.type === 'disconnected',
    );
    await world.alerts.waitForMessage(
      (m) => m.value.connectionId === connectionId && m.value.payload.status === 'resolved',
    );
    const revoked = world.eventsOf(connectionId).filter((m) => m.value.payload.type === 'revoked');
    expect(revoked.map((m) => m.value.payload)).toEqual([{ type: 'revoked', reason: 'invalid_grant' }]);
    const alerts = world.alerts.messages.filter((m) => m.value.connectionId === connectionId);
    expect(alerts.map((m) => [m.value.payload.kind, m.value.payload.status])).toEqual([
      ['connection.revoked', 'open'],
      ['connection.revoked', 'resolved'],
    ]);
  });

  it('rotates the encryption key without downtime', async () => {
    const erin = 'erin@example.com';
    const id = await connect(erin);
    const keyIds = async () =>
      (await world.pool.query('SELECT refresh_token_key_id AS r, access_token_key_id AS a FROM oauth_connections'))
        .rows;
    expect(await keyIds()).toEqual([{ r: 'k1', a: 'k1' }]);

    // Step 1: the new key joins the ring as the active one; old rows stay readable.
    const both = { TOKEN_KEYS: `k1:${world.keys.k1},k2:${world.keys.k2}`, TOKEN_ACTIVE_KEY_ID: 'k2' };
    await world.stop();
    await world.start(both, { now });
    expect((await requestAccessToken(world.url, id)).status).toBe(200);

    // Step 2: the re-encrypt command runs while the service keeps answering.
    const serving = Promise.all(
      Array.from({ length: 20 }, (_, i) => requestAccessToken(world.url, id, { forceRefresh: i % 5 === 0 })),
    );
    const { stdout } = await promisify(execFile)(process.execPath, [join(__dirname, '../dist/reencrypt.js')], {
      env: { ...process.env, DATABASE_URL: world.db.url, ...both },
    });
    expect(JSON.parse(stdout)).toMatchObject({ activeKeyId: 'k2', connections: expect.any(Number) });
    expect((await serving).map((a) => a.status)).toEqual(Array(20).fill(200));
    expect(await keyIds()).toEqual([{ r: 'k2', a: 'k2' }]);

    // Step 3: the old key is gone; everything still decrypts, including the refresh token.
    await world.stop();
    await world.start({ TOKEN_KEYS: `k2:${world.keys.k2}`, TOKEN_ACTIVE_KEY_ID: 'k2' }, { now });
    const forced = await requestAccessToken(world.url, id, { forceRefresh: true });
    expect(forced.status).toBe(200);
  });
});
