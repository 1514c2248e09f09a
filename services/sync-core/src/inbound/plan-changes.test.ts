import { describe, expect, it } from 'vitest';
import type { GoogleEvent } from './google-event';
import { applyWrites, liveEvents, type MirrorRow, planChanges } from './plan-changes';

const now = '2026-06-01T00:00:00.000Z';
const plan = (existing: Map<string, MirrorRow>, incoming: GoogleEvent[], full = false) =>
  planChanges({ calendarId: 'cal', existing, incoming, full, now });
const ev = (id: string, etag: string, extra: Partial<GoogleEvent> = {}): GoogleEvent => ({
  id,
  etag,
  status: 'confirmed',
  updated: now,
  summary: `s-${etag}`,
  start: { dateTime: '2026-06-12T14:00:00Z' },
  end: { dateTime: '2026-06-12T15:00:00Z' },
  ...extra,
});

/** Small deterministic PRNG so the property test is reproducible. */
function mulberry32(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('planChanges', () => {
  it('publishes a change Google reports twice once', () => {
    const first = plan(new Map(), [ev('a', '"1"'), ev('a', '"1"')]);
    expect(first).toHaveLength(1);
    const mirror = applyWrites(new Map(), first);
    expect(plan(mirror, [ev('a', '"1"')])).toEqual([]);
  });

  it('never lets an older state overwrite a newer one (a sync that read Google before our write)', () => {
    const mirror = new Map<string, MirrorRow>();
    applyWrites(mirror, plan(mirror, [ev('a', '"2"', { updated: '2026-06-01T00:00:02.000Z' })]));
    expect(plan(mirror, [ev('a', '"1"', { updated: '2026-06-01T00:00:01.000Z' })])).toEqual([]);
    expect(plan(mirror, [ev('a', '"3"', { updated: '2026-06-01T00:00:03.000Z' })])).toHaveLength(1);
  });

  it('publishes a deletion once even when Google reports the tombstone again with a new etag', () => {
    const mirror = new Map<string, MirrorRow>();
    applyWrites(mirror, plan(mirror, [ev('a', '"1"')]));
    applyWrites(mirror, plan(mirror, [{ id: 'a', status: 'cancelled', etag: '"2"' }]));
    expect(plan(mirror, [{ id: 'a', status: 'cancelled', etag: '"3"' }])).toEqual([]);
  });

  it('versions grow by one per applied change, through deletion and re-creation', () => {
    const mirror = new Map<string, MirrorRow>();
    applyWrites(mirror, plan(mirror, [ev('a', '"1"')]));
    applyWrites(mirror, plan(mirror, [ev('a', '"2"')]));
    const deleted = plan(mirror, [{ id: 'a', status: 'cancelled', etag: '"3"' }]);
    expect(deleted[0]?.change?.change).toBe('deleted');
    expect(deleted[0]?.row.event.summary).toBe('s-"2"');
    applyWrites(mirror, deleted);
    const recreated = plan(mirror, [ev('a', '"4"')]);
    expect(recreated[0]).toMatchObject({ row: { version: 4 }, change: { change: 'created' } });
  });

  it('compares an exception with its master even when Google lists the exception first', () => {
    const master = ev('m', '"1"', { recurrence: ['RRULE:FREQ=WEEKLY'] });
    const cancelled: GoogleEvent = {
      id: 'm_20260619T140000Z',
      status: 'cancelled',
      etag: '"2"',
      recurringEventId: 'm',
      originalStartTime: { dateTime: '2026-06-19T14:00:00Z' },
    };
    const writes = plan(new Map(), [cancelled, master], true);
    expect(writes.map((w) => [w.row.eventId, w.change?.change, w.change?.recurrence])).toEqual([
      ['m', 'created', 'series'],
      ['m_20260619T140000Z', 'deleted', 'instance'],
    ]);
  });

  it('a full sync tombstones rows Google no longer has; a delta never does', () => {
    const mirror = applyWrites(new Map(), plan(new Map(), [ev('a', '"1"'), ev('b', '"1"')]));
    expect(plan(mirror, [ev('a', '"1"')])).toEqual([]);
    const full = plan(mirror, [ev('a', '"1"')], true);
    expect(full.map((w) => [w.row.eventId, w.change?.change])).toEqual([['b', 'deleted']]);
  });

  it('property: a full sync equals the fold of the deltas', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const random = mulberry32(seed);
      // Google's side: every event with the change number of its last modification.
      const google = new Map<string, { event: GoogleEvent; seq: number }>();
      let seq = 0;
      let nextId = 0;
      let token = 0;
      const mirror = new Map<string, MirrorRow>();
      const lastVersion = new Map<string, number>();
      for (let step = 0; step < 40; step++) {
        const roll = random();
        const ids = [...google.keys()];
        const pick = ids[Math.floor(random() * ids.length)];
        seq += 1;
        if (roll < 0.4 || !pick) {
          const id = `e${nextId++}`;
          google.set(id, { event: ev(id, `"${seq}"`), seq });
        } else if (roll < 0.75) {
          google.set(pick, { event: ev(pick, `"${seq}"`, { summary: `edit ${seq}` }), seq });
        } else {
          google.set(pick, { event: { id: pick, status: 'cancelled', etag: `"${seq}"` }, seq });
        }
        if (random() < 0.3) {
          // An incremental sync: everything changed since the token, sometimes delivered twice.
          const delta = [...google.values()].filter((g) => g.seq > token).map((g) => g.event);
          const writes = plan(mirror, random() < 0.2 ? [...delta, ...delta] : delta);
          for (const w of writes) {
            expect(w.row.version).toBe((lastVersion.get(w.row.eventId) ?? 0) + 1);
            lastVersion.set(w.row.eventId, w.row.version);
          }
          applyWrites(mirror, writes);
          token = seq;
        }
      }
      const delta = [...google.values()].filter((g) => g.seq > token).map((g) => g.event);
      applyWrites(mirror, plan(mirror, delta));
      const snapshot = [...google.values()].map((g) => g.event).filter((e) => e.status !== 'cancelled');
      const fromFull = applyWrites(new Map(), plan(new Map(), snapshot, true));
      expect(liveEvents(mirror.values()), `seed ${seed}`).toEqual(liveEvents(fromFull.values()));
      // And a full sync over the folded mirror finds nothing to change.
      expect(
        plan(mirror, snapshot, true).filter((w) => w.change !== null),
        `seed ${seed}`,
      ).toEqual([]);
    }
  });
});
