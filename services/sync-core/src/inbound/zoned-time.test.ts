import { describe, expect, it } from 'vitest';
import { formatInZone, instantOfWallTime, offsetAt, wallTimeOf } from './zoned-time';

const LA = 'America/Los_Angeles';

describe('zoned time', () => {
  it('knows DST offsets', () => {
    expect(offsetAt(new Date('2026-06-12T21:00:00Z'), LA)).toBe(-420);
    expect(offsetAt(new Date('2026-12-12T22:00:00Z'), LA)).toBe(-480);
    expect(offsetAt(new Date('2026-06-12T21:00:00Z'), 'Asia/Kolkata')).toBe(330);
  });
  it('round-trips wall time and instants', () => {
    const wall = new Date(Date.UTC(2026, 5, 12, 14, 0, 0));
    const instant = instantOfWallTime(wall, LA);
    expect(instant.toISOString()).toBe('2026-06-12T21:00:00.000Z');
    expect(wallTimeOf(instant, LA).toISOString()).toBe(wall.toISOString());
    expect(instantOfWallTime(new Date(Date.UTC(2026, 11, 12, 14)), LA).toISOString()).toBe('2026-12-12T22:00:00.000Z');
  });
  it('formats like Google', () => {
    expect(formatInZone(new Date('2026-06-12T21:00:00Z'), LA)).toBe('2026-06-12T14:00:00-07:00');
    expect(formatInZone(new Date('2026-06-12T21:00:00Z'), 'UTC')).toBe('2026-06-12T21:00:00Z');
  });
});
