import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type calendar_v3, google } from 'googleapis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../src/index';
import {
  authorise,
  CLIENT_ID,
  CLIENT_SECRET,
  calendarApi,
  endpoints,
  expectApiError,
  REDIRECT_URI,
  SCOPES,
  start,
} from './harness';

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await start();
});
afterAll(async () => {
  await emu.stop();
});

describe('core: googleapis + google-auth-library against the emulator', () => {
  it('runs the OAuth web-server flow and CRUD through googleapis rootUrl', async () => {
    const { client, tokens, location } = await authorise(emu.url, 'core@example.com');
    expect(location.searchParams.get('state')).toBe('st-123');
    expect(tokens.refresh_token).toMatch(/^1\/\//);
    const cal = calendarApi(emu.url, client);
    const list = await cal.calendarList.list();
    const entries: calendar_v3.Schema$CalendarListEntry[] = list.data.items ?? [];
    expect(entries.find((e) => e.primary)?.id).toBe('core@example.com');
    const created = await cal.events.insert({
      calendarId: 'primary',
      requestBody: {
        summary: 'Hello',
        start: { dateTime: '2030-01-01T10:00:00Z' },
        end: { dateTime: '2030-01-01T11:00:00Z' },
      },
    });
    const ev: calendar_v3.Schema$Event = created.data;
    expect(ev.id).toMatch(/^[a-v0-9]{26}$/);
    expect(ev.etag).toMatch(/^"\d+"$/);
    expect(ev.iCalUID).toBe(`${ev.id}@google.com`);
    const got = await cal.events.get({ calendarId: 'primary', eventId: ev.id! });
    expect(got.data.summary).toBe('Hello');
    const patched = await cal.events.patch({ calendarId: 'primary', eventId: ev.id!, requestBody: { summary: 'Bye' } });
    expect(patched.data.etag).not.toBe(ev.etag);
    const page = await cal.events.list({ calendarId: 'primary' });
    const events: calendar_v3.Schema$Events = page.data;
    expect(events.items?.map((i) => i.summary)).toEqual(['Bye']);
    expect(events.nextSyncToken).toBeTruthy();
    await cal.events.delete({ calendarId: 'primary', eventId: ev.id! });
    const inc = await cal.events.list({ calendarId: 'primary', syncToken: events.nextSyncToken! });
    expect(inc.data.items).toEqual([expect.objectContaining({ id: ev.id, status: 'cancelled' })]);
  });

  it('googleapis only: new google.auth.OAuth2({ endpoints }) + google.calendar({ rootUrl })', async () => {
    const auth = new google.auth.OAuth2({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      redirectUri: REDIRECT_URI,
      endpoints: endpoints(emu.url),
    });
    const authUrl = auth.generateAuthUrl({
      access_type: 'offline',
      scope: [SCOPES.events, SCOPES.calendarListReadonly],
      login_hint: 'gapi@example.com',
      state: 's',
    });
    expect(authUrl.startsWith(`${emu.url}/o/oauth2/v2/auth?`)).toBe(true);
    const redirect = await fetch(authUrl, { redirect: 'manual' });
    const code = new URL(redirect.headers.get('location')!).searchParams.get('code')!;
    const { tokens } = await auth.getToken(code);
    auth.setCredentials(tokens);
    const calendar = google.calendar({ version: 'v3', rootUrl: `${emu.url}/`, auth });
    const list: calendar_v3.Schema$CalendarList = (await calendar.calendarList.list()).data;
    expect(list.items?.[0]?.id).toBe('gapi@example.com');
    const ev: calendar_v3.Schema$Event = (
      await calendar.events.insert({
        calendarId: 'primary',
        requestBody: { summary: 'gapi', start: { date: '2031-01-01' }, end: { date: '2031-01-02' } },
      })
    ).data;
    expect(ev.start?.date).toBe('2031-01-01');
    const refreshed = await auth.refreshAccessToken();
    expect(refreshed.credentials.access_token).not.toBe(tokens.access_token);
    const stale = refreshed.credentials.access_token!;
    await auth.revokeCredentials();
    const bare = new google.auth.OAuth2({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      endpoints: endpoints(emu.url),
    });
    bare.setCredentials({ access_token: stale });
    const err = await expectApiError(
      google.calendar({ version: 'v3', rootUrl: `${emu.url}/`, auth: bare }).calendarList.list(),
    );
    expect(err.status).toBe(401);
  });

  it('control API edits show up through the API', async () => {
    const user = await emu.control.createUser({ email: 'ctl@example.com', timeZone: 'Europe/Paris' });
    const ev = await emu.control.createEvent(user.primaryCalendarId, {
      summary: 'From UI',
      start: { dateTime: '2030-02-01T09:00:00', timeZone: 'Europe/Paris' },
      end: { dateTime: '2030-02-01T10:00:00', timeZone: 'Europe/Paris' },
    });
    const { client } = await authorise(emu.url, 'ctl@example.com');
    const cal = calendarApi(emu.url, client);
    const got = await cal.events.get({ calendarId: 'primary', eventId: ev.id });
    expect(got.data.summary).toBe('From UI');
    const edited = await emu.control.editEvent(user.primaryCalendarId, ev.id, { summary: 'Edited' });
    expect(edited.sequence).toBe(1);
    const err = await expectApiError(
      cal.events.patch(
        { calendarId: 'primary', eventId: ev.id, requestBody: { summary: 'x' } },
        { headers: { 'If-Match': ev.etag } },
      ),
    );
    expect(err.status).toBe(412);
    expect(err.error.errors[0]?.reason).toBe('conditionNotMet');
    expect((await emu.control.counters())['calendar.events.get']?.['ctl@example.com']).toBe(1);
    const many = await emu.control.createEvents(user.primaryCalendarId, [
      { start: { date: '2030-01-01' }, end: { date: '2030-01-02' } },
      { start: { date: '2030-01-03' }, end: { date: '2030-01-04' } },
    ]);
    expect(many.length).toBe(2);
  });

  it('If-None-Match with the current etag gets 304 on events.get', async () => {
    const { client } = await authorise(emu.url, 'cond@example.com');
    const cal = calendarApi(emu.url, client);
    const ev = (
      await cal.events.insert({
        calendarId: 'primary',
        requestBody: { start: { date: '2031-02-01' }, end: { date: '2031-02-02' } },
      })
    ).data;
    const res = await cal.events.get(
      { calendarId: 'primary', eventId: ev.id! },
      { headers: { 'If-None-Match': ev.etag! }, validateStatus: (s) => s === 304 || s === 200 },
    );
    expect(res.status).toBe(304);
  });

  it('--state FILE persists users, tokens and events across restarts', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'gemu-')), 'state.json');
    const first = await startEmulator({ autoConsent: true, stateFile: file });
    const { client } = await authorise(first.url, 'persist@example.com');
    const ev = (
      await calendarApi(first.url, client).events.insert({
        calendarId: 'primary',
        requestBody: { summary: 'kept', start: { date: '2031-03-01' }, end: { date: '2031-03-02' } },
      })
    ).data;
    await first.stop();
    const second = await startEmulator({ autoConsent: true, stateFile: file });
    try {
      const again = await calendarApi(second.url, client).events.get({ calendarId: 'primary', eventId: ev.id! });
      expect(again.data.summary).toBe('kept');
      expect(again.data.etag).toBe(ev.etag);
    } finally {
      await second.stop();
    }
  });
});
