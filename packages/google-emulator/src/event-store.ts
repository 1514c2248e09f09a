import type { Emu } from './context';
import { ApiError, conditionNotMet, deleted, duplicate, invalid, notFound, quotaExceeded, required } from './errors';
import { isValidEventId, newEventId } from './ids';
import { expand, type Occurrence, validateRecurrence } from './recurrence';
import { type Calendar, type EventResource, nextSeq, type StoredEvent } from './state';
import { formatInZone, hasOffset, isValidTimeZone, parseDateTime } from './time-zone';

/** Event fields a client may write (everything else is server-owned). */
const WRITABLE = [
  'summary',
  'description',
  'location',
  'colorId',
  'start',
  'end',
  'endTimeUnspecified',
  'recurrence',
  'transparency',
  'visibility',
  'attendees',
  'extendedProperties',
  'reminders',
  'eventType',
  'status',
  'guestsCanInviteOthers',
  'guestsCanModify',
  'guestsCanSeeOtherGuests',
  'anyoneCanAddSelf',
  'source',
  'attachments',
  'conferenceData',
  'focusTimeProperties',
  'outOfOfficeProperties',
  'workingLocationProperties',
  'birthdayProperties',
  'gadget',
  'locked',
  'privateCopy',
  'originalStartTime',
];
export const EVENT_TYPES = ['default', 'outOfOffice', 'focusTime', 'workingLocation', 'birthday', 'fromGmail'];
const API_CREATABLE_TYPES = ['default', 'outOfOffice', 'focusTime', 'workingLocation', 'birthday'];

export interface Actor {
  email: string;
  /** Control-API edits may create any event type (fromGmail, birthday) like Google's own UI. */
  privileged?: boolean;
}

export function makeEtag(ms: number, seq: number): string {
  return `"${ms}${String(seq % 1000).padStart(3, '0')}"`;
}

function htmlLink(id: string, calendarId: string): string {
  return `https://www.google.com/calendar/event?eid=${Buffer.from(`${id} ${calendarId}`).toString('base64url')}`;
}

export function resolveCalendar(emu: Emu, sub: string | undefined, calendarId: string): Calendar {
  let id = calendarId;
  if (calendarId === 'primary') {
    const user = sub ? emu.state.users.get(sub) : undefined;
    if (!user) throw notFound();
    id = user.primaryCalendarId;
  }
  const cal = emu.state.calendars.get(id);
  if (!cal || (sub !== undefined && cal.ownerSub !== sub)) throw notFound();
  return cal;
}

/** Marks a stored event changed: new change number, etag, `updated`, and an `exists` push. */
function touch(emu: Emu, cal: Calendar, stored: StoredEvent): void {
  const now = emu.clock.now();
  delete stored.json;
  stored.seq = nextSeq(emu.state);
  stored.resource.updated = new Date(now).toISOString();
  stored.resource.etag = makeEtag(now, stored.seq);
  emu.push.notify(`events:${cal.id}`, stored.resource.eventType ?? 'default');
}

function validateTime(t: EventResource['start'] | undefined, which: 'start' | 'end', recurring: boolean): void {
  if (!t || (!t.date && !t.dateTime)) throw required(`Missing ${which} time.`);
  if (t.date && !/^\d{4}-\d{2}-\d{2}$/.test(t.date)) throw invalid(`Invalid ${which} time.`);
  if (t.dateTime) {
    if (Number.isNaN(parseDateTime(t.dateTime, t.timeZone ?? 'UTC'))) throw invalid(`Invalid ${which} time.`);
    if (!hasOffset(t.dateTime) && !t.timeZone) throw badTz(which);
    if (recurring && !t.timeZone) throw badTz(which);
  }
  if (t.timeZone && !isValidTimeZone(t.timeZone))
    throw new ApiError(400, 'timeZone', `Invalid time zone definition for ${which} time.`);
}

function badTz(which: string): ApiError {
  return new ApiError(400, 'required', `Missing time zone definition for ${which} time.`);
}

export function startMs(t: EventResource['start'] | undefined, calTz: string): number {
  if (!t) return Number.NaN;
  if (t.date) return parseDateTime(`${t.date}T00:00:00`, calTz);
  return parseDateTime(t.dateTime ?? '', t.timeZone ?? calTz);
}

