import type { IncomingMessage, ServerResponse } from 'node:http';
import { createChannel, stopChannel } from './channels';
import type { Emu } from './context';
import { ApiError, fullSyncRequired, insufficientPermissions, notFound } from './errors';
import { deleteEvent, getEvent, insertEvent, modifyEvent, resolveCalendar } from './event-store';
import { listEvents, listInstances } from './events-list';
import { queryFreeBusy } from './freebusy';
import { parseJsonBody, RawJson, readBody, sendEmpty, sendJson } from './http';
import { authenticate } from './oauth';
import { decodePageToken, decodeSyncToken, encodePageToken, encodeSyncToken } from './page-tokens';
import { hasScopeFor } from './scopes';
import type { AccessToken, User } from './state';
import { calendarListEntry, calendarResource, insertCalendar } from './users';

interface Route {
  method: string;
  name: string;
  params: string[];
}

/** Maps `/calendar/v3/...` segments to a discovery method name and its path parameters. */
export function matchRoute(httpMethod: string, segs: string[]): Route | undefined {
  const [a, b, c, d, e] = segs;
  const n = segs.length;
  if (a === 'users' && b === 'me' && c === 'calendarList') {
    if (n === 3 && httpMethod === 'GET') return { method: httpMethod, name: 'calendar.calendarList.list', params: [] };
    if (n === 4 && d === 'watch' && httpMethod === 'POST')
      return { method: httpMethod, name: 'calendar.calendarList.watch', params: [] };
    if (n === 4 && httpMethod === 'GET') return { method: httpMethod, name: 'calendar.calendarList.get', params: [d!] };
    return undefined;
  }
  if (a === 'calendars') {
    if (n === 1 && httpMethod === 'POST') return { method: httpMethod, name: 'calendar.calendars.insert', params: [] };
    if (n === 2 && httpMethod === 'GET') return { method: httpMethod, name: 'calendar.calendars.get', params: [b!] };
    if (c === 'events') {
      if (n === 3 && httpMethod === 'GET') return { method: httpMethod, name: 'calendar.events.list', params: [b!] };
      if (n === 3 && httpMethod === 'POST') return { method: httpMethod, name: 'calendar.events.insert', params: [b!] };
      if (n === 4 && d === 'watch' && httpMethod === 'POST')
        return { method: httpMethod, name: 'calendar.events.watch', params: [b!] };
      if (n === 4) {
        const map: Record<string, string> = { GET: 'get', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };
        const m = map[httpMethod];
        if (m) return { method: httpMethod, name: `calendar.events.${m}`, params: [b!, d!] };
      }
      if (n === 5 && e === 'instances' && httpMethod === 'GET')
        return { method: httpMethod, name: 'calendar.events.instances', params: [b!, d!] };
    }
    return undefined;
  }
  if (a === 'channels' && b === 'stop' && n === 2 && httpMethod === 'POST')
    return { method: httpMethod, name: 'calendar.channels.stop', params: [] };
  if (a === 'freeBusy' && n === 1 && httpMethod === 'POST')
    return { method: httpMethod, name: 'calendar.freebusy.query', params: [] };
  return undefined;
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export async function handleCalendar(
  emu: Emu,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  rest: string,
): Promise<void> {
  try {
    const segs = rest.split('/').filter(Boolean).map(decodeURIComponent);
    const route = matchRoute(req.method ?? 'GET', segs);
    if (!route) throw notFound();
    const token = authenticate(emu, req.headers.authorization, url.searchParams.get('access_token'));
    const user = emu.state.users.get(token.sub)!;
    emu.counters.add(route.name, user.email);
    const fault = emu.faults.take(route.name);
    if (fault?.latencyMs) await delay(fault.latencyMs);
    if (fault?.error) throw fault.error;
    const limited = emu.quota.check(token.clientId, token.sub);
    if (limited) throw limited;
    if (!hasScopeFor(route.name, token.scopes)) throw insufficientPermissions();
    const hasBody = req.method === 'POST' || req.method === 'PUT' || req.method === 'PATCH';
    const body = hasBody ? parseJsonBody(await readBody(req)) : {};
    const out = dispatch(emu, route, token, user, url, body, req);
    const ifNoneMatch = req.headers['if-none-match'];
    if (out === undefined) sendEmpty(res, 204);
    else if (
      route.name === 'calendar.events.get' &&
      ifNoneMatch !== undefined &&
      ifNoneMatch === (out as Record<string, unknown>).etag
    ) {
      // Google answers a conditional GET of an unchanged resource with 304 and no body.
      res.writeHead(304, { ETag: ifNoneMatch });
      res.end();
    } else if (out instanceof RawJson) {
      res.writeHead(200, {
        'Content-Type': 'application/json; charset=UTF-8',
        'Content-Length': Buffer.byteLength(out.text),
        Vary: 'Origin, X-Origin, Referer',
        ...(out.etag ? { ETag: out.etag } : {}),
      });
      res.end(out.text);
    } else sendJson(res, 200, out, typeof out.etag === 'string' ? { ETag: out.etag } : {});
  } catch (err) {
    if (err instanceof ApiError) {
      sendJson(res, err.code, err.body());
      return;
    }
    sendJson(res, 500, new ApiError(500, 'backendError', 'Backend Error').body());
    console.error('[google-emulator]', err);
  }
}

function dispatch(
  emu: Emu,
  route: Route,
  token: AccessToken,
  user: User,
  url: URL,
  body: Record<string, unknown>,
  req: IncomingMessage,
): Record<string, unknown> | RawJson | undefined {
  const q = url.searchParams;
  const p = route.params;
  const actor = { email: user.email };
  const ifMatch = typeof req.headers['if-match'] === 'string' ? req.headers['if-match'] : undefined;
  switch (route.name) {
    case 'calendar.calendarList.list':
      return listCalendarList(emu, user, q);
    case 'calendar.calendarList.get':
      return calendarListEntry(resolveCalendar(emu, user.sub, p[0]!), user);
    case 'calendar.calendarList.watch':
      return createChannel(
        emu,
        token,
        `calendarList:${user.sub}`,
        `${emu.origin}/calendar/v3/users/me/calendarList?alt=json`,
        body,
      );
    case 'calendar.calendars.get':
      return calendarResource(resolveCalendar(emu, user.sub, p[0]!));
    case 'calendar.calendars.insert':
      return calendarResource(
        insertCalendar(emu, user, body as { summary?: string; timeZone?: string; description?: string }),
      );
    case 'calendar.events.list':
      return listEvents(emu, resolveCalendar(emu, user.sub, p[0]!), q);
    case 'calendar.events.insert':
      return insertEvent(emu, resolveCalendar(emu, user.sub, p[0]!), body, actor);
    case 'calendar.events.watch': {
      const cal = resolveCalendar(emu, user.sub, p[0]!);
      return createChannel(
        emu,
        token,
        `events:${cal.id}`,
        `${emu.origin}/calendar/v3/calendars/${encodeURIComponent(cal.id)}/events?alt=json`,
        body,
        q.getAll('eventTypes'),
      );
    }
    case 'calendar.events.get':
      return getEvent(resolveCalendar(emu, user.sub, p[0]!), p[1]!);
    case 'calendar.events.update':
      return modifyEvent(emu, resolveCalendar(emu, user.sub, p[0]!), p[1]!, body, { patch: false, ifMatch, actor });
    case 'calendar.events.patch':
      return modifyEvent(emu, resolveCalendar(emu, user.sub, p[0]!), p[1]!, body, { patch: true, ifMatch, actor });
    case 'calendar.events.delete':
      deleteEvent(emu, resolveCalendar(emu, user.sub, p[0]!), p[1]!, ifMatch);
      return undefined;
    case 'calendar.events.instances':
      return listInstances(emu, resolveCalendar(emu, user.sub, p[0]!), p[1]!, q);
    case 'calendar.channels.stop':
      stopChannel(emu, token, body);
      return undefined;
    case 'calendar.freebusy.query':
      return queryFreeBusy(emu, user, body);
    default:
      throw notFound();
  }
}

function listCalendarList(emu: Emu, user: User, q: URLSearchParams): Record<string, unknown> {
  const syncToken = q.get('syncToken');
  let since: number | undefined;
  if (syncToken !== null) {
    if (q.has('minAccessRole'))
      throw new ApiError(400, 'invalid', 'Sync token cannot be used together with minAccessRole.');
    const st = decodeSyncToken(syncToken);
    if (!st || st.c !== `list:${user.sub}`) throw fullSyncRequired();
    since = st.s;
  }
  const all = user.calendarIds
    .map((id) => emu.state.calendars.get(id))
    .filter((c) => c !== undefined && (since === undefined || c.seq > since))
    .map((c) => calendarListEntry(c!, user));
  // calendarList pages: default 100, at most 250 (Google's documented bounds).
  const maxResults = Math.min(Math.max(Number(q.get('maxResults') ?? 100) || 100, 1), 250);
  const pageToken = q.get('pageToken');
  const offset = pageToken ? (decodePageToken(pageToken)?.o ?? 0) : 0;
  const out: Record<string, unknown> = { kind: 'calendar#calendarList', etag: `"p${emu.state.seq}"` };
  if (offset + maxResults < all.length)
    out.nextPageToken = encodePageToken({ o: offset + maxResults, s: emu.state.seq, q: '' });
  else out.nextSyncToken = encodeSyncToken({ c: `list:${user.sub}`, s: emu.state.seq, e: 0 });
  out.items = all.slice(offset, offset + maxResults);
  return out;
}
