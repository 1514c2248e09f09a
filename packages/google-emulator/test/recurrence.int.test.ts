import type { calendar_v3 } from 'googleapis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../src/index';
import { authorise, calendarApi, start } from './harness';

let emu: RunningEmulator;
let cal: calendar_v3.Calendar;
const calendarId = 'primary';

beforeAll(async () => {
  emu = await start();
  const { client } = await authorise(emu.url, 'recur@example.com');
  cal = calendarApi(emu.url, client);
});
afterAll(async () => {
  await emu.stop();
});

const weekly = (extra: string[] = []): calendar_v3.Schema$Event => ({
  summary: 'Weekly',
  start: { dateTime: '2030-03-05T09:00:00', timeZone: 'Europe/Paris' },
  end: { dateTime: '2030-03-05T10:00:00', timeZone: 'Europe/Paris' },
  recurrence: ['RRULE:FREQ=WEEKLY;COUNT=6', ...extra],
});

describe('recurrence', () => {
  it('singleEvents expands RRULE/EXDATE/RDATE in the event time zone with <id>_<YYYYMMDDTHHMMSSZ> instance ids', async () => {
    const master = (
      await cal.events.insert({
        calendarId,
        requestBody: weekly(['EXDATE;TZID=Europe/Paris:20300312T090000', 'RDATE;TZID=Europe/Paris:20300307T090000']),
      })
    ).data;
    const list = await cal.events.list({
      calendarId,
      singleEvents: true,
      orderBy: 'startTime',
      iCalUID: master.iCalUID!,
    });
    const items = list.data.items ?? [];
    expect(items.map((i) => i.id)).toEqual([
      `${master.id}_20300305T080000Z`,
      `${master.id}_20300307T080000Z`,
      `${master.id}_20300319T080000Z`,
      `${master.id}_20300326T080000Z`,
      `${master.id}_20300402T070000Z`, // after the DST change: still 09:00 in Paris
      `${master.id}_20300409T070000Z`,
    ]);
    expect(items[4]).toMatchObject({
      recurringEventId: master.id,
      originalStartTime: { dateTime: '2030-04-02T09:00:00+02:00', timeZone: 'Europe/Paris' },
      start: { dateTime: '2030-04-02T09:00:00+02:00', timeZone: 'Europe/Paris' },
      iCalUID: master.iCalUID,
      summary: 'Weekly',
    });
    const unexpanded = await cal.events.list({ calendarId, iCalUID: master.iCalUID! });
    expect(unexpanded.data.items?.map((i) => i.id)).toEqual([master.id]);
  });

  it('all-day recurring instances use <id>_<YYYYMMDD>', async () => {
    const master = (
      await cal.events.insert({
        calendarId,
        requestBody: {
          summary: 'Daily',
          start: { date: '2030-05-01' },
          end: { date: '2030-05-02' },
          recurrence: ['RRULE:FREQ=DAILY;COUNT=3'],
        },
      })
    ).data;
    const inst = await cal.events.instances({ calendarId, eventId: master.id! });
    expect(inst.data.items?.map((i) => i.id)).toEqual([
      `${master.id}_20300501`,
      `${master.id}_20300502`,
      `${master.id}_20300503`,
    ]);
    expect(inst.data.items?.[1]).toMatchObject({
      start: { date: '2030-05-02' },
      end: { date: '2030-05-03' },
      originalStartTime: { date: '2030-05-02' },
    });
  });

  it('editing one instance makes a modified exception (recurringEventId + originalStartTime); cancelling one makes a cancelled exception', async () => {
    const master = (await cal.events.insert({ calendarId, requestBody: weekly() })).data;
    const instances = (await cal.events.instances({ calendarId, eventId: master.id! })).data.items ?? [];
    const second = instances[1]!;
    const third = instances[2]!;
    const moved = (
      await cal.events.patch({
        calendarId,
        eventId: second.id!,
        requestBody: {
          summary: 'Moved',
          start: { dateTime: '2030-03-12T11:00:00+01:00', timeZone: 'Europe/Paris' },
          end: { dateTime: '2030-03-12T12:00:00+01:00', timeZone: 'Europe/Paris' },
        },
      })
    ).data;
    expect(moved).toMatchObject({
      id: second.id,
      recurringEventId: master.id,
      originalStartTime: second.originalStartTime,
      summary: 'Moved',
    });
    await cal.events.delete({ calendarId, eventId: third.id! });
    const after = (await cal.events.instances({ calendarId, eventId: master.id! })).data.items ?? [];
    expect(after.map((i) => i.id)).toEqual(instances.filter((i) => i.id !== third.id).map((i) => i.id));
    expect(after[1]?.summary).toBe('Moved');
    const token0 = await (async () => {
      const r = await cal.events.list({ calendarId, showDeleted: true, iCalUID: master.iCalUID! });
      return r.data.items ?? [];
    })();
    const cancelled = token0.find((i) => i.id === third.id);
    expect(cancelled).toMatchObject({
      status: 'cancelled',
      recurringEventId: master.id,
      originalStartTime: third.originalStartTime,
    });
    const get = (await cal.events.get({ calendarId, eventId: instances[0]!.id! })).data;
    expect(get.recurringEventId).toBe(master.id);
  });

  it('editing the series changes every unmodified instance', async () => {
    const master = (await cal.events.insert({ calendarId, requestBody: weekly() })).data;
    await cal.events.patch({ calendarId, eventId: master.id!, requestBody: { summary: 'Renamed' } });
    const inst = (await cal.events.instances({ calendarId, eventId: master.id! })).data.items ?? [];
    expect(inst.every((i) => i.summary === 'Renamed')).toBe(true);
  });

  it('incremental sync reports instance exceptions and series changes', async () => {
    const master = (await cal.events.insert({ calendarId, requestBody: weekly() })).data;
    let token = '';
    let pageToken: string | undefined;
    do {
      const r = await cal.events.list({ calendarId, pageToken, maxResults: 2500 });
      pageToken = r.data.nextPageToken ?? undefined;
      token = r.data.nextSyncToken ?? token;
    } while (pageToken);
    await emu.control.editEvent('recur@example.com', `${master.id}_20300319T080000Z`, { summary: 'UI edit' });
    const inc = (await cal.events.list({ calendarId, syncToken: token })).data.items ?? [];
    expect(inc).toEqual([
      expect.objectContaining({ id: `${master.id}_20300319T080000Z`, recurringEventId: master.id, summary: 'UI edit' }),
    ]);
  });

  it('"this and following" edits truncate the series with UNTIL and create a new series', async () => {
    const master = (await cal.events.insert({ calendarId, requestBody: weekly() })).data;
    const split = await emu.control.splitSeries('recur@example.com', `${master.id}_20300319T080000Z`, {
      summary: 'New era',
    });
    expect((split.original.recurrence as string[])[0]).toBe('RRULE:FREQ=WEEKLY;UNTIL=20300319T075959Z');
    const oldInst = (await cal.events.instances({ calendarId, eventId: master.id! })).data.items ?? [];
    expect(oldInst.map((i) => i.id)).toEqual([`${master.id}_20300305T080000Z`, `${master.id}_20300312T080000Z`]);
    const newId = split.created.id;
    expect(newId).toBe(`${master.id}_R20300319T090000`);
    const newInst = (await cal.events.instances({ calendarId, eventId: newId })).data.items ?? [];
    expect(newInst.length).toBe(6);
    expect(newInst[0]).toMatchObject({ summary: 'New era', start: { dateTime: '2030-03-19T09:00:00+01:00' } });
  });
});
