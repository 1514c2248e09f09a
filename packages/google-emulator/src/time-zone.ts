/**
 * IANA time-zone arithmetic on top of Intl, so recurrence can be expanded in an event's
 * own zone (a 09:00 weekly meeting stays at 09:00 across DST) without a tz database dependency.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(tz, f);
  }
  return f;
}

export function isValidTimeZone(tz: string): boolean {
  try {
    formatter(tz);
    return true;
  } catch {
    return false;
  }
}

/** Wall-clock time of `utcMs` in `tz`, expressed as a UTC epoch ("floating" time). */
export function utcToWall(utcMs: number, tz: string): number {
  const p: Record<string, number> = {};
  for (const part of formatter(tz).formatToParts(new Date(utcMs))) {
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  }
  const ms = utcMs % 1000;
  return (
    Date.UTC(p.year ?? 1970, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0, p.second ?? 0) +
    (ms < 0 ? ms + 1000 : ms)
  );
}

export function offsetMs(utcMs: number, tz: string): number {
  return utcToWall(utcMs, tz) - utcMs;
}

/** Inverse of utcToWall; for wall times skipped by DST, moves forward like Google does. */
export function wallToUtc(wallMs: number, tz: string): number {
  let guess = wallMs - offsetMs(wallMs, tz);
  const second = wallMs - offsetMs(guess, tz);
  if (second !== guess) guess = second;
  return guess;
}

function pad(n: number, w = 2): string {
  return String(Math.abs(n)).padStart(w, '0');
}

/** RFC 3339 with the zone's offset, e.g. 2024-01-05T10:00:00+01:00 (Google's dateTime form). */
export function formatInZone(utcMs: number, tz: string): string {
  const off = Math.round(offsetMs(utcMs, tz) / 60000);
  const d = new Date(utcMs + off * 60000);
  const sign = off < 0 ? '-' : '+';
  const base = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return off === 0 && tz === 'UTC'
    ? `${base}Z`
    : `${base}${sign}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
}

/** Parses RFC 3339; when there is no offset, the wall time is read in `tz`. */
export function parseDateTime(value: string, tz?: string): number {
  const hasOffset = /([zZ]|[+-]\d{2}:?\d{2})$/.test(value);
  if (hasOffset) return Date.parse(value);
  const wall = Date.parse(`${value}Z`);
  if (Number.isNaN(wall)) return Number.NaN;
  return tz ? wallToUtc(wall, tz) : wall;
}

export function hasOffset(value: string): boolean {
  return /([zZ]|[+-]\d{2}:?\d{2})$/.test(value);
}

/** `YYYY-MM-DD` → epoch of that midnight in `tz`. */
export function dateToUtc(date: string, tz: string): number {
  return wallToUtc(Date.parse(`${date}T00:00:00Z`), tz);
}
