import { describe, expect, it } from 'vitest';
import { eventIdForBooking, isValidEventId } from './event-id';

describe('eventIdForBooking', () => {
  it('is deterministic and valid base32hex whatever the booking id', () => {
    for (const id of ['b-1', 'Booking/ÄÖ with spaces', 'x'.repeat(5000), '']) {
      const eventId = eventIdForBooking(id);
      expect(eventId).toBe(eventIdForBooking(id));
      expect(isValidEventId(eventId)).toBe(true);
      expect(eventId).toHaveLength(52);
    }
  });

  it('differs between bookings and between parts of one booking', () => {
    const ids = new Set([
      eventIdForBooking('b-1'),
      eventIdForBooking('b-2'),
      eventIdForBooking('b-1', 'following:20260612T140000Z'),
    ]);
    expect(ids.size).toBe(3);
  });

  it('rejects ids Google would refuse', () => {
    expect(isValidEventId('abcd')).toBe(false);
    expect(isValidEventId('ABCDE')).toBe(false);
    expect(isValidEventId('abcdw')).toBe(false);
    expect(isValidEventId('abc_20260612')).toBe(false);
  });
});
