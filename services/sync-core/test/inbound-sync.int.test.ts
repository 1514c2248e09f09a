import type { MirrorEventsResponse } from '@gcal-sync/shared';
import { waitFor } from '@gcal-sync/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { googleLiveEvents, type InboundStack, readApi, startInboundStack, startSyncCore } from './inbound-harness';

const LA = 'America/Los_Angeles';
const SEED = 3000;

/** Google → app against the emulator, real Kafka and Postgres, sync-core in-process. */
describe('sync-core inbound', () => {
  let stack: InboundStack;
  let service: { url: string; stop(): Promise<void> };
  let focusId = '';
  /** Google's live events minus the focus-time one (filtered by eventTypes). */
  const live = async () => {
    const all = await googleLiveEvents(stack.emulator.url, stack.calendarId, stack.account.accessToken);
    all.delete(focusId);
    return all;
  };
  const mirrorLive = async () =>
    new Map((await stack.mirror()).filter((r) => r.status !== 'cancelled').map((r) => [r.id, r.etag]));
  const until = (what: string, fn: () => unknown, timeoutMs = 30_000) =>
    waitFor(fn, { timeoutMs, intervalMs: 50 }).catch((e) => {
      throw new Error(`timed out waiting for ${what}`, { cause: e });
    });
  const changeFor = (eventId: string, version: number) =>
    stack.changes
      .waitForMessage((m) => m.value.payload.eventId === eventId && m.value.payload.version === version)
      .then((m) => m.value);

  beforeAll(async () => {
    stack = await startInboundStack();
    const day = Date.parse('2026-07-01T16:00:00Z');
    // 3,000 events, seeded through the control API (same mutation path as the Calendar API).
    for (let i = 0; i < SEED; i += 100) {
      await Promise.all(
        Array.from({ length: Math.min(100, SEED - i) }, (_, j) => {
          const start = day + (i + j) * 3_600_000;
          return stack.control.createEvent(stack.calendarId, {
            summary: `Seed ${i + j}`,
            start: { dateTime: new Date(start).toISOString(), timeZone: 'UTC' },
            end: { dateTime: new Date(start + 1_800_000).toISOString(), timeZone: 'UTC' },
          });
        }),
      );
    }
    // Non-default types are filtered with eventTypes.
    focusId = (
      await stack.control.createEvent(stack.calendarId, {
        summary: 'Focus',
        eventType: 'focusTime',
        start: { dateTime: '2026-07-01T09:00:00-07:00', timeZone: LA },
        end: { dateTime: '2026-07-01T11:00:00-07:00', timeZone: LA },
      })
    ).id;
    service = await startSyncCore(stack.env());
  });
  afterAll(async () => {
    await service?.stop();
    await stack?.stop();
  });

  it('first full sync of a 3,000-event calendar: mirror, one created event each, two pages', async () => {
    await stack.control.resetCounters();
    await stack.select();
    await until('3,000 created change events', () => stack.changes.messages.length >= SEED, 60_000);
    expect(await stack.control.calls('calendar.events.list')).toBe(2);
    const mirror = await stack.mirror();
    expect(mirror).toHaveLength(SEED);
    expect(await mirrorLive()).toEqual(await live());
    const created = stack.changes.messages.map((m) => m.value.payload);
    expect(new Set(created.map((p) => p.eventId)).size).toBe(SEED);
    expect(created.every((p) => p.change === 'created' && p.version === 1 && p.source === 'google')).toBe(true);
    expect(await stack.syncState()).toMatchObject({ state: 'ok', hasToken: true, pending: false });
  });

  it('an edit, a delete and an all-day event each produce the right change event', async () => {
    const [first, second] = (await stack.mirror()).slice(0, 2);
    await stack.control.editEvent(stack.calendarId, first!.id, { summary: 'Renamed', location: 'Room 4' });
    await stack.notify();
    const updated = await changeFor(first!.id, 2);
    expect(updated.payload).toMatchObject({
      change: 'updated',
      changedFields: ['summary', 'location'],
      source: 'google',
      recurrence: 'single',
    });
    expect(updated.payload.event).toMatchObject({ summary: 'Renamed', location: 'Room 4' });
    expect(updated.payload.previous?.start).toEqual(updated.payload.event.start);

    await stack.control.deleteEvent(stack.calendarId, second!.id);
    await stack.notify();
    const deleted = await changeFor(second!.id, 2);
    expect(deleted.payload).toMatchObject({ change: 'deleted', event: { status: 'cancelled', id: second!.id } });
    expect(deleted.payload.event.summary).toMatch(/^Seed/);

    const allDay = await stack.control.createEvent(stack.calendarId, {
      summary: 'Offsite',
      start: { date: '2026-08-03' },
      end: { date: '2026-08-05' },
      attendees: [{ email: 'bob@example.com', responseStatus: 'tentative' }],
    });
    await stack.notify();
    const created = await changeFor(allDay.id, 1);
    expect(created.payload.event).toMatchObject({
      allDay: true,
      start: { date: '2026-08-03' },
      end: { date: '2026-08-05' },
      attendees: [{ email: 'bob@example.com', responseStatus: 'tentative' }],
    });
  });

  it('recurring: series created, one instance moved (old and new start), one cancelled, a series split', async () => {
    const master = await stack.control.createEvent(stack.calendarId, {
      summary: 'Weekly 1:1',
      start: { dateTime: '2026-06-05T14:00:00-07:00', timeZone: LA },
      end: { dateTime: '2026-06-05T14:30:00-07:00', timeZone: LA },
      recurrence: ['RRULE:FREQ=WEEKLY;COUNT=10'],
    });
    await stack.notify();
    expect((await changeFor(master.id, 1)).payload).toMatchObject({ change: 'created', recurrence: 'series' });

    // Move the 12 June instance from 14:00 to 15:00 Los Angeles time.
    const instanceId = `${master.id}_20260612T210000Z`;
    await stack.control.editEvent(stack.calendarId, instanceId, {
      start: { dateTime: '2026-06-12T15:00:00-07:00', timeZone: LA },
      end: { dateTime: '2026-06-12T15:30:00-07:00', timeZone: LA },
    });
    await stack.notify();
    const moved = await changeFor(instanceId, 1);
    expect(moved.payload).toMatchObject({ change: 'updated', recurrence: 'instance', changedFields: ['start', 'end'] });
    expect(moved.payload.event.recurringEventId).toBe(master.id);
    expect(Date.parse(moved.payload.previous?.start?.dateTime ?? '')).toBe(Date.parse('2026-06-12T14:00:00-07:00'));
    expect(moved.payload.event.start).toEqual({ dateTime: '2026-06-12T15:00:00-07:00', timeZone: LA });

    const cancelledId = `${master.id}_20260619T210000Z`;
    await stack.control.deleteEvent(stack.calendarId, cancelledId);
    await stack.notify();
    const cancelled = await changeFor(cancelledId, 1);
    expect(cancelled.payload).toMatchObject({ change: 'deleted', recurrence: 'instance' });
    expect(Date.parse(cancelled.payload.previous?.start?.dateTime ?? '')).toBe(Date.parse('2026-06-19T14:00:00-07:00'));

    // "This and following" from 3 July: the series is truncated and a new one starts.
    const split = await stack.control.splitSeries(stack.calendarId, `${master.id}_20260703T210000Z`, {
      summary: 'Weekly 1:1 (new time)',
    });
    await stack.notify();
    const truncated = await changeFor(master.id, 2);
    expect(truncated.payload).toMatchObject({ change: 'updated', recurrence: 'series-split' });
    expect(truncated.payload.changedFields).toContain('recurrence');
    const following = await changeFor(split.created.id, 1);
    expect(following.payload).toMatchObject({
      change: 'created',
      recurrence: 'series-split',
      event: { summary: 'Weekly 1:1 (new time)' },
    });
  });

  it('read API: window, recurrence expanded on request, get, 404, authentication', async () => {
    const base = `/connections/conn-1/calendars/${encodeURIComponent(stack.calendarId)}/events`;
    const window = 'timeMin=2026-06-01T00:00:00Z&timeMax=2026-07-01T00:00:00Z';
    const plain = await readApi<MirrorEventsResponse>(service.url, `${base}?${window}`);
    expect(plain.status).toBe(200);
    expect(plain.body.calendar.syncState).toBe('ok');
    const expanded = await readApi<MirrorEventsResponse>(service.url, `${base}?${window}&expand=true`);
    const weekly = expanded.body.items.filter((i) => i.event.summary === 'Weekly 1:1');
    // 5, 12 (moved, an exception), 26 June; 19 June cancelled.
    expect(weekly.map((i) => i.event.start?.dateTime)).toEqual([
      '2026-06-05T14:00:00-07:00',
      '2026-06-12T15:00:00-07:00',
      '2026-06-26T14:00:00-07:00',
    ]);
    const one = await readApi<{ event: { id: string }; version: number }>(
      service.url,
      `${base}/${weekly[1]!.event.id}`,
    );
    expect(one.body).toMatchObject({ event: { id: weekly[1]!.event.id }, version: 1 });
    expect((await readApi(service.url, `${base}/nope`)).status).toBe(404);
    expect((await readApi(service.url, `${base}?expand=true`)).status).toBe(400);
    expect((await fetch(`${service.url}/internal${base}`)).status).toBe(401);
  });

  it('410: full resync with nothing lost and deleted events removed', async () => {
    const before = await stack.mirror();
    const victims = before.filter((r) => r.status !== 'cancelled').slice(10, 15);
    await stack.control.invalidateSyncTokens(stack.calendarId);
    for (const v of victims) await stack.control.deleteEvent(stack.calendarId, v.id);
    const added = await stack.control.createEvent(stack.calendarId, {
      summary: 'While the token was gone',
      start: { dateTime: '2026-09-01T10:00:00Z' },
      end: { dateTime: '2026-09-01T11:00:00Z' },
    });
    await stack.control.resetCounters();
    await stack.notify();
    await changeFor(added.id, 1);
    for (const v of victims) expect((await changeFor(v.id, v.version + 1)).payload.change).toBe('deleted');
    // One failing incremental call (410), then the full listing's two pages.
    expect(await stack.control.calls('calendar.events.list')).toBe(3);
    expect(await mirrorLive()).toEqual(await live());
  });

  it('a storm of 500 notifications costs at most 5 events.list calls', async () => {
    const target = (await stack.mirror()).find((r) => r.status !== 'cancelled')!;
    await stack.control.editEvent(stack.calendarId, target.id, { summary: 'Storm' });
    await stack.control.resetCounters();
    await Promise.all(Array.from({ length: 500 }, () => stack.notify()));
    await changeFor(target.id, target.version + 1);
    await until('the storm to be absorbed', async () => (await stack.syncState())?.pending === false);
    await new Promise((r) => setTimeout(r, 1_000));
    const calls = await stack.control.calls('calendar.events.list');
    expect(calls).toBeGreaterThanOrEqual(1);
    expect(calls).toBeLessThanOrEqual(5);
    expect(stack.changesOf(target.id).filter((m) => m.payload.version === target.version + 1)).toHaveLength(1);
  });

  it('revoked → paused → reauthorized → resumes from the stored sync token', async () => {
    await stack.producer.lifecycle(stack.orgId, stack.connectionId, { type: 'revoked', reason: 'invalid_grant' });
    await until('revoked state', async () => (await stack.syncState())?.state === 'revoked');
    const target = (await stack.mirror()).find((r) => r.status !== 'cancelled')!;
    await stack.control.editEvent(stack.calendarId, target.id, { summary: 'Edited while revoked' });
    await stack.control.resetCounters();
    await stack.notify();
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await stack.control.calls('calendar.events.list')).toBe(0);
    expect(await stack.syncState()).toMatchObject({ state: 'revoked', hasToken: true, pending: true });

    const countBefore = stack.changes.messages.length;
    await stack.producer.lifecycle(stack.orgId, stack.connectionId, {
      type: 'reauthorized',
      googleSubject: 'sub',
      email: stack.account.email,
    });
    const resumed = await changeFor(target.id, target.version + 1);
    expect(resumed.payload.event.summary).toBe('Edited while revoked');
    await until('sync state ok', async () => (await stack.syncState())?.state === 'ok');
    // Incremental, not a full resync: one call, and only the edit was published.
    expect(await stack.control.calls('calendar.events.list')).toBe(1);
    expect(stack.changes.messages.length - countBefore).toBe(1);
  });

  it('metrics: calendars by state, Google calls, edit → change-event latency', async () => {
    const text = await (await fetch(`${service.url}/metrics`)).text();
    expect(text).toMatch(/sync_calendars\{[^}]*state="ok"[^}]*\} 1/);
    expect(text).toMatch(/google_api_calls_total\{[^}]*method="events.list"[^}]*outcome="ok"/);
    expect(text).toMatch(/google_edit_to_change_event_seconds_count\{[^}]*\} [1-9]/);
    expect(text).toMatch(/google_quota_bucket_tokens\{[^}]*bucket="project"/);
    expect(text).toMatch(/google_quota_bucket_capacity\{[^}]*bucket="connection_min"[^}]*\} 54/);
  });

  it('two replicas: the Postgres lock lets only one of them sync the calendar at a time', async () => {
    const second = await startSyncCore(stack.env());
    try {
      const target = (await stack.mirror()).find((r) => r.status !== 'cancelled')!;
      await stack.control.editEvent(stack.calendarId, target.id, { summary: 'Seen by two replicas' });
      await stack.control.resetCounters();
      // A slow Google answer: both replicas' sweeps see the pending request while the first syncs.
      await stack.control.injectFault({ method: 'calendar.events.list', latencyMs: 1_500, times: 1 });
      await stack.pool.query('UPDATE sync_calendars SET requested_seq = requested_seq + 1');
      await changeFor(target.id, target.version + 1);
      await until('no pending sync', async () => (await stack.syncState())?.pending === false);
      await new Promise((r) => setTimeout(r, 1_500));
      expect(await stack.control.calls('calendar.events.list')).toBe(1);
      expect(stack.changesOf(target.id).filter((m) => m.payload.version === target.version + 1)).toHaveLength(1);
    } finally {
      await second.stop();
    }
  });

  it('calendars.deselected: syncing stops and the app is told every mirrored event is gone', async () => {
    const liveBefore = (await stack.mirror()).filter((r) => r.status !== 'cancelled');
    const countBefore = stack.changes.messages.length;
    await stack.producer.lifecycle(stack.orgId, stack.connectionId, {
      type: 'calendars.deselected',
      calendarIds: [stack.calendarId],
    });
    await until(
      'a deletion per live event',
      () => stack.changes.messages.length - countBefore >= liveBefore.length,
      60_000,
    );
    const deletions = stack.changes.messages.slice(countBefore).map((m) => m.value.payload);
    expect(deletions.every((p) => p.change === 'deleted')).toBe(true);
    expect(new Set(deletions.map((p) => p.eventId))).toEqual(new Set(liveBefore.map((r) => r.id)));
    await stack.control.resetCounters();
    await stack.notify();
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await stack.control.calls('calendar.events.list')).toBe(0);
    const calendars = await readApi<{ items: { calendarId: string; selected: boolean }[] }>(
      service.url,
      '/connections/conn-1/calendars',
    );
    expect(calendars.body.items).toEqual([expect.objectContaining({ calendarId: stack.calendarId, selected: false })]);
  });
});
