import { randomUUID } from 'node:crypto';
import { type RunningEmulator, startEmulator } from '@gcal-sync/google-emulator';
import { Browser } from '../e2e/browser';
import type { Stack } from './stack';
import { tokenOf } from './stack';

export const USER = 'ada@example.com';
/** The org admin credential local-env.cjs gives oauth (ADMIN_TOKENS org-local:<token>). */
const ADMIN_TOKEN = tokenOf('admin');

export type Scenario = {
  emulator: RunningEmulator;
  /** Connects USER through oauth's admin page and Google's consent; resolves with the connection id. */
  connect(stack: Stack): Promise<string>;
  /** Waits until the renewer's push channel for USER's primary calendar exists in the emulator. */
  waitForChannel(timeoutMs?: number): Promise<void>;
  /** An edit made in Google (as another client would): creates then edits an event; returns its id. */
  editInGoogle(summary: string): Promise<string>;
  /** A write through sync-core's booking API (app → Google). */
  bookThroughApi(stack: Stack, connectionId: string, headers?: Record<string, string>): Promise<string>;
  /** Google fails the next watch request once (the renewer retries: a renewal failure, then a channel). */
  failNextWatch(): Promise<void>;
  /** The user revokes access in Google, then edits: the sync fails for good and an incident opens. */
  revokeAndEdit(): Promise<void>;
  stop(): Promise<void>;
};

export async function startScenario(): Promise<Scenario> {
  const emulator = await startEmulator({ port: 0, allowHttpPush: true });
  await emulator.control.createUser({ email: USER, timeZone: 'UTC' });
  const editInGoogle = async (summary: string): Promise<string> => {
    const now = Date.now();
    const created = (await emulator.control.createEvent(USER, {
      summary,
      start: { dateTime: new Date(now + 3_600_000).toISOString() },
      end: { dateTime: new Date(now + 7_200_000).toISOString() },
    })) as { id: string };
    await emulator.control.editEvent(USER, created.id, { summary: `${summary} (edited)` });
    return created.id;
  };

  return {
    emulator,
    async connect(stack) {
      const oauth = stack.services.oauth;
      if (!oauth) throw new Error('oauth is not running');
      const browser = new Browser();
      const login = await browser.request(`${oauth.url}/admin/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: ADMIN_TOKEN }).toString(),
      });
      if (login.status !== 303) throw new Error(`admin login answered ${login.status}`);
      const start = await browser.request(`${oauth.url}/connect`);
      const authUrl = start.headers.get('location');
      if (start.status !== 303 || !authUrl) throw new Error(`/connect answered ${start.status}`);
      const consent = await browser.request(authUrl);
      const html = await consent.text();
      const request = /name="request" value="([^"]+)"/.exec(html)?.[1];
      let callback: string | null;
      if (request) {
        const decided = await browser.request(new URL('/o/oauth2/v2/auth/consent', authUrl).toString(), {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ request, email: USER, timeZone: 'UTC', decision: 'allow' }).toString(),
        });
        callback = decided.headers.get('location');
      } else {
        callback = consent.headers.get('location');
      }
      if (!callback) throw new Error(`consent gave no redirect: ${consent.status} ${html.slice(0, 200)}`);
      const done = await browser.follow(callback);
      if (!done.url.includes('done=connected')) throw new Error(`connect ended at ${done.url} (${done.res.status})`);
      const list = await fetch(`${oauth.url}/api/connections`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      const connections = (await list.json()) as { connectionId: string; email: string }[];
      const mine = connections.find((c) => c.email === USER);
      if (!mine) throw new Error(`no connection for ${USER}: ${JSON.stringify(connections)}`);
      return mine.connectionId;
    },
    async waitForChannel(timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const channels = (await emulator.control.listChannels()) as unknown as {
          resourceUri?: string;
          calendarId?: string;
        }[];
        if (
          channels.some((c) => JSON.stringify(c).includes(encodeURIComponent(USER)) || JSON.stringify(c).includes(USER))
        )
          return;
        await new Promise((r) => setTimeout(r, 300));
      }
      throw new Error(
        `no push channel for ${USER} after ${timeoutMs} ms: ${JSON.stringify(await emulator.control.listChannels())}`,
      );
    },
    editInGoogle,
    async bookThroughApi(stack, connectionId, headers = {}) {
      const syncCore = stack.services['sync-core'];
      if (!syncCore) throw new Error('sync-core is not running');
      const now = Date.now();
      const res = await fetch(`${syncCore.url}/internal/connections/${encodeURIComponent(connectionId)}/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokenOf('oauth')}`, 'content-type': 'application/json', ...headers },
        body: JSON.stringify({
          bookingId: `booking-${randomUUID()}`,
          editedAt: new Date(now).toISOString(),
          fields: {
            summary: 'Demo with Acme',
            start: { dateTime: new Date(now + 86_400_000).toISOString() },
            end: { dateTime: new Date(now + 88_200_000).toISOString() },
          },
        }),
      });
      const text = await res.text();
      // Status and error code, for the load's story (e.g. `200` or `502 google_unavailable`).
      const code = res.ok ? '' : ` ${/"code":"([^"]+)"/.exec(text)?.[1] ?? text.slice(0, 80)}`;
      return `${res.status}${code}`;
    },
    async failNextWatch() {
      await emulator.control.injectFault({
        method: 'calendar.events.watch',
        status: 503,
        reason: 'backendError',
        times: 1,
      });
    },
    async revokeAndEdit() {
      await emulator.control.revokeGrant(USER);
      await editInGoogle('After revocation');
    },
    stop: () => emulator.stop(),
  };
}
