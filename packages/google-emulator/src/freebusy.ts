import type { Emu } from './context';
import { ApiError, required } from './errors';
import { startMs } from './event-store';
import { expand } from './recurrence';
import type { User } from './state';

/** freeBusy.query: busy intervals of opaque, non-cancelled events (recurrences expanded). */
export function queryFreeBusy(emu: Emu, user: User, body: Record<string, unknown>): Record<string, unknown> {
  const timeMin = Date.parse(String(body.timeMin ?? ''));
  const timeMax = Date.parse(String(body.timeMax ?? ''));
  if (!body.timeMin) throw required('Missing timeMin parameter.');
  if (!body.timeMax) throw required('Missing timeMax parameter.');
  if (Number.isNaN(timeMin) || Number.isNaN(timeMax)) throw new ApiError(400, 'badRequest', 'Bad Request');
  if (timeMax <= timeMin) throw new ApiError(400, 'timeRangeEmpty', 'The specified time range is empty.', 'calendar');
  const calendars: Record<string, unknown> = {};
  for (const item of (body.items ?? []) as { id?: string }[]) {
    const id = item.id === 'primary' ? user.primaryCalendarId : (item.id ?? '');
    const cal = emu.state.calendars.get(id);
    if (!cal || cal.ownerSub !== user.sub) {
      calendars[item.id ?? ''] = { errors: [{ domain: 'global', reason: 'notFound' }], busy: [] };
      continue;
    }
    const spans: [number, number][] = [];
    for (const { resource: ev } of cal.events.values()) {
      if (ev.status === 'cancelled' || ev.transparency === 'transparent') continue;
      if (ev.recurrence?.length) {
        for (const o of expand(ev, cal.timeZone, { fromUtc: timeMin, toUtc: timeMax, limit: 5000 })) {
          const ex = cal.events.get(`${ev.id}_${o.suffix}`);
          if (!ex) spans.push([o.startUtc, o.endUtc]);
        }
        continue;
      }
      const s = startMs(ev.start, cal.timeZone);
      const e = startMs(ev.end, cal.timeZone);
      if (e > timeMin && s < timeMax) spans.push([s, e]);
    }
    spans.sort((a, b) => a[0] - b[0]);
    const merged: [number, number][] = [];
    for (const [s, e] of spans) {
      const last = merged[merged.length - 1];
      if (last && s <= last[1]) last[1] = Math.max(last[1], e);
      else merged.push([Math.max(s, timeMin), e]);
    }
    calendars[item.id ?? ''] = {
      busy: merged.map(([s, e]) => ({
        start: new Date(s).toISOString().replace('.000Z', 'Z'),
        end: new Date(Math.min(e, timeMax)).toISOString().replace('.000Z', 'Z'),
      })),
    };
  }
  return {
    kind: 'calendar#freeBusy',
    timeMin: new Date(timeMin).toISOString(),
    timeMax: new Date(timeMax).toISOString(),
    calendars,
  };
}
