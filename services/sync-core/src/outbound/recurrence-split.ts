import { rrulestr } from 'rrule';

export type EventTimeLike = { date?: string | null; dateTime?: string | null; timeZone?: string | null };

/** `<masterId>_<YYYYMMDD>` (all-day) or `<masterId>_<YYYYMMDDTHHMMSSZ>`: Google's ids of recurring instances. */
const INSTANCE_ID = /^(.+)_(\d{8})(T\d{6}Z)?$/;

export type InstanceRef = { masterId: string; originalStart: { date: string } | { dateTime: string } };

export function parseInstanceId(eventId: string): InstanceRef | undefined {
  const m = INSTANCE_ID.exec(eventId);
  if (!m) return undefined;
  const [, masterId, day, time] = m as unknown as [string, string, string, string | undefined];
  const date = `${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6, 8)}`;
  if (!time) return { masterId, originalStart: { date } };
  return {
    masterId,
    originalStart: { dateTime: `${date}T${time.slice(1, 3)}:${time.slice(3, 5)}:${time.slice(5, 7)}Z` },
  };
}

/** The split point as an instant (all-day: midnight UTC of the date; only order matters). */
function instantOf(t: EventTimeLike): number {
  return t.date ? Date.parse(`${t.date}T00:00:00Z`) : Date.parse(t.dateTime ?? '');
}

function compactUtc(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

function compactDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10).replace(/-/g, '');
}

/** Local wall time of an offset dateTime as iCalendar's `YYYYMMDDTHHMMSS` (for TZID / floating values). */
function localCompact(t: EventTimeLike): string {
  if (t.date) return t.date.replace(/-/g, '');
  return (t.dateTime ?? '').slice(0, 19).replace(/[-:]/g, '');
}

/** Whether an RDATE/EXDATE value lies before the split point. */
function valueBefore(value: string, split: EventTimeLike): boolean {
  if (value.endsWith('Z'))
    return (
      Date.parse(value.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z')) <
      instantOf(split)
    );
  // TZID= and floating values are wall times in the event's zone: compare wall times.
  return value.length === 8 ? value < localCompact(split).slice(0, 8) : value < localCompact(split);
}

function splitDateList(line: string, split: EventTimeLike): [string | undefined, string | undefined] {
  const idx = line.indexOf(':');
  const head = line.slice(0, idx);
  const values = line.slice(idx + 1).split(',');
  const before = values.filter((v) => valueBefore(v, split));
  const after = values.filter((v) => !valueBefore(v, split));
  return [
    before.length ? `${head}:${before.join(',')}` : undefined,
    after.length ? `${head}:${after.join(',')}` : undefined,
  ];
}

function withParts(rule: string, set: Record<string, string | undefined>): string {
  const body = rule.replace(/^RRULE:/, '');
  const parts = body.split(';').filter((p) => !((p.split('=')[0] as string) in set));
  for (const [k, v] of Object.entries(set)) if (v !== undefined) parts.push(`${k}=${v}`);
  return `RRULE:${parts.join(';')}`;
}

/**
 * "This and following" for a series: the master keeps the instances before the split point and a new
 * series carries the rest (what Google Calendar's own UI does). UNTIL ends the old series one second
 * (all-day: one day) before the split instance; a COUNT is divided between the two, counted with the
 * rule's own expansion. RDATE/EXDATE values go to the side they fall on.
 */
export function splitRecurrence(
  recurrence: string[],
  masterStart: EventTimeLike,
  splitStart: EventTimeLike,
): { before: string[]; after: string[] } {
  const before: string[] = [];
  const after: string[] = [];
  const splitAt = instantOf(splitStart);
  const allDay = Boolean(splitStart.date ?? masterStart.date);
  for (const line of recurrence) {
    if (line.startsWith('RRULE:')) {
      const count = /(?:^|;|:)COUNT=(\d+)/.exec(line);
      if (count) {
        const rule = rrulestr(line, { dtstart: new Date(instantOf(masterStart)) });
        const done = rule.between(new Date(instantOf(masterStart)), new Date(splitAt - 1), true).length;
        const total = Number(count[1]);
        before.push(withParts(line, { COUNT: String(Math.max(1, done)) }));
        if (total - done > 0) after.push(withParts(line, { COUNT: String(total - done) }));
      } else {
        const until = allDay ? compactDate(splitAt - 86_400_000) : compactUtc(splitAt - 1_000);
        before.push(withParts(line, { UNTIL: until }));
        after.push(line);
      }
    } else if (line.startsWith('RDATE') || line.startsWith('EXDATE')) {
      const [b, a] = splitDateList(line, splitStart);
      if (b) before.push(b);
      if (a) after.push(a);
    } else {
      before.push(line);
      after.push(line);
    }
  }
  return { before, after };
}

/** Shifts an end time so the new series keeps the master's duration. */
export function startAndEndAt(
  masterStart: EventTimeLike,
  masterEnd: EventTimeLike,
  splitStart: EventTimeLike,
): { start: EventTimeLike; end: EventTimeLike } {
  const timeZone = masterStart.timeZone ?? undefined;
  if (masterStart.date && masterEnd.date) {
    const days = Date.parse(`${masterEnd.date}T00:00:00Z`) - Date.parse(`${masterStart.date}T00:00:00Z`);
    const startDate = splitStart.date ?? (splitStart.dateTime ?? '').slice(0, 10);
    const end = new Date(Date.parse(`${startDate}T00:00:00Z`) + days).toISOString().slice(0, 10);
    return { start: { date: startDate }, end: { date: end } };
  }
  const duration = Date.parse(masterEnd.dateTime ?? '') - Date.parse(masterStart.dateTime ?? '');
  const startMs = instantOf(splitStart);
  const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
  return {
    start: { dateTime: iso(startMs), ...(timeZone ? { timeZone } : {}) },
    end: { dateTime: iso(startMs + duration), ...(masterEnd.timeZone ? { timeZone: masterEnd.timeZone } : {}) },
  };
}
