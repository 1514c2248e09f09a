import { createPool, type MessageOf, type Pool, runMigrations, withTransaction } from '@gcal-sync/shared';
import { createTestDatabase, type TestDatabase } from '@gcal-sync/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyGoogleEvents } from '../src/inbound/apply-google-events';
import type { EchoDetector } from '../src/inbound/echo-detector';
import { migrations } from '../src/migrations';

/** The mirror + outbox transaction against real Postgres (no Google needed for this part). */
describe('applyGoogleEvents (real Postgres)', () => {
  let db: TestDatabase;
  let pool: Pool;
  const target = { orgId: 'org-1', connectionId: 'conn-1', calendarId: 'cal-1' };
  const outbox = async () =>
    (
      await pool.query<{ message: MessageOf<'eventChanges'> }>(
        "SELECT message FROM sync_core_outbox WHERE topic = 'eventChanges' ORDER BY id",
      )
    ).rows.map((r) => r.message);

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = createPool(db.url);
    await runMigrations(pool, 'sync-core', migrations);
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  it('writes mirror rows and their change events in one transaction, once per version', async () => {
    const event = {
      id: 'evt00001',
      status: 'confirmed',
      etag: '"1"',
      updated: new Date().toISOString(),
      summary: 'Planning',
      start: { dateTime: '2026-06-12T14:00:00-07:00', timeZone: 'America/Los_Angeles' },
      end: { dateTime: '2026-06-12T15:00:00-07:00', timeZone: 'America/Los_Angeles' },
    };
    await withTransaction(pool, (tx) => applyGoogleEvents(tx, target, [event]));
    // Reported again (a redelivered notification, an overlapping page): nothing new.
    await withTransaction(pool, (tx) => applyGoogleEvents(tx, target, [event]));
    await withTransaction(pool, (tx) =>
      applyGoogleEvents(tx, target, [
        { ...event, etag: '"2"', start: { ...event.start, dateTime: '2026-06-12T15:00:00-07:00' } },
      ]),
    );
    const messages = await outbox();
    expect(messages.map((m) => [m.payload.change, m.payload.version, m.payload.changedFields])).toEqual([
      ['created', 1, []],
      ['updated', 2, ['start']],
    ]);
    expect(messages[1]?.payload.previous?.start?.dateTime).toBe('2026-06-12T14:00:00-07:00');
    expect(messages[1]?.payload.event.start).toEqual({
      dateTime: '2026-06-12T15:00:00-07:00',
      timeZone: 'America/Los_Angeles',
    });
    const { rows } = await pool.query('SELECT version::int, etag FROM mirror_events WHERE event_id = $1', [event.id]);
    expect(rows).toEqual([{ version: 2, etag: '"2"' }]);
  });

  it('rolls back mirror and outbox together', async () => {
    const before = (await outbox()).length;
    await expect(
      withTransaction(pool, async (tx) => {
        await applyGoogleEvents(tx, target, [
          {
            id: 'evt00002',
            status: 'confirmed',
            etag: '"1"',
            updated: new Date().toISOString(),
            start: { date: '2026-06-12' },
            end: { date: '2026-06-13' },
          },
        ]);
        throw new Error('crash before commit');
      }),
    ).rejects.toThrow('crash before commit');
    expect((await outbox()).length).toBe(before);
    expect((await pool.query("SELECT 1 FROM mirror_events WHERE event_id = 'evt00002'")).rows).toEqual([]);
  });

  it('marks the echo of the app’s own write as source app', async () => {
    const echo: EchoDetector = {
      isOwnWrite: async (_q, _c, _cal, e) => e.extendedProperties?.private?.gcalSyncWriteId === 'w-1',
    };
    const applied = await withTransaction(pool, (tx) =>
      applyGoogleEvents(
        tx,
        target,
        [
          {
            id: 'evt00003',
            status: 'confirmed',
            etag: '"1"',
            updated: new Date().toISOString(),
            start: { date: '2026-06-12' },
            end: { date: '2026-06-13' },
            extendedProperties: { private: { gcalSyncWriteId: 'w-1', bookingId: 'bk-1' } },
          },
          {
            id: 'evt00004',
            status: 'confirmed',
            etag: '"1"',
            updated: new Date().toISOString(),
            start: { date: '2026-06-12' },
            end: { date: '2026-06-13' },
          },
        ],
        { echo },
      ),
    );
    expect(applied.map((a) => [a.eventId, a.source, a.event.bookingId])).toEqual([
      ['evt00003', 'app', 'bk-1'],
      ['evt00004', 'google', undefined],
    ]);
    const { rows } = await pool.query("SELECT write_id, source FROM mirror_events WHERE event_id = 'evt00003'");
    expect(rows).toEqual([{ write_id: 'w-1', source: 'app' }]);
  });

  it('a full listing tombstones what Google no longer has and keeps versions growing', async () => {
    const all = await pool.query<{ event_id: string }>(
      "SELECT event_id FROM mirror_events WHERE calendar_id = 'cal-1' AND status <> 'cancelled' ORDER BY event_id",
    );
    expect(all.rows.length).toBeGreaterThan(1);
    const applied = await withTransaction(pool, (tx) => applyGoogleEvents(tx, target, [], { full: true }));
    expect(applied.every((a) => a.change === 'deleted')).toBe(true);
    expect(applied.map((a) => a.eventId).sort()).toEqual(all.rows.map((r) => r.event_id));
    const recreated = await withTransaction(pool, (tx) =>
      applyGoogleEvents(tx, target, [
        {
          id: 'evt00001',
          status: 'confirmed',
          etag: '"9"',
          updated: new Date().toISOString(),
          start: { date: '2026-06-12' },
          end: { date: '2026-06-13' },
        },
      ]),
    );
    expect(recreated[0]).toMatchObject({ change: 'created', version: 4 });
  });
});
