import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Emu } from './context';
import { ApiError } from './errors';
import { deleteEvent, insertEvent, modifyEvent, resolveCalendar, splitSeries } from './event-store';
import type { FaultSpec } from './faults';
import { parseJsonBody, readBody, sendJson } from './http';
import { randomToken } from './ids';
import { ACCESS_TOKEN_LIFETIME_S, revokeGrant } from './oauth';
import { nextSeq } from './state';
import { calendarResource, ensureUser, insertCalendar } from './users';

/**
 * Control API under /__emulator/: test and benchmark hooks that production code never calls.
 * Everything here bypasses OAuth, but edits go through the same mutation path as the
 * Calendar API, so etags, `updated`, sequence and push notifications behave the same.
 */
export async function handleControl(
  emu: Emu,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  path: string,
  reset: () => void,
): Promise<void> {
  try {
    const body = req.method === 'POST' ? parseJsonBody(await readBody(req)) : {};
    const out = route(emu, req.method ?? 'GET', path, body, url.searchParams, reset);
    sendJson(res, 200, out ?? { ok: true });
  } catch (err) {
    if (err instanceof ApiError) sendJson(res, err.code, err.body());
    else sendJson(res, 400, { error: { code: 400, message: (err as Error).message, errors: [] } });
  }
}

function userByEmail(emu: Emu, email: unknown) {
  const sub = emu.state.subByEmail.get(String(email ?? '').toLowerCase());
  if (!sub) throw new ApiError(404, 'notFound', `Unknown user ${String(email)}`);
  return emu.state.users.get(sub)!;
}

function calendarById(emu: Emu, id: unknown) {
  return resolveCalendar(emu, undefined, String(id ?? ''));
}

function route(
  emu: Emu,
  method: string,
  path: string,
  b: Record<string, unknown>,
  q: URLSearchParams,
  reset: () => void,
): unknown {
  const key = `${method} ${path}`;
  const actor = { email: String(b.actorEmail ?? 'someone.else@example.com'), privileged: true };
  switch (key) {
    case 'POST reset':
      reset();
      return { ok: true };
    case 'POST users': {
      const u = ensureUser(emu, String(b.email ?? ''), b.timeZone as string | undefined);
      return { sub: u.sub, email: u.email, primaryCalendarId: u.primaryCalendarId, timeZone: u.timeZone };
    }
    case 'POST calendars': {
      const owner = userByEmail(emu, b.ownerEmail);
      return calendarResource(insertCalendar(emu, owner, b as { summary?: string; timeZone?: string; id?: string }));
    }
    case 'POST tokens': {
      const u = userByEmail(emu, b.email);
      const clientId = String(b.clientId ?? 'emulator-client');
      const scopes = (b.scopes as string[] | undefined) ?? [
        'https://www.googleapis.com/auth/calendar',
        'openid',
        'email',
      ];
      const access = `ya29.${randomToken(48)}`;
      const lifetime = Number(b.expiresInSec ?? ACCESS_TOKEN_LIFETIME_S);
      emu.state.accessTokens.set(access, {
        token: access,
        sub: u.sub,
        clientId,
        scopes,
        expiresAt: emu.clock.now() + lifetime * 1000,
        revoked: false,
      });
      const refresh = `1//0${randomToken(48)}`;
      emu.state.refreshTokens.set(refresh, { token: refresh, sub: u.sub, clientId, scopes, revoked: false });
      emu.state.grants.set(`${u.sub} ${clientId}`, scopes);
      return {
        access_token: access,
        refresh_token: refresh,
        expires_in: lifetime,
        scope: scopes.join(' '),
        token_type: 'Bearer',
      };
    }
    case 'POST events/create':
      return insertEvent(emu, calendarById(emu, b.calendarId), (b.event ?? {}) as Record<string, unknown>, actor);
    case 'POST events/create-batch': {
      const cal = calendarById(emu, b.calendarId);
      return { items: ((b.events ?? []) as Record<string, unknown>[]).map((e) => insertEvent(emu, cal, e, actor)) };
    }
    case 'POST events/edit':
      return modifyEvent(
        emu,
        calendarById(emu, b.calendarId),
        String(b.eventId),
        (b.patch ?? {}) as Record<string, unknown>,
        { patch: true, actor, bumpSequence: true },
      );
    case 'POST events/delete':
      deleteEvent(emu, calendarById(emu, b.calendarId), String(b.eventId));
      return { ok: true };
    case 'POST events/split':
      return splitSeries(
        emu,
        calendarById(emu, b.calendarId),
        String(b.instanceId),
        (b.patch ?? {}) as Record<string, unknown>,
        actor,
      );
    case 'GET events': {
      const cal = calendarById(emu, q.get('calendarId'));
      const stored = cal.events.get(q.get('eventId') ?? '');
      if (!stored) throw new ApiError(404, 'notFound', 'Not Found');
      return {
        ...stored.resource,
        __seq: stored.seq,
        ...(stored.deletedAt ? { __deletedAt: new Date(stored.deletedAt).toISOString() } : {}),
      };
    }
    case 'POST clock/advance':
      return clockOut(emu.clock.advance(Number(b.ms ?? 0)));
    case 'POST clock/set':
      return clockOut(emu.clock.set(String(b.iso)));
    case 'GET clock':
      return clockOut(emu.clock.now());
    case 'POST grants/revoke':
      revokeGrant(emu, userByEmail(emu, b.email).sub, b.clientId as string | undefined);
      return { ok: true };
    case 'POST sync-tokens/invalidate':
      for (const cal of emu.state.calendars.values()) {
        if (b.calendarId === undefined || cal.id === b.calendarId) cal.syncEpoch += 1;
      }
      nextSeq(emu.state);
      return { ok: true };
    case 'POST channels/expire': {
      const ch = emu.state.channels.get(String(b.id));
      if (!ch) throw new ApiError(404, 'notFound', 'Unknown channel');
      ch.expiration = Math.min(ch.expiration, emu.clock.now() - 1);
      return { ok: true };
    }
    case 'GET channels':
      return {
        items: [...emu.state.channels.values()].map((c) => ({
          id: c.id,
          resourceId: c.resourceId,
          resourceUri: c.resourceUri,
          address: c.address,
          token: c.token,
          expiration: String(c.expiration),
          expired: c.expiration <= emu.clock.now(),
          stopped: c.stopped,
          delivered: c.delivered,
          failed: c.failed,
          messageNumber: c.messageNumber,
          clientId: c.clientId,
          userEmail: emu.state.users.get(c.sub)?.email,
        })),
      };
    case 'POST faults':
      emu.faults.add(b as unknown as FaultSpec);
      return { ok: true };
    case 'POST faults/clear':
      emu.faults.clear();
      return { ok: true };
    case 'POST quota':
      emu.quota.options = { ...emu.quota.options, ...b };
      return emu.quota.options;
    case 'GET counters':
      return emu.counters.snapshot();
    case 'POST counters/reset':
      emu.counters.reset();
      return { ok: true };
    case 'POST notifications':
      emu.push.controls = { ...b };
      if (!b.reorder) emu.push.flushHeld();
      return emu.push.controls;
    case 'POST notifications/flush':
      emu.push.flushHeld();
      return { ok: true };
    case 'GET notifications/log':
      return { items: emu.push.log };
    default:
      throw new ApiError(404, 'notFound', `Unknown control endpoint ${key}`);
  }
}

function clockOut(ms: number) {
  return { now: new Date(ms).toISOString(), ms };
}
