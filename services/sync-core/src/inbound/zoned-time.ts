/**
 * Wall-clock time in an IANA time zone ↔ instants, with Intl only. Wall times are represented as
 * "floating" Date values whose UTC fields carry the local fields (what rrule expects).
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock fields of `instant` in `timeZone`, as a floating Date. */
export function wallTimeOf(instant: Date, timeZone: string): Date {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(instant)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return new Date(
    Date.UTC(parts.year as number, (parts.month as number) - 1, parts.day, parts.hour, parts.minute, parts.second),
  );
}

/** Offset of `timeZone` from UTC at `instant`, in minutes. */
export function offsetAt(instant: Date, timeZone: string): number {
  const wall = wallTimeOf(new Date(Math.floor(instant.getTime() / 1000) * 1000), timeZone);
  return Math.round((wall.getTime() - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

/** The instant at which the wall clock of `timeZone` shows `wall` (DST gaps resolve forward). */
export function instantOfWallTime(wall: Date, timeZone: string): Date {
  const guess = wall.getTime();
  const first = guess - offsetAt(new Date(guess), timeZone) * 60_000;
  const second = guess - offsetAt(new Date(first), timeZone) * 60_000;
  return new Date(second);
}

/** RFC 3339 of an instant written at a fixed offset (minutes), `Z` for UTC. */
export function formatWithOffset(epochMs: number, offset: number): string {
  const local = new Date(epochMs + offset * 60_000).toISOString().slice(0, 19);
  if (offset === 0) return `${local}Z`;
  const abs = Math.abs(offset);
  const sign = offset < 0 ? '-' : '+';
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** RFC 3339 with the zone's offset at that instant, like Google writes dateTime values. */
export function formatInZone(instant: Date, timeZone: string): string {
  return formatWithOffset(instant.getTime(), offsetAt(instant, timeZone));
}
