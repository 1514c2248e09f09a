import type { QuotaOptions } from './context';
import type { FaultSpec } from './faults';
import type { DeliveryControls, DeliveryRecord } from './push';

/** Loosely typed Calendar event as the control API returns it (compatible with calendar_v3.Schema$Event). */
export type ControlEvent = Record<string, unknown> & { id: string; etag: string; status: string; updated: string };

export interface ControlUser {
  sub: string;
  email: string;
  primaryCalendarId: string;
  timeZone: string;
}

export interface ControlChannel {
  id: string;
  resourceId: string;
  resourceUri: string;
  address: string;
  token?: string;
  expiration: string;
  expired: boolean;
  stopped: boolean;
  delivered: number;
  failed: number;
  messageNumber: number;
  clientId: string;
  userEmail?: string;
}

export interface ControlTokens {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  scope: string;
  token_type: 'Bearer';
}

/**
 * Typed client of the emulator's control API (`/__emulator/`), for other packages' tests.
 * Edits made through it appear as another client's changes (new etag/updated/sequence, push).
 */
export class EmulatorControl {
  constructor(readonly baseUrl: string) {}

  private async call<T>(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    query?: Record<string, string>,
  ): Promise<T> {
    const url = new URL(`/__emulator/${path}`, this.baseUrl);
    for (const [k, v] of Object.entries(query ?? {})) url.searchParams.set(k, v);
    const res = await fetch(url, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const json = text ? (JSON.parse(text) as unknown) : undefined;
    if (!res.ok) {
      const msg = (json as { error?: { message?: string } } | undefined)?.error?.message ?? text;
      throw new Error(`emulator control ${method} ${path} failed: ${res.status} ${msg}`);
    }
    return json as T;
  }

  /** Drops all users, calendars, tokens, channels, faults, counters and clock offset. */
  reset(): Promise<{ ok: true }> {
    return this.call('POST', 'reset', {});
  }

  /** Creates (or returns) a user with a primary calendar whose id is the email. */
  createUser(input: { email: string; timeZone?: string }): Promise<ControlUser> {
    return this.call('POST', 'users', input);
  }

  createCalendar(input: {
    ownerEmail: string;
    summary: string;
    timeZone?: string;
    id?: string;
  }): Promise<{ id: string; summary: string; timeZone: string; etag: string }> {
    return this.call('POST', 'calendars', input);
  }

  /** Issues tokens without the browser flow (shortcut for tests; the OAuth flow is still the real thing). */
  issueTokens(input: {
    email: string;
    clientId?: string;
    scopes?: string[];
    expiresInSec?: number;
  }): Promise<ControlTokens> {
    return this.call('POST', 'tokens', input);
  }

  createEvent(calendarId: string, event: object, actorEmail?: string): Promise<ControlEvent> {
    return this.call('POST', 'events/create', { calendarId, event, actorEmail });
  }

  /** Creates many events in one call (seeding large calendars). */
  async createEvents(calendarId: string, events: object[], actorEmail?: string): Promise<ControlEvent[]> {
    return (
      await this.call<{ items: ControlEvent[] }>('POST', 'events/create-batch', { calendarId, events, actorEmail })
    ).items;
  }

  /** Patches an event (or instance) as another client would; always bumps sequence. */
  editEvent(calendarId: string, eventId: string, patch: object, actorEmail?: string): Promise<ControlEvent> {
    return this.call('POST', 'events/edit', { calendarId, eventId, patch, actorEmail });
  }

  deleteEvent(calendarId: string, eventId: string): Promise<{ ok: true }> {
    return this.call('POST', 'events/delete', { calendarId, eventId });
  }

  /** "This and following" edit: truncates the series with UNTIL and starts a new one at the instance. */
  splitSeries(
    calendarId: string,
    instanceId: string,
    patch: object = {},
  ): Promise<{ original: ControlEvent; created: ControlEvent }> {
    return this.call('POST', 'events/split', { calendarId, instanceId, patch });
  }

  /**
   * Raw stored state of an event (tombstones included); `__seq` is the change number.
   * `E` narrows the resource for callers that read its fields (e.g. a calendar_v3 event type).
   */
  getEvent<E extends object = ControlEvent>(
    calendarId: string,
    eventId: string,
  ): Promise<E & { __seq: number; __deletedAt?: string }> {
    return this.call('GET', 'events', undefined, { calendarId, eventId });
  }

  advanceClock(ms: number): Promise<{ now: string; ms: number }> {
    return this.call('POST', 'clock/advance', { ms });
  }

  setClock(iso: string): Promise<{ now: string; ms: number }> {
    return this.call('POST', 'clock/set', { iso });
  }

  now(): Promise<{ now: string; ms: number }> {
    return this.call('GET', 'clock');
  }

  /** Revokes every grant of the user (refresh → invalid_grant, access tokens → 401). */
  revokeGrant(email: string, clientId?: string): Promise<{ ok: true }> {
    return this.call('POST', 'grants/revoke', { email, clientId });
  }

  /** Next use of any earlier sync token (of one calendar, or all) gets 410 fullSyncRequired. */
  invalidateSyncTokens(calendarId?: string): Promise<{ ok: true }> {
    return this.call('POST', 'sync-tokens/invalidate', { calendarId });
  }

  expireChannel(id: string): Promise<{ ok: true }> {
    return this.call('POST', 'channels/expire', { id });
  }

  async listChannels(): Promise<ControlChannel[]> {
    return (await this.call<{ items: ControlChannel[] }>('GET', 'channels')).items;
  }

  /** e.g. `{ method: 'calendar.events.list', status: 503, times: 2 }` or `{ method: '*', latencyMs: 200 }`. */
  injectFault(fault: FaultSpec): Promise<{ ok: true }> {
    return this.call('POST', 'faults', fault);
  }

  clearFaults(): Promise<{ ok: true }> {
    return this.call('POST', 'faults/clear', {});
  }

  setQuota(quota: QuotaOptions): Promise<QuotaOptions> {
    return this.call('POST', 'quota', quota);
  }

  /** Calls per method per user email, e.g. `{ 'calendar.events.list': { 'a@x': 3 } }`. */
  counters(): Promise<Record<string, Record<string, number>>> {
    return this.call('GET', 'counters');
  }

  /** Calls of one method, all users together. */
  async calls(method: string): Promise<number> {
    return Object.values((await this.counters())[method] ?? {}).reduce((a, b) => a + b, 0);
  }

  resetCounters(): Promise<{ ok: true }> {
    return this.call('POST', 'counters/reset', {});
  }

  /** Replaces the delivery controls (drop / delay / duplicate / reorder). `{}` restores normal delivery. */
  setNotificationDelivery(controls: DeliveryControls): Promise<DeliveryControls> {
    return this.call('POST', 'notifications', controls);
  }

  flushNotifications(): Promise<{ ok: true }> {
    return this.call('POST', 'notifications/flush', {});
  }

  async notificationLog(): Promise<DeliveryRecord[]> {
    return (await this.call<{ items: DeliveryRecord[] }>('GET', 'notifications/log')).items;
  }
}
