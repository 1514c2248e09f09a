import type { calendar_v3 } from 'googleapis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../src/index';
import { authorise, calendarApi, expectApiError, start } from './harness';

let emu: RunningEmulator;
let cal: calendar_v3.Calendar;
let n = 0;
const timed = (day: number, summary = 'e'): calendar_v3.Schema$Event => ({
  summary,
  start: { dateTime: `2030-03-${String(day).padStart(2, '0')}T10:00:00Z` },
  end: { dateTime: `2030-03-${String(day).padStart(2, '0')}T11:00:00Z` },
});

async function freshCalendar(): Promise<string> {
  n += 1;
  const created = await cal.calendars.insert({ requestBody: { summary: `cal ${n}`, timeZone: 'Europe/Paris' } });
  return created.data.id!;
}

beforeAll(async () => {
  emu = await start();
  const { client } = await authorise(emu.url, 'events@example.com');
  cal = calendarApi(emu.url, client);
});
afterAll(async () => {
  await emu.stop();
});

describe('Calendar API formats and events', () => {
  it('event ids: client-supplied ids validated as base32hex (400), duplicates get 409', async () => {
    const calendarId = await freshCalendar();
    const ok = await cal.events.insert({ calendarId, requestBody: { ...timed(1), id: 'abcdefghijklmnopqrstuv0123' } });
    expect(ok.data.id).toBe('abcdefghijklmnopqrstuv0123');
    const bad = await expectApiError(cal.events.insert({ calendarId, requestBody: { ...timed(1), id: 'Not_Valid!' } }));
    expect(bad.status).toBe(400);
    expect(bad.error.errors[0]).toMatchObject({
      domain: 'global',
      reason: 'invalid',
      message: 'Invalid resource id value.',
    });
    const short = await expectApiError(cal.events.insert({ calendarId, requestBody: { ...timed(1), id: 'abcd' } }));
    expect(short.status).toBe(400);
    const dup = await expectApiError(
      cal.events.insert({ calendarId, requestBody: { ...timed(1), id: 'abcdefghijklmnopqrstuv0123' } }),
    );
    expect(dup.status).toBe(409);
    expect(dup.error).toMatchObject({
      code: 409,
      message: 'The requested identifier already exists.',
      status: 'ALREADY_EXISTS',
    });
    expect(dup.error.errors[0]).toMatchObject({ domain: 'global', reason: 'duplicate' });
  });

  it('resource fields: quoted etag changing on every modification, updated with ms, sequence, iCalUID, created, htmlLink, organizer/creator', async () => {
    const calendarId = await freshCalendar();
    const a = (await cal.events.insert({ calendarId, requestBody: timed(2) })).data;
    expect(a.etag).toMatch(/^"\d+"$/);
    expect(a.updated).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(a.created).toBeTruthy();
    expect(a.sequence).toBe(0);
    expect(a.iCalUID).toBe(`${a.id}@google.com`);
    expect(a.htmlLink).toMatch(/^https:\/\/www\.google\.com\/calendar\/event\?eid=/);
    expect(a.organizer).toMatchObject({ email: calendarId, self: true });
    expect(a.creator?.email).toBe('events@example.com');
    expect(a.kind).toBe('calendar#event');
    const b = (await cal.events.patch({ calendarId, eventId: a.id!, requestBody: { colorId: '5' } })).data;
    expect(b.etag).not.toBe(a.etag);
    expect(b.sequence).toBe(0);
    const c = (
      await cal.events.patch({
        calendarId,
        eventId: a.id!,
        requestBody: { start: { dateTime: '2030-03-02T09:00:00Z' } },
      })
    ).data;
    expect(c.etag).not.toBe(b.etag);
    expect(c.sequence).toBe(1);
  });

  it('all-day events (date, exclusive end), time zones kept, attendees with responseStatus, and the other fields round-trip', async () => {
    const calendarId = await freshCalendar();
    const body: calendar_v3.Schema$Event = {
      summary: 'Offsite',
      description: 'desc',
      location: 'Paris',
      start: { date: '2030-04-01' },
      end: { date: '2030-04-03' },
      attendees: [{ email: 'bob@example.com' }, { email: 'carol@example.com', responseStatus: 'accepted' }],
      extendedProperties: { private: { syncId: '42' }, shared: { team: 'a' } },
      reminders: { useDefault: false, overrides: [{ method: 'popup', minutes: 10 }] },
      transparency: 'transparent',
      visibility: 'private',
      colorId: '3',
    };
    const ev = (await cal.events.insert({ calendarId, requestBody: body })).data;
    const got = (await cal.events.get({ calendarId, eventId: ev.id! })).data;
    expect(got).toMatchObject({
      ...body,
      attendees: [
        { email: 'bob@example.com', responseStatus: 'needsAction' },
        { email: 'carol@example.com', responseStatus: 'accepted' },
      ],
    });
    const tz = (
      await cal.events.insert({
        calendarId,
        requestBody: {
          start: { dateTime: '2030-04-05T09:00:00+09:00', timeZone: 'Asia/Tokyo' },
          end: { dateTime: '2030-04-05T10:00:00+09:00', timeZone: 'Asia/Tokyo' },
        },
      })
    ).data;
    expect(tz.start).toEqual({ dateTime: '2030-04-05T09:00:00+09:00', timeZone: 'Asia/Tokyo' });
    const missing = await expectApiError(
      cal.events.insert({ calendarId, requestBody: { start: { date: '2030-01-01' } } }),
    );
    expect(missing.error.errors[0]).toMatchObject({ reason: 'required', message: 'Missing end time.' });
    const empty = await expectApiError(
      cal.events.insert({ calendarId, requestBody: { start: { date: '2030-01-02' }, end: { date: '2030-01-01' } } }),
    );
    expect(empty.error.errors[0]?.reason).toBe('timeRangeEmpty');
    const shared = await cal.events.list({ calendarId, sharedExtendedProperty: ['team=a'] });
    expect(shared.data.items?.map((i) => i.id)).toEqual([ev.id]);
    const priv = await cal.events.list({ calendarId, privateExtendedProperty: ['syncId=43'] });
    expect(priv.data.items).toEqual([]);
  });

  it('update (PUT) replaces the resource, patch merges nested objects', async () => {
    const calendarId = await freshCalendar();
    const ev = (
      await cal.events.insert({
        calendarId,
        requestBody: { ...timed(3, 'orig'), description: 'keep?', extendedProperties: { private: { a: '1', b: '2' } } },
      })
    ).data;
    const patched = (
      await cal.events.patch({
        calendarId,
        eventId: ev.id!,
        requestBody: { extendedProperties: { private: { b: '3' } } },
      })
    ).data;
    expect(patched.extendedProperties?.private).toEqual({ a: '1', b: '3' });
    expect(patched.description).toBe('keep?');
    const updated = (await cal.events.update({ calendarId, eventId: ev.id!, requestBody: timed(4, 'put') })).data;
    expect(updated.description).toBeUndefined();
    expect(updated.summary).toBe('put');
    expect(updated.id).toBe(ev.id);
  });

  it('conditional writes: If-Match with a stale etag gets 412 conditionNotMet', async () => {
    const calendarId = await freshCalendar();
    const ev = (await cal.events.insert({ calendarId, requestBody: timed(5) })).data;
    await cal.events.patch(
      { calendarId, eventId: ev.id!, requestBody: { summary: 'changed' } },
      { headers: { 'If-Match': ev.etag! } },
    );
    for (const call of [
      () =>
        cal.events.update(
          { calendarId, eventId: ev.id!, requestBody: timed(5) },
          { headers: { 'If-Match': ev.etag! } },
        ),
      () => cal.events.delete({ calendarId, eventId: ev.id! }, { headers: { 'If-Match': ev.etag! } }),
    ]) {
      const err = await expectApiError(call());
      expect(err.status).toBe(412);
      expect(err.error).toMatchObject({ code: 412, message: 'Precondition Failed', status: 'FAILED_PRECONDITION' });
      expect(err.error.errors[0]).toMatchObject({
        domain: 'global',
        reason: 'conditionNotMet',
        location: 'If-Match',
        locationType: 'header',
      });
    }
  });

  it('errors always in the Google envelope: 404 notFound, 410 deleted', async () => {
    const calendarId = await freshCalendar();
    const nf = await expectApiError(cal.events.get({ calendarId, eventId: 'doesnotexist0' }));
    expect(nf.status).toBe(404);
    expect(nf.error).toEqual({
      code: 404,
      message: 'Not Found',
      errors: [{ domain: 'global', reason: 'notFound', message: 'Not Found' }],
      status: 'NOT_FOUND',
    });
    const noCal = await expectApiError(cal.events.list({ calendarId: 'nobody@example.com' }));
    expect(noCal.status).toBe(404);
    const ev = (await cal.events.insert({ calendarId, requestBody: timed(6) })).data;
    await cal.events.delete({ calendarId, eventId: ev.id! });
    const again = await expectApiError(cal.events.delete({ calendarId, eventId: ev.id! }));
    expect(again.status).toBe(410);
    expect(again.error.errors[0]?.reason).toBe('deleted');
    const tomb = await cal.events.get({ calendarId, eventId: ev.id! });
    expect(tomb.data.status).toBe('cancelled');
  });

  it('events.list paging: maxResults default 250, cap 2500; nextPageToken on every page but the last, nextSyncToken only on the last', async () => {
    const calendarId = await freshCalendar();
    for (let i = 0; i < 260; i += 1) await emu.control.createEvent(calendarId, timed((i % 28) + 1, `n${i}`));
    const first = await cal.events.list({ calendarId });
    expect(first.data.items?.length).toBe(250);
    expect(first.data.nextPageToken).toBeTruthy();
    expect(first.data.nextSyncToken).toBeUndefined();
    const second = await cal.events.list({ calendarId, pageToken: first.data.nextPageToken! });
    expect(second.data.items?.length).toBe(10);
    expect(second.data.nextPageToken).toBeUndefined();
    expect(second.data.nextSyncToken).toBeTruthy();
    const big = await cal.events.list({ calendarId, maxResults: 5000 });
    expect(big.data.items?.length).toBe(260);
    const small: calendar_v3.Schema$Event[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    do {
      const r = await cal.events.list({ calendarId, maxResults: 100, pageToken });
      small.push(...(r.data.items ?? []));
      pageToken = r.data.nextPageToken ?? undefined;
      pages += 1;
      if (pageToken) expect(r.data.nextSyncToken).toBeUndefined();
    } while (pageToken);
    expect(pages).toBe(3);
    expect(new Set(small.map((e) => e.id)).size).toBe(260);
    // A deletion between pages must not shift the next page and skip an unchanged event.
    const p1 = await cal.events.list({ calendarId, maxResults: 100 });
    await emu.control.deleteEvent(calendarId, p1.data.items![0]!.id!);
    const seen = new Set(p1.data.items!.map((e) => e.id));
    let pt = p1.data.nextPageToken ?? undefined;
    while (pt) {
      const r = await cal.events.list({ calendarId, maxResults: 100, pageToken: pt });
      for (const e of r.data.items ?? []) seen.add(e.id);
      pt = r.data.nextPageToken ?? undefined;
    }
    expect(seen.size).toBe(260);
  });

  it('incremental sync with syncToken returns changes since, deleted events as cancelled tombstones', async () => {
    const calendarId = await freshCalendar();
    const a = (await cal.events.insert({ calendarId, requestBody: timed(7, 'a') })).data;
    const b = (await cal.events.insert({ calendarId, requestBody: timed(8, 'b') })).data;
    const full = await cal.events.list({ calendarId });
    const token = full.data.nextSyncToken!;
    expect((await cal.events.list({ calendarId, syncToken: token })).data.items).toEqual([]);
    await cal.events.patch({ calendarId, eventId: a.id!, requestBody: { summary: 'a2' } });
    await emu.control.deleteEvent(calendarId, b.id!);
    const c = (await cal.events.insert({ calendarId, requestBody: timed(9, 'c') })).data;
    const inc = await cal.events.list({ calendarId, syncToken: token });
    const items = inc.data.items ?? [];
    expect(items.map((i) => [i.id, i.status])).toEqual([
      [a.id, 'confirmed'],
      [b.id, 'cancelled'],
      [c.id, 'confirmed'],
    ]);
    expect(items[1]).toEqual({
      kind: 'calendar#event',
      etag: expect.any(String),
      id: b.id,
      status: 'cancelled',
      updated: expect.any(String),
    });
    expect(inc.data.nextSyncToken).toBeTruthy();
    expect((await cal.events.list({ calendarId, syncToken: inc.data.nextSyncToken! })).data.items).toEqual([]);
    const full2 = await cal.events.list({ calendarId });
    expect(full2.data.items?.map((i) => i.id)).toEqual([a.id, c.id]);
    const withDeleted = await cal.events.list({ calendarId, showDeleted: true });
    expect(withDeleted.data.items?.length).toBe(3);
  });

  it('parameters Google forbids with syncToken get 400', async () => {
    const calendarId = await freshCalendar();
    const token = (await cal.events.list({ calendarId })).data.nextSyncToken!;
    const forbidden: Partial<calendar_v3.Params$Resource$Events$List>[] = [
      { timeMin: '2030-01-01T00:00:00Z' },
      { timeMax: '2030-01-01T00:00:00Z' },
      { updatedMin: '2030-01-01T00:00:00Z' },
      { q: 'x' },
      { orderBy: 'updated' },
      { iCalUID: 'x@google.com' },
      { privateExtendedProperty: ['a=b'] },
      { sharedExtendedProperty: ['a=b'] },
    ];
    for (const extra of forbidden) {
      const err = await expectApiError(cal.events.list({ calendarId, syncToken: token, ...extra }));
      expect(err.status).toBe(400);
      expect(err.error.errors[0]?.reason).toBe('invalid');
    }
  });

  it('an invalidated sync token gets 410 fullSyncRequired', async () => {
    const calendarId = await freshCalendar();
    const token = (await cal.events.list({ calendarId })).data.nextSyncToken!;
    await emu.control.invalidateSyncTokens(calendarId);
    const err = await expectApiError(cal.events.list({ calendarId, syncToken: token }));
    expect(err.status).toBe(410);
    expect(err.error.errors[0]).toEqual({
      domain: 'calendar',
      reason: 'fullSyncRequired',
      message: 'Sync token is no longer valid, a full sync is required.',
      locationType: 'parameter',
      location: 'syncToken',
    });
    expect(err.error.message).toBe('Sync token is no longer valid, a full sync is required.');
    const garbage = await expectApiError(cal.events.list({ calendarId, syncToken: 'not-a-token' }));
    expect(garbage.status).toBe(410);
    const fresh = (await cal.events.list({ calendarId })).data.nextSyncToken!;
    expect((await cal.events.list({ calendarId, syncToken: fresh })).status).toBe(200);
  });

  it('a too-old sync token (default 28 days) gets 410 fullSyncRequired', async () => {
    const calendarId = await freshCalendar();
    const token = (await cal.events.list({ calendarId })).data.nextSyncToken!;
    await emu.control.advanceClock(27 * 86_400_000);
    const { client } = await authorise(emu.url, 'events@example.com');
    const fresh = calendarApi(emu.url, client);
    expect((await fresh.events.list({ calendarId, syncToken: token })).status).toBe(200);
    await emu.control.advanceClock(2 * 86_400_000);
    const { client: client2 } = await authorise(emu.url, 'events@example.com');
    const err = await expectApiError(calendarApi(emu.url, client2).events.list({ calendarId, syncToken: token }));
    expect(err.status).toBe(410);
    expect(err.error.errors[0]?.reason).toBe('fullSyncRequired');
    const old = await expectApiError(
      calendarApi(emu.url, client2).events.list({ calendarId, updatedMin: '2000-01-01T00:00:00Z' }),
    );
    expect(old.status).toBe(410);
    expect(old.error.errors[0]).toMatchObject({ domain: 'calendar', reason: 'updatedMinTooLongAgo' });
    await emu.control.advanceClock(-29 * 86_400_000);
  });

  it('timeMin/timeMax, updatedMin, orderBy, iCalUID and q filters', async () => {
    const calendarId = await freshCalendar();
    const e1 = (await cal.events.insert({ calendarId, requestBody: timed(10, 'alpha meeting') })).data;
    const e2 = (await cal.events.insert({ calendarId, requestBody: timed(12, 'beta') })).data;
    await emu.control.advanceClock(60_000);
    const e3 = (await cal.events.insert({ calendarId, requestBody: timed(11, 'gamma') })).data;
    const window = await cal.events.list({
      calendarId,
      timeMin: '2030-03-10T10:30:00Z',
      timeMax: '2030-03-12T00:00:00Z',
    });
    expect(window.data.items?.map((i) => i.id).sort()).toEqual([e1.id, e3.id].sort());
    const upd = await cal.events.list({ calendarId, updatedMin: new Date(Date.parse(e3.updated!) - 1).toISOString() });
    expect(upd.data.items?.map((i) => i.id)).toEqual([e3.id]);
    const ordered = await cal.events.list({ calendarId, singleEvents: true, orderBy: 'startTime' });
    expect(ordered.data.items?.map((i) => i.id)).toEqual([e1.id, e3.id, e2.id]);
    const noOrder = await expectApiError(cal.events.list({ calendarId, orderBy: 'startTime' }));
    expect(noOrder.status).toBe(400);
    expect((await cal.events.list({ calendarId, iCalUID: e2.iCalUID! })).data.items?.map((i) => i.id)).toEqual([e2.id]);
    expect((await cal.events.list({ calendarId, q: 'meeting' })).data.items?.map((i) => i.id)).toEqual([e1.id]);
  });

  it('event types appear unless filtered with eventTypes', async () => {
    const user = await emu.control.createUser({ email: 'events@example.com' });
    const calendarId = user.primaryCalendarId;
    const types = ['default', 'outOfOffice', 'focusTime', 'workingLocation', 'birthday', 'fromGmail'];
    for (const [i, eventType] of types.entries()) {
      await emu.control.createEvent(calendarId, { ...timed(i + 1, eventType), eventType, id: `types${i}abc` });
    }
    const all = (await cal.events.list({ calendarId })).data.items ?? [];
    for (const t of types) expect(all.some((e) => e.eventType === t)).toBe(true);
    const filtered = (await cal.events.list({ calendarId, eventTypes: ['focusTime', 'outOfOffice'] })).data.items ?? [];
    expect(new Set(filtered.map((e) => e.eventType))).toEqual(new Set(['focusTime', 'outOfOffice']));
    const fromGmail = await expectApiError(
      cal.events.insert({ calendarId, requestBody: { ...timed(9), eventType: 'fromGmail' } }),
    );
    expect(fromGmail.status).toBe(400);
  });

  it('calendars.get/insert and calendarList.list/get', async () => {
    const created = (await cal.calendars.insert({ requestBody: { summary: 'Team', timeZone: 'Asia/Tokyo' } })).data;
    expect(created).toMatchObject({ kind: 'calendar#calendar', summary: 'Team', timeZone: 'Asia/Tokyo' });
    expect(created.id).toMatch(/@group\.calendar\.google\.com$/);
    const got = (await cal.calendars.get({ calendarId: created.id! })).data;
    expect(got.etag).toBe(created.etag);
    const entry = (await cal.calendarList.get({ calendarId: created.id! })).data;
    expect(entry).toMatchObject({ kind: 'calendar#calendarListEntry', accessRole: 'owner', summary: 'Team' });
    const list = (await cal.calendarList.list()).data;
    expect(list.kind).toBe('calendar#calendarList');
    expect(list.items?.some((i) => i.id === created.id)).toBe(true);
    expect(list.nextSyncToken).toBeTruthy();
    const paged = (await cal.calendarList.list({ maxResults: 1 })).data;
    expect(paged.items?.length).toBe(1);
    expect(paged.nextPageToken).toBeTruthy();
    expect(paged.nextSyncToken).toBeUndefined();
    const inc = await cal.calendarList.list({ syncToken: list.nextSyncToken! });
    expect(inc.data.items).toEqual([]);
    await cal.calendars.insert({ requestBody: { summary: 'Later' } });
    expect((await cal.calendarList.list({ syncToken: list.nextSyncToken! })).data.items?.map((i) => i.summary)).toEqual(
      ['Later'],
    );
    const missing = await expectApiError(cal.calendars.get({ calendarId: 'nope@group.calendar.google.com' }));
    expect(missing.status).toBe(404);
  });

  it('freeBusy.query returns busy intervals of opaque events', async () => {
    const calendarId = await freshCalendar();
    await cal.events.insert({ calendarId, requestBody: timed(20) });
    await cal.events.insert({ calendarId, requestBody: { ...timed(21), transparency: 'transparent' } });
    const fb: calendar_v3.Schema$FreeBusyResponse = (
      await cal.freebusy.query({
        requestBody: {
          timeMin: '2030-03-19T00:00:00Z',
          timeMax: '2030-03-23T00:00:00Z',
          items: [{ id: calendarId }, { id: 'x@example.com' }],
        },
      })
    ).data;
    expect(fb.calendars?.[calendarId]?.busy).toEqual([{ start: '2030-03-20T10:00:00Z', end: '2030-03-20T11:00:00Z' }]);
    expect(fb.calendars?.['x@example.com']?.errors?.[0]?.reason).toBe('notFound');
  });
});