function validateEvent(ev: EventResource, actor: Actor): void {
  const recurring = Boolean(ev.recurrence && ev.recurrence.length > 0);
  if (ev.status === 'cancelled' && !ev.recurringEventId) return;
  validateTime(ev.start, 'start', recurring);
  validateTime(ev.end, 'end', recurring);
  if (Boolean(ev.start?.date) !== Boolean(ev.end?.date)) throw invalid('Invalid start time.');
  const s = startMs(ev.start, 'UTC');
  const e = startMs(ev.end, 'UTC');
  if (e < s || (ev.start?.date && e === s))
    throw new ApiError(400, 'timeRangeEmpty', 'The specified time range is empty.', 'calendar', {
      locationType: 'parameter',
      location: 'end.dateTime',
    });
  if (recurring) {
    const problem = validateRecurrence(ev.recurrence ?? []);
    if (problem) throw invalid(problem);
  }
  const type = ev.eventType ?? 'default';
  if (!EVENT_TYPES.includes(type)) throw invalid('Invalid event type.');
  if (!actor.privileged && !API_CREATABLE_TYPES.includes(type)) {
    throw new ApiError(400, 'eventTypeRestriction', `Event type cannot be created using API: ${type}.`);
  }
  if (ev.status && !['confirmed', 'tentative', 'cancelled'].includes(ev.status))
    throw invalid('Invalid value for: status');
}

function normaliseAttendees(ev: EventResource, calendarId: string): void {
  if (!Array.isArray(ev.attendees)) return;
  ev.attendees = (ev.attendees as Record<string, unknown>[]).map((a) => {
    const out: Record<string, unknown> = { ...a, responseStatus: a.responseStatus ?? 'needsAction' };
    if (a.email === calendarId) out.self = true;
    return out;
  });
}

function pick(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of WRITABLE) if (body[k] !== undefined) out[k] = body[k];
  return out;
}

function checkWritable(emu: Emu, cal: Calendar): void {
  if (cal.readOnlyUntil && cal.readOnlyUntil > emu.clock.now()) throw quotaExceeded();
}

function checkUsageLimit(emu: Emu, cal: Calendar): void {
  const limit = emu.quota.options.eventsCreatedPerWindow;
  if (!limit) return;
  const now = emu.clock.now();
  const window = emu.quota.options.usageWindowMs ?? 86_400_000;
  cal.createdAt = cal.createdAt.filter((t) => t > now - window);
  if (cal.createdAt.length >= limit) {
    cal.readOnlyUntil = now + (emu.quota.options.readOnlyMs ?? 3_600_000);
    throw quotaExceeded();
  }
  cal.createdAt.push(now);
}

export function insertEvent(emu: Emu, cal: Calendar, body: Record<string, unknown>, actor: Actor): EventResource {
  checkWritable(emu, cal);
  const id = typeof body.id === 'string' ? body.id : newEventId();
  if (typeof body.id === 'string' && !actor.privileged && !isValidEventId(id))
    throw invalid('Invalid resource id value.');
  if (cal.events.has(id)) throw duplicate();
  const now = new Date(emu.clock.now()).toISOString();
  const ev: EventResource = {
    kind: 'calendar#event',
    etag: '',
    id,
    status: 'confirmed',
    htmlLink: htmlLink(id, cal.id),
    created: now,
    updated: now,
    creator: { email: actor.email, ...(actor.email === cal.id ? { self: true } : {}) },
    organizer: { email: cal.id, displayName: cal.summary, self: true },
    ...pick(body),
    iCalUID: typeof body.iCalUID === 'string' ? body.iCalUID : `${id}@google.com`,
    sequence: typeof body.sequence === 'number' ? body.sequence : 0,
    reminders: (body.reminders as Record<string, unknown> | undefined) ?? { useDefault: true },
    eventType: (body.eventType as string | undefined) ?? 'default',
  };
  validateEvent(ev, actor);
  if (!actor.privileged) checkUsageLimit(emu, cal);
  normaliseAttendees(ev, cal.id);
  const stored: StoredEvent = { resource: ev, seq: 0 };
  cal.events.set(id, stored);
  touch(emu, cal, stored);
  return ev;
}

/** Splits `<id>_<suffix>` into series id and instance start. */
export function parseInstanceId(id: string): { masterId: string; suffix: string } | undefined {
  const m = /^(.+)_(\d{8}(?:T\d{6}Z)?)$/.exec(id);
  return m ? { masterId: m[1]!, suffix: m[2]! } : undefined;
}

function suffixToUtc(suffix: string): number {
  const d = `${suffix.slice(0, 4)}-${suffix.slice(4, 6)}-${suffix.slice(6, 8)}`;
  if (suffix.length === 8) return Date.parse(`${d}T00:00:00Z`);
  return Date.parse(`${d}T${suffix.slice(9, 11)}:${suffix.slice(11, 13)}:${suffix.slice(13, 15)}Z`);
}

