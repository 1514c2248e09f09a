import { calendarEventSchema } from '@gcal-sync/shared';
import { describe, expect, it } from 'vitest';
import { toCalendarEvent } from './to-calendar-event';

const now = '2026-06-01T00:00:00.000Z';

describe('toCalendarEvent', () => {
  it('keeps time zones and all-day dates exactly as Google gives them', () => {
    const timed = toCalendarEvent(
      {
        id: 'a',
        status: 'confirmed',
        etag: '"1"',
        updated: now,
        start: { dateTime: '2026-06-12T14:00:00-07:00', timeZone: 'America/Los_Angeles' },
        end: { dateTime: '2026-06-12T15:00:00-07:00', timeZone: 'America/Los_Angeles' },
      },
      'cal',
      { now },
    );
    expect(timed.start).toEqual({ dateTime: '2026-06-12T14:00:00-07:00', timeZone: 'America/Los_Angeles' });
    expect(timed.allDay).toBe(false);
    const allDay = toCalendarEvent(
      {
        id: 'b',
        status: 'confirmed',
        etag: '"1"',
        updated: now,
        start: { date: '2026-06-12' },
        end: { date: '2026-06-13' },
      },
      'cal',
      { now },
    );
    expect(allDay.start).toEqual({ date: '2026-06-12' });
    expect(allDay.allDay).toBe(true);
    expect(calendarEventSchema.safeParse(allDay).success).toBe(true);
  });

  it('maps attendees, organizer, booking marker and validates against the contract', () => {
    const event = toCalendarEvent(
      {
        id: 'c',
        status: 'tentative',
        etag: '"2"',
        updated: now,
        summary: 'Review',
        start: { dateTime: '2026-06-12T14:00:00Z' },
        end: { dateTime: '2026-06-12T15:00:00Z' },
        attendees: [
          { email: 'x@y.test', responseStatus: 'accepted' },
          { displayName: 'no email' },
          { email: 'z@y.test' },
        ],
        organizer: { email: 'o@y.test', self: true },
        transparency: 'transparent',
        extendedProperties: { private: { bookingId: 'bk1' } },
      },
      'cal',
      { now },
    );
    expect(event.attendees).toEqual([
      { email: 'x@y.test', responseStatus: 'accepted' },
      { email: 'z@y.test', responseStatus: 'needsAction' },
    ]);
    expect(event.bookingId).toBe('bk1');
    expect(calendarEventSchema.parse(event)).toEqual(event);
  });

  it('fills a sparse cancellation from the last mirrored version', () => {
    const previous = toCalendarEvent(
      {
        id: 'd',
        status: 'confirmed',
        etag: '"1"',
        updated: now,
        summary: 'Lunch',
        start: { date: '2026-06-12' },
        end: { date: '2026-06-13' },
      },
      'cal',
      { now },
    );
    const deleted = toCalendarEvent({ id: 'd', status: 'cancelled', etag: '"3"' }, 'cal', {
      fallback: previous,
      now: '2026-06-02T00:00:00.000Z',
    });
    expect(deleted).toMatchObject({
      status: 'cancelled',
      summary: 'Lunch',
      etag: '"3"',
      updated: '2026-06-02T00:00:00.000Z',
    });
    expect(calendarEventSchema.safeParse(deleted).success).toBe(true);
  });
});
