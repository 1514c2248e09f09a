import type { Emu } from './context';
import { ApiError, badRequest, fullSyncRequired, invalid, notFound, updatedMinTooLongAgo } from './errors';
import { findOccurrence, instanceResource, startMs } from './event-store';
import { RawJson } from './http';
import { decodePageToken, decodeSyncToken, encodePageToken, encodeSyncToken } from './page-tokens';
import { expand } from './recurrence';
import type { Calendar, EventResource, StoredEvent } from './state';
import { hasOffset } from './time-zone';

/** Parameters Google refuses together with syncToken. */
const FORBIDDEN_WITH_SYNC = [
  'timeMin',
  'timeMax',
  'updatedMin',
  'q',
  'orderBy',
  'iCalUID',
  'privateExtendedProperty',
  'sharedExtendedProperty',
];
const DEFAULT_PAGE = 250;
const MAX_PAGE = 2500;
/** Cap on instances produced per unbounded series when expanding without timeMax. */
const MAX_INSTANCES_PER_SERIES = 730;

function parseTime(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null) return undefined;
  const ms = Date.parse(v);
  if (!hasOffset(v) || Number.isNaN(ms)) throw badRequest('Bad Request');
  return ms;
}

function bool(q: URLSearchParams, name: string): boolean {
  return q.get(name) === 'true';
}

export function tombstone(ev: EventResource): EventResource {
  const t: EventResource = { kind: 'calendar#event', etag: ev.etag, id: ev.id, status: 'cancelled' } as EventResource;
  if (ev.updated) t.updated = ev.updated;
  if (ev.recurringEventId) {
    t.recurringEventId = ev.recurringEventId;
    t.originalStartTime = ev.originalStartTime;
  }
  return t;
}

function endMs(ev: EventResource, tz: string): number {
  return startMs(ev.end, tz);
}

function matchesText(ev: EventResource, text: string): boolean {
  const hay = [
    ev.summary,
    ev.description,
    ev.location,
    ...(Array.isArray(ev.attendees)
      ? (ev.attendees as { email?: string; displayName?: string }[]).flatMap((a) => [a.email, a.displayName])
      : []),
  ]
    .filter((x): x is string => typeof x === 'string')
    .join(' ')
    .toLowerCase();
  return text
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((w) => hay.includes(w));
}

function matchesProps(ev: EventResource, filters: string[], kind: 'private' | 'shared'): boolean {
  const props = ((ev.extendedProperties as Record<string, Record<string, string>> | undefined)?.[kind] ?? {}) as Record<
    string,
    string
  >;
  return filters.every((f) => {
    const eq = f.indexOf('=');
    return eq > 0 && props[f.slice(0, eq)] === f.slice(eq + 1);
  });
}

/** Expands one series into its instances (exceptions are stored events and listed on their own). */
function seriesInstances(cal: Calendar, master: StoredEvent, from?: number, to?: number): EventResource[] {
  const occs = expand(master.resource, cal.timeZone, { fromUtc: from, toUtc: to, limit: MAX_INSTANCES_PER_SERIES });
  const out: EventResource[] = [];
  for (const occ of occs) {
    const id = `${master.resource.id}_${occ.suffix}`;
    if (cal.events.has(id)) continue;
    out.push(instanceResource(master.resource, occ, cal));
  }
  return out;
}

