import { describe, expect, it } from 'vitest';
import { appFieldsOf, differingFields, presentFields, sameField, toGooglePatch } from './app-fields';

describe('app fields', () => {
  it('compares instants, not spellings, and keeps the time zone significant', () => {
    expect(
      sameField(
        'start',
        { dateTime: '2026-06-12T14:00:00-07:00', timeZone: 'America/Los_Angeles' },
        { dateTime: '2026-06-12T21:00:00Z', timeZone: 'America/Los_Angeles' },
      ),
    ).toBe(true);
    expect(
      sameField(
        'start',
        { dateTime: '2026-06-12T14:00:00-07:00', timeZone: 'America/Los_Angeles' },
        {
          dateTime: '2026-06-12T14:00:00-07:00',
          timeZone: 'America/Denver',
        },
      ),
    ).toBe(false);
    expect(sameField('start', { date: '2026-06-12' }, { date: '2026-06-13' })).toBe(false);
  });

  it('ignores RSVPs and attendee order', () => {
    const base = appFieldsOf({
      attendees: [
        { email: 'a@x.com', responseStatus: 'needsAction' },
        { email: 'b@x.com', responseStatus: 'needsAction' },
      ],
    });
    const rsvped = appFieldsOf({
      attendees: [
        { email: 'b@x.com', responseStatus: 'accepted' },
        { email: 'A@x.com', responseStatus: 'declined' },
      ],
    });
    expect(differingFields(base, rsvped)).toEqual([]);
  });

  it('treats a missing and an empty text alike', () => {
    expect(differingFields({ description: '' }, {})).toEqual([]);
    expect(differingFields({ description: 'x' }, {})).toEqual(['description']);
  });

  it('lists only the fields a request carries', () => {
    expect(presentFields({ summary: 's', start: { date: '2026-06-12' } })).toEqual(['summary', 'start']);
  });

  it('patches attendees keeping the RSVP of those who stay', () => {
    const body = toGooglePatch(
      { attendees: [{ email: 'a@x.com' }, { email: 'new@x.com', optional: true }] },
      ['attendees'],
      {
        attendees: [
          { email: 'a@x.com', responseStatus: 'accepted', comment: 'see you' },
          { email: 'gone@x.com', responseStatus: 'declined' },
        ],
      },
    );
    expect(body.attendees).toEqual([
      { email: 'a@x.com', responseStatus: 'accepted', comment: 'see you', optional: false },
      { email: 'new@x.com', optional: true },
    ]);
  });

  it('patches only the requested fields', () => {
    expect(toGooglePatch({ summary: 's', location: 'l' }, ['summary'])).toEqual({ summary: 's' });
  });
});
