import {
  HttpError,
  type MirrorCalendar,
  type MirroredEvent,
  mirrorEventsQuerySchema,
  type Pool,
  validate,
} from '@gcal-sync/shared';
import { Router } from 'express';
import type { z } from 'zod';
import { listCalendars } from './calendar-repository';
import { expandSeries, originalStartKey } from './expand-recurrence';
import { loadEvent, loadWindow } from './mirror-repository';

type Query = z.output<typeof mirrorEventsQuerySchema>;

function calendarView(row: Awaited<ReturnType<typeof listCalendars>>[number]): MirrorCalendar {
  return {
    calendarId: row.calendarId,
    summary: row.summary,
    timeZone: row.timeZone,
    selected: row.selected,
    syncState: row.state,
    consecutiveFailures: row.consecutiveFailures,
    lastSyncedAt: row.lastSyncedAt ? row.lastSyncedAt.toISOString() : null,
    lastError: row.lastError,
  };
}

/** Sorts by start instant (all-day dates at UTC midnight), then id. */
function byStart(a: MirroredEvent, b: MirroredEvent): number {
  const t = (e: MirroredEvent) => {
    const s = e.event.start;
    return s?.date ? Date.parse(`${s.date}T00:00:00Z`) : s?.dateTime ? Date.parse(s.dateTime) : 0;
  };
  return t(a) - t(b) || (a.event.id < b.event.id ? -1 : 1);
}

/** The read API over the mirror (see packages/shared/src/contracts/api/mirror-read-api.ts). */
export function createReadApi(deps: { pool: Pool }): Router {
  const router = Router();

  async function calendarOr404(connectionId: string, calendarId: string): Promise<MirrorCalendar> {
    const row = (await listCalendars(deps.pool, connectionId)).find((c) => c.calendarId === calendarId);
    if (!row) throw new HttpError(404, 'not_found', 'calendar not mirrored for this connection');
    return calendarView(row);
  }

  router.get('/connections/:connectionId/calendars', async (req, res) => {
    const rows = await listCalendars(deps.pool, req.params.connectionId);
    res.json({ items: rows.map(calendarView) });
  });

  router.get(
    '/connections/:connectionId/calendars/:calendarId/events',
    validate('query', mirrorEventsQuerySchema),
    async (req, res) => {
      const { connectionId, calendarId } = req.params as { connectionId: string; calendarId: string };
      const query = req.query as unknown as Query;
      const calendar = await calendarOr404(connectionId, calendarId);
      const key = { connectionId, calendarId };
      const { singles, masters, exceptions } = await loadWindow(deps.pool, key, query);
      const items: MirroredEvent[] = [...singles];
      if (query.expand && query.timeMin && query.timeMax) {
        const window = { timeMin: new Date(query.timeMin), timeMax: new Date(query.timeMax) };
        for (const master of masters) {
          const taken = new Set(
            exceptions
              .filter((e) => e.event.recurringEventId === master.event.id && e.event.originalStartTime)
              .map((e) => originalStartKey(e.event.originalStartTime as NonNullable<typeof e.event.originalStartTime>)),
          );
          for (const instance of expandSeries(master.event, window, taken)) {
            items.push({ event: instance, version: master.version, source: master.source });
          }
        }
      } else {
        items.push(...masters);
      }
      items.sort(byStart);
      res.json({ calendar, items });
    },
  );

  router.get('/connections/:connectionId/calendars/:calendarId/events/:eventId', async (req, res) => {
    const { connectionId, calendarId, eventId } = req.params;
    await calendarOr404(connectionId, calendarId);
    const found = await loadEvent(deps.pool, { connectionId, calendarId }, eventId);
    if (!found) throw new HttpError(404, 'not_found', 'event not mirrored');
    res.json(found satisfies MirroredEvent);
  });

  return router;
}
