import { RRule, RRuleSet } from 'rrule';
import type { EventResource } from './state';
import { dateToUtc, parseDateTime, utcToWall, wallToUtc } from './time-zone';

/**
 * Expands RRULE/EXDATE/RDATE in the event's own time zone. rrule runs on "floating" wall
 * times (wall clock encoded as UTC), then each occurrence is mapped back to a real instant,
 * which keeps local times fixed across DST the way Google Calendar does.
 */
export interface Occurrence {
  /** Instance id suffix: YYYYMMDDTHHMMSSZ (timed) or YYYYMMDD (all-day). */
  suffix: string;
  /** Real start instant (all-day: midnight in the series' zone). */
  startUtc: number;
  /** Real end instant. */
  endUtc: number;
  allDay: boolean;
  /** `date` for all-day occurrences. */
  date?: string;
  /** End date (exclusive) for all-day occurrences. */
  endDate?: string;
}

export interface ExpandOptions {
  fromUtc?: number;
  toUtc?: number;
  /** Hard cap on the number of occurrences produced (unbounded rules). */
  limit?: number;
}

const DAY = 86_400_000;

function compactUtc(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

export function instanceSuffixTimed(startUtc: number): string {
  return compactUtc(startUtc);
}

export function instanceSuffixDate(date: string): string {
  return date.replace(/-/g, '');
}

export function seriesTimeZone(ev: EventResource, fallback: string): string {
  return ev.start?.timeZone ?? fallback;
}

function parseIcsTime(value: string, tzid: string | undefined, seriesTz: string, startTimeOfDayMs: number): number {
  // returns a wall time in the series' zone
  if (/^\d{8}$/.test(value)) {
    const dayWall = Date.UTC(+value.slice(0, 4), +value.slice(4, 6) - 1, +value.slice(6, 8));
    return dayWall + startTimeOfDayMs;
  }
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(Z?)$/.exec(value);
  if (!m) return Number.NaN;
  const wall = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  if (m[7] === 'Z') return utcToWall(wall, seriesTz);
  if (tzid && tzid !== seriesTz) return utcToWall(wallToUtc(wall, tzid), seriesTz);
  return wall;
}

function parseDateList(line: string, seriesTz: string, startTimeOfDayMs: number): number[] {
  const colon = line.indexOf(':');
  const head = line.slice(0, colon);
  const tzid = /TZID=([^;:]+)/.exec(head)?.[1];
  return line
    .slice(colon + 1)
    .split(',')
    .map((v) => parseIcsTime(v.trim(), tzid, seriesTz, startTimeOfDayMs))
    .filter((n) => !Number.isNaN(n));
}

export function validateRecurrence(lines: readonly string[]): string | undefined {
  for (const line of lines) {
    const upper = line.toUpperCase();
    if (upper.startsWith('RRULE:')) {
      try {
        RRule.parseString(line.slice(6));
      } catch {
        return 'Invalid recurrence rule.';
      }
    } else if (!upper.startsWith('EXDATE') && !upper.startsWith('RDATE') && !upper.startsWith('EXRULE')) {
      return 'Invalid recurrence rule.';
    }
  }
  return undefined;
}

export function expand(ev: EventResource, calendarTz: string, opts: ExpandOptions = {}): Occurrence[] {
  const lines = ev.recurrence ?? [];
  const allDay = Boolean(ev.start?.date);
  const tz = allDay ? 'UTC' : seriesTimeZone(ev, calendarTz);
  let startWall: number;
  let durationMs: number;
  if (allDay) {
    startWall = Date.parse(`${ev.start!.date}T00:00:00Z`);
    durationMs = Date.parse(`${ev.end?.date ?? ev.start!.date}T00:00:00Z`) - startWall || DAY;
  } else {
    const startUtc = parseDateTime(ev.start?.dateTime ?? '', tz);
    const endUtc = parseDateTime(ev.end?.dateTime ?? '', ev.end?.timeZone ?? tz);
    startWall = utcToWall(startUtc, tz);
    durationMs = endUtc - startUtc;
  }
  const timeOfDay = ((startWall % DAY) + DAY) % DAY;
  const set = new RRuleSet();
  let hasRule = false;
  for (const line of lines) {
    const upper = line.toUpperCase();
    if (upper.startsWith('RRULE:')) {
      const options = RRule.parseString(line.slice(6));
      if (options.until) {
        const untilText = /UNTIL=([0-9TZ]+)/i.exec(line)?.[1] ?? '';
        if (/^\d{8}$/.test(untilText)) options.until = new Date(options.until.getTime() + DAY - 1);
        else if (untilText.endsWith('Z') && !allDay) options.until = new Date(utcToWall(options.until.getTime(), tz));
      }
      options.tzid = null;
      set.rrule(new RRule({ ...options, dtstart: new Date(startWall) }));
      hasRule = true;
    } else if (upper.startsWith('EXDATE')) {
      for (const w of parseDateList(line, tz, timeOfDay)) set.exdate(new Date(w));
    } else if (upper.startsWith('RDATE')) {
      for (const w of parseDateList(line, tz, timeOfDay)) set.rdate(new Date(w));
      hasRule = true;
    }
  }
  if (!hasRule) set.rdate(new Date(startWall));
  const limit = opts.limit ?? 1000;
  // Wall-time window, padded by a day on each side for zone offsets and the event's duration.
  const fromWall = opts.fromUtc !== undefined ? opts.fromUtc - durationMs - DAY : undefined;
  const toWall = opts.toUtc !== undefined ? opts.toUtc + DAY : undefined;
  const out: Occurrence[] = [];
  set.all((d) => {
    const w = d.getTime();
    if (toWall !== undefined && w > toWall) return false;
    if (fromWall !== undefined && w < fromWall) return true;
    if (allDay) {
      const date = new Date(w).toISOString().slice(0, 10);
      const endDate = new Date(w + durationMs).toISOString().slice(0, 10);
      out.push({
        suffix: instanceSuffixDate(date),
        startUtc: dateToUtc(date, calendarTz),
        endUtc: dateToUtc(endDate, calendarTz),
        allDay,
        date,
        endDate,
      });
    } else {
      const startUtc = wallToUtc(w, tz);
      out.push({ suffix: instanceSuffixTimed(startUtc), startUtc, endUtc: startUtc + durationMs, allDay });
    }
    return out.length < limit;
  });
  return out.filter(
    (o) =>
      (opts.fromUtc === undefined || o.endUtc > opts.fromUtc) && (opts.toUtc === undefined || o.startUtc < opts.toUtc),
  );
}
