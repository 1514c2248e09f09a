import { describe, expect, it } from 'vitest';
import { resolveConflict } from './resolve-conflict';

const at = (s: string) => ({ dateTime: s, timeZone: 'UTC' });
const base = {
  summary: 'Call',
  description: 'old',
  start: at('2026-06-12T14:00:00Z'),
  end: at('2026-06-12T15:00:00Z'),
};
const common = { receivedAt: '2026-06-10T10:00:10Z', skewMs: 2_000 };

describe('resolveConflict', () => {
  it('merges when the two sides changed different fields', () => {
    const d = resolveConflict({
      ...common,
      base,
      google: { ...base, description: 'edited in Google' },
      request: { start: at('2026-06-12T15:00:00Z'), end: at('2026-06-12T16:00:00Z') },
      appEditedAt: '2026-06-10T10:00:00Z',
      googleUpdated: '2026-06-10T10:00:05Z',
    });
    expect(d.resolution).toBe('merged');
    expect(d.patchFields).toEqual(['start', 'end']);
    expect(d.report).toMatchObject({ appFields: ['start', 'end'], googleFields: ['description'], collidingFields: [] });
  });

  it('does not count both sides making the same change as a collision', () => {
    const d = resolveConflict({
      ...common,
      base,
      google: { ...base, summary: 'Same' },
      request: { summary: 'Same' },
      appEditedAt: '2026-06-10T09:00:00Z',
      googleUpdated: '2026-06-10T10:00:05Z',
    });
    expect(d.resolution).toBe('merged');
    expect(d.patchFields).toEqual([]);
  });

  it('lets the app win a collision when it is clearly newer', () => {
    const d = resolveConflict({
      ...common,
      base,
      google: { ...base, summary: 'Google' },
      request: { summary: 'App' },
      appEditedAt: '2026-06-10T10:00:09Z',
      googleUpdated: '2026-06-10T10:00:05Z',
    });
    expect(d.resolution).toBe('app-won');
    expect(d.patchFields).toEqual(['summary']);
    expect(d.report.collidingFields).toEqual(['summary']);
  });

  it('refuses when Google is newer, or within the skew allowance', () => {
    for (const appEditedAt of ['2026-06-10T10:00:00Z', '2026-06-10T10:00:06Z']) {
      const d = resolveConflict({
        ...common,
        base,
        google: { ...base, summary: 'Google' },
        request: { summary: 'App' },
        appEditedAt,
        googleUpdated: '2026-06-10T10:00:05Z',
      });
      expect(d.resolution).toBe('google-won');
      expect(d.patchFields).toEqual([]);
    }
  });

  it('clamps an app clock running ahead of ours', () => {
    const d = resolveConflict({
      ...common,
      base,
      google: { ...base, summary: 'Google' },
      request: { summary: 'App' },
      appEditedAt: '2030-01-01T00:00:00Z',
      googleUpdated: '2026-06-10T10:00:09Z',
    });
    expect(d.resolution).toBe('google-won');
  });

  it('treats every difference as a collision when the base is unknown', () => {
    const d = resolveConflict({
      ...common,
      base: undefined,
      google: { ...base, description: 'Google' },
      request: { description: 'App', summary: 'Call' },
      appEditedAt: '2026-06-10T10:00:00Z',
      googleUpdated: '2026-06-10T10:00:05Z',
    });
    expect(d.resolution).toBe('google-won');
    expect(d.report.collidingFields).toEqual(['description']);
  });

  it('lets a delete through an RSVP-only change but not through an edit of app fields', () => {
    const rsvp = resolveConflict({
      ...common,
      base,
      google: base,
      request: {},
      deleting: true,
      appEditedAt: '2026-06-10T10:00:00Z',
      googleUpdated: '2026-06-10T10:00:05Z',
    });
    expect(rsvp.resolution).toBe('merged');
    const edited = resolveConflict({
      ...common,
      base,
      google: { ...base, summary: 'moved' },
      request: {},
      deleting: true,
      appEditedAt: '2026-06-10T10:00:00Z',
      googleUpdated: '2026-06-10T10:00:05Z',
    });
    expect(edited.resolution).toBe('google-won');
  });
});