/** Builds the instance resource Google returns for one occurrence of a series. */
export function instanceResource(master: EventResource, occ: Occurrence, cal: Calendar): EventResource {
  const { recurrence: _r, ...rest } = master;
  const tz = master.start?.timeZone ?? cal.timeZone;
  const id = `${master.id}_${occ.suffix}`;
  const inst: EventResource = {
    ...rest,
    id,
    htmlLink: htmlLink(id, cal.id),
    recurringEventId: master.id,
  };
  if (occ.allDay) {
    inst.start = { date: occ.date };
    inst.end = { date: occ.endDate };
    inst.originalStartTime = { date: occ.date };
  } else {
    const endTz = master.end?.timeZone ?? tz;
    inst.start = { dateTime: formatInZone(occ.startUtc, tz), timeZone: tz };
    inst.end = { dateTime: formatInZone(occ.endUtc, endTz), timeZone: endTz };
    inst.originalStartTime = { dateTime: formatInZone(occ.startUtc, tz), timeZone: tz };
  }
  return inst;
}

/** Finds a generated (not yet stored) instance of a series by instance id. */
export function findOccurrence(cal: Calendar, id: string): { master: StoredEvent; occ: Occurrence } | undefined {
  const parsed = parseInstanceId(id);
  if (!parsed) return undefined;
  const master = cal.events.get(parsed.masterId);
  if (!master?.resource.recurrence?.length || master.resource.status === 'cancelled') return undefined;
  const at = suffixToUtc(parsed.suffix);
  const occs = expand(master.resource, cal.timeZone, {
    fromUtc: at - 2 * 86_400_000,
    toUtc: at + 2 * 86_400_000,
    limit: 100_000,
  });
  const occ = occs.find((o) => o.suffix === parsed.suffix);
  return occ ? { master, occ } : undefined;
}

export function getEvent(cal: Calendar, eventId: string): EventResource {
  const stored = cal.events.get(eventId);
  if (stored) return stored.resource;
  const found = findOccurrence(cal, eventId);
  if (found) return instanceResource(found.master.resource, found.occ, cal);
  throw notFound();
}

/** Google's patch: nested objects merge, arrays and scalars replace, null clears. */
function deepMerge(target: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...target };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else if (
      typeof v === 'object' &&
      !Array.isArray(v) &&
      typeof out[k] === 'object' &&
      out[k] !== null &&
      !Array.isArray(out[k])
    ) {
      out[k] = deepMerge(out[k] as Record<string, unknown>, v as Record<string, unknown>);
    } else out[k] = v;
  }
  return out;
}

const SIGNIFICANT = ['start', 'end', 'recurrence', 'summary', 'location', 'description', 'status'];

/** update (PUT) or patch an event or an instance (instances become stored exceptions). */
export function modifyEvent(
  emu: Emu,
  cal: Calendar,
  eventId: string,
  body: Record<string, unknown>,
  opts: { patch: boolean; ifMatch?: string; actor: Actor; bumpSequence?: boolean },
): EventResource {
  checkWritable(emu, cal);
  let stored = cal.events.get(eventId);
  let base: EventResource;
  if (stored) {
    base = stored.resource;
  } else {
    const found = findOccurrence(cal, eventId);
    if (!found) throw notFound();
    base = instanceResource(found.master.resource, found.occ, cal);
  }
  if (opts.ifMatch && opts.ifMatch !== '*' && opts.ifMatch !== base.etag) throw conditionNotMet();
  if (stored?.deletedAt !== undefined && opts.patch && body.status === undefined) throw deleted();
  const server: Record<string, unknown> = {};
  for (const k of [
    'kind',
    'etag',
    'id',
    'htmlLink',
    'created',
    'updated',
    'creator',
    'organizer',
    'iCalUID',
    'sequence',
    'recurringEventId',
    'originalStartTime',
    'eventType',
  ]) {
    if (base[k] !== undefined) server[k] = base[k];
  }
  const next = (
    opts.patch ? deepMerge(base, pick(body)) : { ...server, status: base.status, ...pick(body) }
  ) as EventResource;
  for (const k of ['id', 'recurringEventId', 'originalStartTime', 'iCalUID', 'created', 'creator', 'organizer']) {
    if (base[k] !== undefined) next[k] = base[k];
  }
  if (!next.status) next.status = 'confirmed';
  if (!next.reminders) next.reminders = { useDefault: true };
  if (body.eventType !== undefined && body.eventType !== base.eventType && !opts.actor.privileged) {
    throw invalid('The event type cannot be changed.');
  }
  next.eventType =
    (opts.actor.privileged ? (body.eventType as string | undefined) : undefined) ?? base.eventType ?? 'default';
  validateEvent(next, { ...opts.actor, privileged: true });
  const changed = SIGNIFICANT.some((k) => JSON.stringify(next[k]) !== JSON.stringify(base[k]));
  const requestedSeq = typeof body.sequence === 'number' ? body.sequence : undefined;
  next.sequence = Math.max(requestedSeq ?? 0, (base.sequence ?? 0) + (changed || opts.bumpSequence ? 1 : 0));
  normaliseAttendees(next, cal.id);
  if (next.status !== 'cancelled' && stored) delete stored.deletedAt;
  if (!stored) {
    stored = { resource: next, seq: 0 };
    cal.events.set(eventId, stored);
  } else {
    stored.resource = next;
  }
  touch(emu, cal, stored);
  return next;
}

