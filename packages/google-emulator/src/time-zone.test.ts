import { describe, expect, it } from 'vitest';
import { formatInZone, parseDateTime, wallToUtc } from './time-zone';

describe('time-zone', () => {
  it('keeps 09:00 local across DST in Europe/Paris', () => {
    const winter = wallToUtc(Date.parse('2024-01-10T09:00:00Z'), 'Europe/Paris');
    const summer = wallToUtc(Date.parse('2024-07-10T09:00:00Z'), 'Europe/Paris');
    expect(new Date(winter).toISOString()).toBe('2024-01-10T08:00:00.000Z');
    expect(new Date(summer).toISOString()).toBe('2024-07-10T07:00:00.000Z');
  });
  it('formats with the zone offset', () => {
    expect(formatInZone(Date.parse('2024-07-10T07:00:00Z'), 'Europe/Paris')).toBe('2024-07-10T09:00:00+02:00');
    expect(formatInZone(Date.parse('2024-07-10T07:00:00Z'), 'UTC')).toBe('2024-07-10T07:00:00Z');
  });
  it('parses local times in a zone', () => {
    expect(parseDateTime('2024-01-10T09:00:00', 'America/New_York')).toBe(Date.parse('2024-01-10T14:00:00Z'));
  });
});
