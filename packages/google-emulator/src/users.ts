import { randomInt } from 'node:crypto';
import type { Emu } from './context';
import { ApiError, badRequest } from './errors';
import { makeEtag } from './event-store';
import { randomToken } from './ids';
import { type Calendar, nextSeq, type User } from './state';
import { isValidTimeZone } from './time-zone';

function newSub(): string {
  // Google subjects are 21-digit decimal strings.
  let s = String(randomInt(1, 10));
  for (let i = 0; i < 20; i += 1) s += String(randomInt(0, 10));
  return s;
}

export function newCalendar(
  emu: Emu,
  owner: User,
  id: string,
  summary: string,
  timeZone: string,
  description?: string,
): Calendar {
  const seq = nextSeq(emu.state);
  const cal: Calendar = {
    id,
    summary,
    ...(description ? { description } : {}),
    timeZone,
    ownerSub: owner.sub,
    etag: makeEtag(emu.clock.now(), seq),
    syncEpoch: 0,
    seq,
    events: new Map(),
    createdAt: [],
  };
  emu.state.calendars.set(id, cal);
  owner.calendarIds.push(id);
  emu.push.notify(`calendarList:${owner.sub}`);
  return cal;
}

/** Returns the user with this email, creating it (and its primary calendar) on first sight. */
export function ensureUser(emu: Emu, email: string, timeZone?: string): User {
  const lower = email.toLowerCase();
  const existing = emu.state.subByEmail.get(lower);
  if (existing) return emu.state.users.get(existing)!;
  const tz = timeZone ?? emu.options.defaultTimeZone ?? 'UTC';
  if (!isValidTimeZone(tz)) throw badRequest(`Invalid time zone: ${tz}`);
  const user: User = { sub: newSub(), email: lower, timeZone: tz, primaryCalendarId: lower, calendarIds: [] };
  emu.state.users.set(user.sub, user);
  emu.state.subByEmail.set(lower, user.sub);
  newCalendar(emu, user, lower, lower, tz);
  return user;
}

export function insertCalendar(
  emu: Emu,
  owner: User,
  body: { summary?: string; timeZone?: string; description?: string; id?: string },
): Calendar {
  if (!body.summary) throw new ApiError(400, 'required', 'Missing title.');
  const tz = body.timeZone ?? owner.timeZone;
  if (!isValidTimeZone(tz)) throw badRequest('Invalid time zone.');
  const id =
    body.id ??
    `c_${randomToken(20)
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '')}@group.calendar.google.com`;
  return newCalendar(emu, owner, id, body.summary, tz, body.description);
}

export function calendarResource(cal: Calendar): Record<string, unknown> {
  return {
    kind: 'calendar#calendar',
    etag: cal.etag,
    id: cal.id,
    summary: cal.summary,
    ...(cal.description ? { description: cal.description } : {}),
    timeZone: cal.timeZone,
    conferenceProperties: { allowedConferenceSolutionTypes: ['hangoutsMeet'] },
  };
}

export function calendarListEntry(cal: Calendar, user: User): Record<string, unknown> {
  return {
    kind: 'calendar#calendarListEntry',
    etag: cal.etag,
    id: cal.id,
    summary: cal.summary,
    ...(cal.description ? { description: cal.description } : {}),
    timeZone: cal.timeZone,
    colorId: '14',
    backgroundColor: '#9fe1e7',
    foregroundColor: '#000000',
    selected: true,
    accessRole: 'owner',
    defaultReminders: cal.id === user.primaryCalendarId ? [{ method: 'popup', minutes: 30 }] : [],
    ...(cal.id === user.primaryCalendarId
      ? { primary: true, notificationSettings: { notifications: [{ type: 'eventCreation', method: 'email' }] } }
      : {}),
    conferenceProperties: { allowedConferenceSolutionTypes: ['hangoutsMeet'] },
  };
}