export function deleteEvent(emu: Emu, cal: Calendar, eventId: string, ifMatch?: string): void {
  checkWritable(emu, cal);
  let stored = cal.events.get(eventId);
  if (!stored) {
    const found = findOccurrence(cal, eventId);
    if (!found) throw notFound();
    const inst = instanceResource(found.master.resource, found.occ, cal);
    if (ifMatch && ifMatch !== '*' && ifMatch !== inst.etag) throw conditionNotMet();
    stored = { resource: { ...inst, status: 'cancelled' }, seq: 0, deletedAt: emu.clock.now() };
    cal.events.set(eventId, stored);
    touch(emu, cal, stored);
    return;
  }
  if (stored.resource.status === 'cancelled') throw deleted();
  if (ifMatch && ifMatch !== '*' && ifMatch !== stored.resource.etag) throw conditionNotMet();
  stored.resource = { ...stored.resource, status: 'cancelled' };
  stored.deletedAt = emu.clock.now();
  touch(emu, cal, stored);
  if (stored.resource.recurrence?.length) {
    // Exceptions of a deleted series go with it.
    for (const [id, ex] of cal.events) {
      if (ex.resource.recurringEventId === eventId && ex.resource.status !== 'cancelled') {
        ex.resource = { ...ex.resource, status: 'cancelled' };
        ex.deletedAt = emu.clock.now();
        touch(emu, cal, ex);
        void id;
      }
    }
  }
}

/**
 * "This and following" the way Google Calendar does it: the series is truncated with an
 * UNTIL just before the chosen instance and a new series (id `<id>_R<local start>`) starts there.
 */
export function splitSeries(
  emu: Emu,
  cal: Calendar,
  instanceId: string,
  patch: Record<string, unknown>,
  actor: Actor,
): { original: EventResource; created: EventResource } {
  const found = findOccurrence(cal, instanceId);
  if (!found) throw notFound();
  const master = found.master.resource;
  const untilMs = found.occ.startUtc - 1000;
  const until = found.occ.allDay
    ? (found.occ.date ?? '').replace(/-/g, '').replace(/(\d{8})/, (d) => {
        const prev = new Date(Date.parse(`${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T00:00:00Z`) - 86_400_000);
        return prev.toISOString().slice(0, 10).replace(/-/g, '');
      })
    : new Date(untilMs)
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d{3}/, '');
  const recurrence = (master.recurrence ?? []).map((line) =>
    line.toUpperCase().startsWith('RRULE:')
      ? `RRULE:${line
          .slice(6)
          .split(';')
          .filter((p) => !/^(UNTIL|COUNT)=/i.test(p))
          .concat(`UNTIL=${until}`)
          .join(';')}`
      : line,
  );
  const newStart = instanceResource(master, found.occ, cal);
  const newId = `${master.id}_R${found.occ.allDay ? found.occ.suffix : (newStart.start?.dateTime ?? '').slice(0, 19).replace(/[-:]/g, '')}`;
  const original = modifyEvent(emu, cal, master.id, { recurrence }, { patch: true, actor });
  const created = insertEvent(
    emu,
    cal,
    {
      ...pick(master as Record<string, unknown>),
      start: newStart.start,
      end: newStart.end,
      recurrence: master.recurrence,
      ...patch,
      id: newId,
    },
    { ...actor, privileged: true },
  );
  return { original, created };
}
