import { type RunningEmulator, startEmulator } from '@gcal-sync/google-emulator';
import { waitFor } from '@gcal-sync/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventIdForBooking } from '../src/outbound';
import { type EmulatorEvent, type OutboundWorld, startOutboundWorld } from './outbound-harness';

let emulator: RunningEmulator;
let w: OutboundWorld;

const LA = 'America/Los_Angeles';
const at = (dateTime: string) => ({ dateTime, timeZone: LA });
const now = () => new Date().toISOString();
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

async function book(bookingId: string, extra: Record<string, unknown> = {}) {
  const res = await w.api.create({
    bookingId,
    editedAt: now(),
    fields: {
      summary: `Customer call ${bookingId}`,
      description: 'Discovery call',
      location: 'Zoom',
      start: at('2026-06-12T14:00:00-07:00'),
      end: at('2026-06-12T14:30:00-07:00'),
      attendees: [{ email: 'customer@example.com', displayName: 'Customer' }],
      reminders: { useDefault: false, overrides: [{ method: 'popup', minutes: 10 }] },
      ...extra,
    },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { eventId: string; etag: string; version: number; calendarId: string };
}

beforeAll(async () => {
  emulator = await startEmulator();
  w = await startOutboundWorld({ emulatorUrl: emulator.url });
});

afterAll(async () => {
  await w?.stop();
  await emulator?.stop();
});

describe('booking API against the emulator', () => {
  it('creates an event on the default calendar with the booking id, time zone and app fields', async () => {
    const created = await book('b-create');
    expect(created.eventId).toBe(eventIdForBooking('b-create'));
    expect(created.calendarId).toBe(w.calendarId);
    expect(created.version).toBe(1);
    const g = await w.control.getEvent<EmulatorEvent>(w.calendarId, created.eventId);
    expect(g).toMatchObject({
      status: 'confirmed',
      summary: 'Customer call b-create',
      start: { dateTime: expect.stringContaining('2026-06-12T'), timeZone: LA },
      extendedProperties: { private: { bookingId: 'b-create', gcalSyncWriteId: expect.any(String) } },
      reminders: { useDefault: false, overrides: [{ method: 'popup', minutes: 10 }] },
    });
    expect(g.etag).toBe(created.etag);
    const result = await w.results.waitForMessage((m) => m.value.payload.bookingId === 'b-create');
    expect(result.value.payload).toMatchObject({ outcome: 'succeeded', eventId: created.eventId, version: 1 });
  });

  it('resolves a retried create to the one existing event', async () => {
    const first = await book('b-retry');
    const again = await book('b-retry', { summary: 'ignored on retry' });
    expect(again.eventId).toBe(first.eventId);
    expect(again.etag).toBe(first.etag);
    const counters = await w.control.counters();
    expect(Object.values(counters['calendar.events.insert'] ?? {}).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(
      3,
    );
    expect((await w.control.getEvent<EmulatorEvent>(w.calendarId, first.eventId)).summary).toBe(
      'Customer call b-retry',
    );
    // The same idempotency key answers the stored outcome without calling Google.
    const body = {
      bookingId: 'b-key',
      commandId: 'cmd-key-1',
      editedAt: now(),
      fields: { summary: 'k', start: at('2026-06-13T10:00:00-07:00'), end: at('2026-06-13T11:00:00-07:00') },
    };
    const a = await w.api.create(body);
    const b = await w.api.create(body);
    expect(b.body).toEqual(a.body);
  });

  it('updates only app-owned fields and keeps RSVPs and foreign fields', async () => {
    const created = await book('b-update');
    // The customer accepts in Google: the etag changes, which is not a conflict with a time change.
    const rsvp = await w.control.editEvent(w.calendarId, created.eventId, {
      attendees: [{ email: 'customer@example.com', displayName: 'Customer', responseStatus: 'accepted' }],
      colorId: '5',
    });
    expect(rsvp.etag).not.toBe(created.etag);
    const res = await w.api.update(created.eventId, {
      bookingId: 'b-update',
      expectedVersion: created.version,
      editedAt: now(),
      fields: { start: at('2026-06-12T15:00:00-07:00'), end: at('2026-06-12T15:30:00-07:00') },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      status: 'applied',
      merged: true,
      conflict: { resolution: 'merged', collidingFields: [] },
    });
    const g = await w.control.getEvent<EmulatorEvent>(w.calendarId, created.eventId);
    expect(Date.parse(g.start.dateTime)).toBe(Date.parse('2026-06-12T15:00:00-07:00'));
    expect(g.attendees[0].responseStatus).toBe('accepted');
    expect(g.colorId).toBe('5');
    expect(g.description).toBe('Discovery call');
  });

  it('merges a concurrent Google edit of another field: both stand', async () => {
    const created = await book('b-merge');
    await w.control.editEvent(w.calendarId, created.eventId, { description: 'Agenda edited in Google' });
    const res = await w.api.update(created.eventId, {
      bookingId: 'b-merge',
      expectedVersion: created.version,
      editedAt: now(),
      fields: { start: at('2026-06-12T16:00:00-07:00'), end: at('2026-06-12T16:30:00-07:00') },
    });
    expect(res.status).toBe(200);
    expect(res.body.conflict).toMatchObject({
      resolution: 'merged',
      appFields: ['start', 'end'],
      googleFields: ['description'],
    });
    const g = await w.control.getEvent<EmulatorEvent>(w.calendarId, created.eventId);
    expect(g.description).toBe('Agenda edited in Google');
    expect(Date.parse(g.start.dateTime)).toBe(Date.parse('2026-06-12T16:00:00-07:00'));
    const [row] = (
      await w.pool.query(`SELECT resolution FROM outbound_conflicts WHERE event_id = $1`, [created.eventId])
    ).rows;
    expect(row.resolution).toBe('merged');
  });

  it('last write wins on the same field: the app when clearly newer, a typed 409 when Google is newer', async () => {
    const appNewer = await book('b-lww-app');
    await w.control.setClock(ago(60_000)); // the Google edit happened a minute ago
    await w.control.editEvent(w.calendarId, appNewer.eventId, { summary: 'Renamed in Google' });
    await w.control.setClock(now());
    const won = await w.api.update(appNewer.eventId, {
      bookingId: 'b-lww-app',
      expectedVersion: appNewer.version,
      editedAt: now(),
      fields: { summary: 'Renamed in the app' },
    });
    expect(won.status).toBe(200);
    expect(won.body.conflict).toMatchObject({ resolution: 'app-won', collidingFields: ['summary'] });
    expect((await w.control.getEvent<EmulatorEvent>(w.calendarId, appNewer.eventId)).summary).toBe(
      'Renamed in the app',
    );

    const googleNewer = await book('b-lww-google');
    const editedAt = ago(30_000); // the rep edited half a minute ago; Google was edited since
    await w.control.editEvent(w.calendarId, googleNewer.eventId, { summary: 'Renamed in Google' });
    const lost = await w.api.update(googleNewer.eventId, {
      bookingId: 'b-lww-google',
      expectedVersion: googleNewer.version,
      editedAt,
      fields: { summary: 'Renamed in the app' },
    });
    expect(lost.status).toBe(409);
    expect(lost.body.error).toMatchObject({
      code: 'conflict',
      message: 'The calendar has been updated elsewhere; reload to see the latest.',
      current: { id: googleNewer.eventId, summary: 'Renamed in Google' },
      conflict: { resolution: 'google-won', collidingFields: ['summary'] },
    });
    expect((await w.control.getEvent<EmulatorEvent>(w.calendarId, googleNewer.eventId)).summary).toBe(
      'Renamed in Google',
    );
    const published = await w.results.waitForMessage(
      (m) => m.value.payload.bookingId === 'b-lww-google' && m.value.payload.outcome === 'failed',
    );
    expect(published.value.payload).toMatchObject({ error: 'conflict', conflict: { resolution: 'google-won' } });
  });

  it('deletes; deleting again is not an error; updating a Google-deleted event is a typed conflict', async () => {
    const created = await book('b-delete');
    const del = await w.api.remove(created.eventId, {
      bookingId: 'b-delete',
      expectedVersion: created.version,
      editedAt: now(),
    });
    expect(del.status, JSON.stringify(del.body)).toBe(200);
    expect((await w.control.getEvent<EmulatorEvent>(w.calendarId, created.eventId)).status).toBe('cancelled');
    const again = await w.api.remove(created.eventId, {
      bookingId: 'b-delete',
      expectedVersion: created.version,
      editedAt: now(),
    });
    expect(again.status).toBe(200);
    expect(again.body.alreadyDeleted).toBe(true);

    const gone = await book('b-gone');
    await w.control.deleteEvent(w.calendarId, gone.eventId);
    const upd = await w.api.update(gone.eventId, {
      bookingId: 'b-gone',
      expectedVersion: gone.version,
      editedAt: now(),
      fields: { summary: 'too late' },
    });
    expect(upd.status).toBe(409);
    expect(upd.body.error).toMatchObject({ code: 'conflict', conflict: { resolution: 'deleted-in-google' } });
  });

  it('writes all-day events and validates input with clear errors', async () => {
    const allDay = await book('b-allday', { start: { date: '2026-07-01' }, end: { date: '2026-07-02' } });
    expect((await w.control.getEvent<EmulatorEvent>(w.calendarId, allDay.eventId)).start).toEqual({
      date: '2026-07-01',
    });
    const bad = await w.api.create({ bookingId: 'b-bad', editedAt: now(), fields: { start: { date: 'tomorrow' } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_request');
    const noEnd = await w.api.create({
      bookingId: 'b-noend',
      editedAt: now(),
      fields: { start: { date: '2026-07-01' } },
    });
    expect(noEnd.status).toBe(400);
    expect(noEnd.body.error.code).toBe('invalid');
  });
});

describe('recurring events', () => {
  const series = async (bookingId: string) =>
    book(bookingId, {
      start: at('2026-06-10T14:00:00-07:00'),
      end: at('2026-06-10T14:30:00-07:00'),
      recurrence: ['RRULE:FREQ=DAILY;COUNT=10'],
    });
  // The occurrence on 12 June, 14:00 in Los Angeles (21:00 UTC).
  const june12 = (id: string) => `${id}_20260612T210000Z`;

  it('asks for a scope on a recurring event', async () => {
    const s = await series('r-scope');
    const res = await w.api.update(june12(s.eventId), {
      bookingId: 'r-scope',
      expectedVersion: s.version,
      editedAt: now(),
      fields: { summary: 'x' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('scope_required');
    const master = await w.api.update(s.eventId, {
      bookingId: 'r-scope',
      expectedVersion: s.version,
      editedAt: now(),
      fields: { summary: 'x' },
    });
    expect(master.body.error.code).toBe('scope_required');
  });

  it('edits one instance, the whole series, and this-and-following', async () => {
    const s = await series('r-edit');
    const one = await w.api.update(june12(s.eventId), {
      bookingId: 'r-edit',
      expectedVersion: s.version,
      scope: 'instance',
      editedAt: now(),
      fields: { start: at('2026-06-12T15:00:00-07:00'), end: at('2026-06-12T15:30:00-07:00') },
    });
    expect(one.status, JSON.stringify(one.body)).toBe(200);
    const instance = await w.control.getEvent<EmulatorEvent>(w.calendarId, june12(s.eventId));
    expect(instance).toMatchObject({ recurringEventId: s.eventId });
    expect(Date.parse(instance.start.dateTime)).toBe(Date.parse('2026-06-12T15:00:00-07:00'));
    expect((await w.control.getEvent<EmulatorEvent>(w.calendarId, s.eventId)).start.dateTime).toContain('14:00');

    const all = await w.api.update(s.eventId, {
      bookingId: 'r-edit',
      expectedVersion: s.version,
      scope: 'series',
      editedAt: now(),
      fields: { summary: 'Weekly sync (renamed)' },
    });
    expect(all.status, JSON.stringify(all.body)).toBe(200);
    expect((await w.control.getEvent<EmulatorEvent>(w.calendarId, s.eventId)).summary).toBe('Weekly sync (renamed)');

    const june15 = `${s.eventId}_20260615T210000Z`;
    const following = await w.api.update(june15, {
      bookingId: 'r-edit',
      expectedVersion: all.body.version,
      scope: 'following',
      editedAt: now(),
      fields: { location: 'Room 2' },
    });
    expect(following.status, JSON.stringify(following.body)).toBe(200);
    const master = await w.control.getEvent<EmulatorEvent>(w.calendarId, s.eventId);
    expect(master.recurrence).toEqual(['RRULE:FREQ=DAILY;COUNT=5']);
    const next = await w.control.getEvent<EmulatorEvent>(w.calendarId, following.body.followingEventId);
    expect(next).toMatchObject({
      recurrence: ['RRULE:FREQ=DAILY;COUNT=5'],
      location: 'Room 2',
      summary: 'Weekly sync (renamed)',
      start: { timeZone: LA },
    });
    expect(Date.parse(next.start.dateTime)).toBe(Date.parse('2026-06-15T14:00:00-07:00'));
  });

  it('deletes one instance and this-and-following', async () => {
    const s = await series('r-delete');
    const one = await w.api.remove(june12(s.eventId), {
      bookingId: 'r-delete',
      expectedVersion: s.version,
      scope: 'instance',
      editedAt: now(),
    });
    expect(one.status, JSON.stringify(one.body)).toBe(200);
    expect((await w.control.getEvent<EmulatorEvent>(w.calendarId, june12(s.eventId))).status).toBe('cancelled');
    const rest = await w.api.remove(`${s.eventId}_20260617T210000Z`, {
      bookingId: 'r-delete',
      expectedVersion: s.version,
      scope: 'following',
      editedAt: now(),
    });
    expect(rest.status, JSON.stringify(rest.body)).toBe(200);
    expect((await w.control.getEvent<EmulatorEvent>(w.calendarId, s.eventId)).recurrence).toEqual([
      'RRULE:FREQ=DAILY;COUNT=7',
    ]);
  });
});

describe('service surface', () => {
  it('exposes write latency and Google calls by method and outcome', async () => {
    const text = await waitFor(async () => {
      const body = await (await fetch(`${w.service.url}/metrics`)).text();
      return body.includes('app_to_google_write_duration_seconds_bucket') && body;
    });
    expect(text).toMatch(/outbound_google_calls_total\{[^}]*method="events.insert"[^}]*outcome="ok"/);
    expect(text).toMatch(
      /outbound_google_calls_total\{[^}]*method="events.patch"[^}]*outcome="precondition-failed",status="412",reason="conditionNotMet"/,
    );
    expect(text).toMatch(
      /outbound_google_calls_total\{[^}]*method="events.insert"[^}]*outcome="ok",status="200",reason="none"/,
    );
  });

  it('refuses callers without the service credential', async () => {
    const res = await fetch(`${w.service.url}/internal/connections/${w.connectionId}/events`, { method: 'POST' });
    expect(res.status).toBe(401);
  });
});
