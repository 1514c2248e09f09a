import type { CalendarEvent } from '@gcal-sync/shared';
import { describe, expect, it } from 'vitest';
import { changedFields } from './changed-fields';

const base: CalendarEvent = {
  id: 'e1',
  calendarId: 'c',
  status: 'confirmed',
  summary: 'Standup',
  start: { dateTime: '2026-06-12T14:00:00-07:00', timeZone: 'America/Los_Angeles' },
  end: { dateTime: '2026-06-12T14:30:00-07:00', timeZone: 'America/Los_Angeles' },
  allDay: false,
  attendees: [{ email: 'a@x.test', responseStatus: 'accepted' }],
  etag: '"1"',
  updated: '2026-06-01T00:00:00.000Z',
};

describe('changedFields', () => {
  it('ignores bookkeeping fields', () => {
    expect(changedFields(base, { ...base, etag: '"2"', updated: '2026-06-02T00:00:00.000Z', sequence: 3 })).toEqual([]);
  });
  it('lists moved times and new attendees in a stable order', () => {
    const next = {
      ...base,
      start: { dateTime: '2026-06-12T15:00:00-07:00', timeZone: 'America/Los_Angeles' },
      attendees: [...base.attendees, { email: 'b@x.test', responseStatus: 'needsAction' as const }],
    };
    expect(changedFields(base, next)).toEqual(['start', 'attendees']);
  });
  it('does not care about key order', () => {
    const next = { ...base, start: { timeZone: 'America/Los_Angeles', dateTime: '2026-06-12T14:00:00-07:00' } };
    expect(changedFields(base, next)).toEqual([]);
  });
  it('notices a removed field', () => {
    const { summary: _s, ...rest } = base;
    expect(changedFields(base, rest as CalendarEvent)).toEqual(['summary']);
  });
});