export function listEvents(emu: Emu, cal: Calendar, q: URLSearchParams): RawJson {
  const syncToken = q.get('syncToken');
  if (syncToken !== null) {
    for (const p of FORBIDDEN_WITH_SYNC) {
      if (q.has(p)) throw invalid(`Sync token cannot be used together with ${p}.`, p);
    }
  }
  const singleEvents = bool(q, 'singleEvents');
  const orderBy = q.get('orderBy');
  if (orderBy !== null && orderBy !== 'startTime' && orderBy !== 'updated')
    throw invalid(`Invalid value for orderBy: ${orderBy}`, 'orderBy');
  if (orderBy === 'startTime' && !singleEvents) {
    throw badRequest('The requested ordering is not available for the particular query.');
  }
  const rawMax = q.get('maxResults');
  let maxResults = rawMax === null ? DEFAULT_PAGE : Number(rawMax);
  if (!Number.isInteger(maxResults) || maxResults < 1)
    throw invalid(`Invalid value '${rawMax}'. Values must be within the range: [1, 2500]`, 'maxResults');
  maxResults = Math.min(maxResults, MAX_PAGE);
  const timeMin = parseTime(q, 'timeMin');
  const timeMax = parseTime(q, 'timeMax');
  const updatedMin = parseTime(q, 'updatedMin');
  // Deletions are only reported for a limited time, so Google refuses an updatedMin that old.
  if (updatedMin !== undefined && emu.clock.now() - updatedMin > (emu.options.syncTokenTtlMs ?? 28 * 86_400_000))
    throw updatedMinTooLongAgo();
  if (timeMin !== undefined && timeMax !== undefined && timeMax <= timeMin) {
    throw new ApiError(400, 'timeRangeEmpty', 'The specified time range is empty.', 'calendar', {
      locationType: 'parameter',
      location: 'timeMax',
    });
  }
  const text = q.get('q');
  const iCalUID = q.get('iCalUID');
  const eventTypes = q.getAll('eventTypes');
  const priv = q.getAll('privateExtendedProperty');
  const shared = q.getAll('sharedExtendedProperty');
  let showDeleted = bool(q, 'showDeleted');

  const queryKey = [...q.entries()]
    .filter(([k]) => k !== 'pageToken' && k !== 'maxResults')
    .sort()
    .join('&');
  let offset = 0;
  let highWater = emu.state.seq;
  const pageToken = q.get('pageToken');
  if (pageToken !== null) {
    const pt = decodePageToken(pageToken);
    if (!pt || pt.q !== queryKey) throw invalid('Invalid page token value.', 'pageToken');
    offset = pt.o;
    highWater = pt.s;
  }

  let since: number | undefined;
  if (syncToken !== null) {
    const st = decodeSyncToken(syncToken);
    if (!st || st.c !== cal.id || st.e !== cal.syncEpoch || st.s > emu.state.seq) throw fullSyncRequired();
    const ttl = emu.options.syncTokenTtlMs ?? 28 * 86_400_000;
    if (st.t !== undefined && emu.clock.now() - st.t > ttl) throw fullSyncRequired();
    since = st.s;
    showDeleted = true;
  }

  const tz = cal.timeZone;
  const items: EventResource[] = [];
  // Parallel to `items`: the stored event whose cached JSON can be reused (undefined for generated ones).
  const sources: (StoredEvent | undefined)[] = [];
  // Without a sort order the page only needs the items up to its end (+1 to know another page exists).
  const needed = orderBy === null ? offset + maxResults + 1 : Number.POSITIVE_INFINITY;
  for (const stored of cal.events.values()) {
    if (items.length >= needed) break;
    const ev = stored.resource;
    if (since !== undefined && stored.seq <= since) continue;
    const cancelled = ev.status === 'cancelled';
    // Pages after the first keep events deleted since paging began in their slot (as tombstones):
    // dropping them would shift offsets and silently skip an unchanged event.
    const deletedDuringPaging = cancelled && pageToken !== null && stored.seq > highWater;
    if (cancelled && !showDeleted && !deletedDuringPaging) continue;
    if (eventTypes.length && !eventTypes.includes(ev.eventType ?? 'default')) continue;
    if (iCalUID !== null && ev.iCalUID !== iCalUID) continue;
    if (updatedMin !== undefined && Date.parse(ev.updated ?? '') < updatedMin) continue;
    if (text !== null && !matchesText(ev, text)) continue;
    if (priv.length && !matchesProps(ev, priv, 'private')) continue;
    if (shared.length && !matchesProps(ev, shared, 'shared')) continue;
    const recurring = Boolean(ev.recurrence?.length);
    if (recurring && !cancelled) {
      if (singleEvents) {
        for (const inst of seriesInstances(cal, stored, timeMin, timeMax)) {
          items.push(inst);
          sources.push(undefined);
        }
        continue;
      }
      if (timeMin !== undefined || timeMax !== undefined) {
        if (expand(ev, tz, { fromUtc: timeMin, toUtc: timeMax, limit: 1 }).length === 0) continue;
      }
      items.push(ev);
      sources.push(stored);
      continue;
    }
    if (cancelled) {
      items.push(tombstone(ev));
      sources.push(undefined);
      continue;
    }
    if (timeMin !== undefined && endMs(ev, tz) <= timeMin) continue;
    if (timeMax !== undefined && startMs(ev.start, tz) >= timeMax) continue;
    items.push(ev);
    sources.push(stored);
  }
  let order = items.map((_, i) => i);
  if (orderBy === 'startTime') {
    const keys = items.map((ev) => startMs(ev.start, tz));
    order.sort((a, b) => keys[a]! - keys[b]!);
  } else if (orderBy === 'updated') {
    const keys = items.map((ev) => Date.parse(ev.updated ?? ''));
    order.sort((a, b) => keys[a]! - keys[b]!);
  }
  const maxAttendees = q.get('maxAttendees');
  order = order.slice(offset, offset + maxResults);
  const response: Record<string, unknown> = {
    kind: 'calendar#events',
    etag: `"p${highWater}"`,
    summary: cal.summary,
    ...(cal.description ? { description: cal.description } : {}),
    updated: new Date(emu.clock.now()).toISOString(),
    timeZone: cal.timeZone,
    accessRole: 'owner',
    defaultReminders: [{ method: 'popup', minutes: 30 }],
  };
  if (offset + maxResults < items.length) {
    response.nextPageToken = encodePageToken({ o: offset + maxResults, s: highWater, q: queryKey });
  } else {
    response.nextSyncToken = encodeSyncToken({ c: cal.id, s: highWater, e: cal.syncEpoch, t: emu.clock.now() });
  }
  const raw = order.map((i) => {
    const ev = items[i]!;
    const stored = sources[i];
    if (maxAttendees !== null) return JSON.stringify(trimAttendees(ev, Number(maxAttendees)));
    if (!stored) return JSON.stringify(ev);
    if (stored.json === undefined) stored.json = JSON.stringify(ev);
    return stored.json;
  });
  return new RawJson(`${JSON.stringify(response).slice(0, -1)},"items":[${raw.join(',')}]}`, response.etag as string);
}

function trimAttendees(ev: EventResource, max: number): EventResource {
  const att = ev.attendees as unknown[] | undefined;
  if (!Array.isArray(att) || att.length <= max) return ev;
  return { ...ev, attendees: att.slice(0, max), attendeesOmitted: true };
}

/** events.instances: the occurrences of one series, exceptions included. */
export function listInstances(emu: Emu, cal: Calendar, eventId: string, q: URLSearchParams): Record<string, unknown> {
  const master = cal.events.get(eventId);
  if (!master) {
    if (findOccurrence(cal, eventId)) throw badRequest('Bad Request');
    throw notFound();
  }
  if (!master.resource.recurrence?.length) throw badRequest('Bad Request');
  const timeMin = parseTime(q, 'timeMin');
  const timeMax = parseTime(q, 'timeMax');
  const showDeleted = bool(q, 'showDeleted');
  const maxResults = Math.min(Number(q.get('maxResults') ?? DEFAULT_PAGE) || DEFAULT_PAGE, MAX_PAGE);
  const originalStart = q.get('originalStart');
  const tz = cal.timeZone;
  const occs = expand(master.resource, tz, { fromUtc: timeMin, toUtc: timeMax, limit: MAX_INSTANCES_PER_SERIES });
  let items: EventResource[] = occs.map((occ) => {
    const ex = cal.events.get(`${eventId}_${occ.suffix}`);
    return ex ? ex.resource : instanceResource(master.resource, occ, cal);
  });
  // Exceptions moved outside their original slot still belong to the series.
  for (const s of cal.events.values()) {
    if (s.resource.recurringEventId === eventId && !items.some((i) => i.id === s.resource.id)) {
      const st = startMs(s.resource.start ?? s.resource.originalStartTime, tz);
      if ((timeMin === undefined || st >= timeMin) && (timeMax === undefined || st < timeMax)) items.push(s.resource);
    }
  }
  if (!showDeleted) items = items.filter((i) => i.status !== 'cancelled');
  if (originalStart) items = items.filter((i) => startMs(i.originalStartTime, tz) === Date.parse(originalStart));
  items.sort((a, b) => startMs(a.originalStartTime, tz) - startMs(b.originalStartTime, tz));
  const pt = q.get('pageToken');
  const offset = pt ? (decodePageToken(pt)?.o ?? 0) : 0;
  const page = items.slice(offset, offset + maxResults);
  const response: Record<string, unknown> = {
    kind: 'calendar#events',
    etag: `"p${emu.state.seq}"`,
    summary: cal.summary,
    updated: new Date(emu.clock.now()).toISOString(),
    timeZone: cal.timeZone,
    accessRole: 'owner',
    defaultReminders: [{ method: 'popup', minutes: 30 }],
    items: page.map((i) => (i.status === 'cancelled' ? tombstone(i) : i)),
  };
  if (offset + maxResults < items.length)
    response.nextPageToken = encodePageToken({ o: offset + maxResults, s: emu.state.seq, q: '' });
  return response;
}
