import {
  type AccessTokenClient,
  type ClassifiedGoogleError,
  classifyGoogleError,
  googleCallErrorLabels,
  googleCallOkLabels,
} from '@gcal-sync/shared';
import { calendar_v3 } from 'googleapis/build/src/apis/calendar';
import { addGoogleTime, type TimedGoogle } from './google-timing';
import type { OutboundMetrics } from './outbound-metrics';

export type GoogleEvent = calendar_v3.Schema$Event;
export type SendUpdates = 'all' | 'externalOnly' | 'none';

/** A failed Google call, classified (transient, precondition-failed, duplicate, not-found, …). */
export class GoogleCallError extends Error {
  constructor(
    readonly method: string,
    readonly classified: ClassifiedGoogleError,
    readonly retryAfterMs: number | undefined,
  ) {
    super(
      `Google ${method} failed: ${classified.status ?? 'network'} ${classified.reason ?? ''} ${classified.message}`,
    );
    this.name = 'GoogleCallError';
  }
}

export type GoogleCalendarClient = {
  insert(connectionId: string, calendarId: string, body: GoogleEvent, sendUpdates?: SendUpdates): Promise<GoogleEvent>;
  patch(
    connectionId: string,
    calendarId: string,
    eventId: string,
    body: GoogleEvent,
    options: { etag?: string; sendUpdates?: SendUpdates },
  ): Promise<GoogleEvent>;
  get(connectionId: string, calendarId: string, eventId: string): Promise<GoogleEvent>;
  delete(
    connectionId: string,
    calendarId: string,
    eventId: string,
    options: { etag?: string; sendUpdates?: SendUpdates },
  ): Promise<void>;
  /** The real id of a calendar alias such as `primary`. */
  calendarId(connectionId: string, alias: string): Promise<string>;
};

function retryAfterMs(error: unknown): number | undefined {
  const headers = (error as { response?: { headers?: Headers | Record<string, string> } })?.response?.headers;
  const raw = headers instanceof Headers ? headers.get('retry-after') : headers?.['retry-after'];
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const at = Date.parse(raw);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
}

/**
 * Calendar v3 through googleapis, pointed at `rootUrl` (Google, or the emulator in tests). Access
 * tokens come from the oauth service; a 401 gets one refresh and one retry. gaxios' own retries are
 * off: backoff is ours, so it is visible and bounded. Time spent waiting on Google is added to the
 * request's timing slot (Server-Timing header, overhead benchmark).
 */
export function createGoogleCalendarClient(options: {
  rootUrl: string;
  tokens: AccessTokenClient;
  metrics: OutboundMetrics;
  timing: TimedGoogle;
  timeoutMs?: number;
}): GoogleCalendarClient {
  const api = new calendar_v3.Calendar({ rootUrl: options.rootUrl });

  /** `fn` answers gaxios' response: its status labels the call counter. */
  async function call<T>(
    method: string,
    connectionId: string,
    fn: (headers: Record<string, string>) => Promise<{ status: number; data: T }>,
  ): Promise<T> {
    let token = await options.tokens.get(connectionId);
    for (let attempt = 1; ; attempt++) {
      const started = performance.now();
      try {
        const res = await fn({ authorization: `Bearer ${token}` });
        addGoogleTime(options.timing, performance.now() - started);
        options.metrics.googleCalls.inc({ method, outcome: 'ok', ...googleCallOkLabels(res.status) });
        return res.data;
      } catch (error) {
        addGoogleTime(options.timing, performance.now() - started);
        const classified = classifyGoogleError(error);
        options.metrics.googleCalls.inc({ method, outcome: classified.kind, ...googleCallErrorLabels(classified) });
        if (classified.kind === 'unauthorized' && attempt === 1) {
          token = await options.tokens.refreshAfterRejection(connectionId, token);
          continue;
        }
        throw new GoogleCallError(method, classified, retryAfterMs(error));
      }
    }
  }

  const common = (headers: Record<string, string>) => ({ headers, retry: false, timeout: options.timeoutMs ?? 30_000 });

  return {
    insert: (connectionId, calendarId, body, sendUpdates) =>
      call('events.insert', connectionId, (headers) =>
        api.events.insert({ calendarId, requestBody: body, sendUpdates }, common(headers)),
      ),
    patch: (connectionId, calendarId, eventId, body, { etag, sendUpdates }) =>
      call('events.patch', connectionId, (headers) =>
        api.events.patch(
          { calendarId, eventId, requestBody: body, sendUpdates },
          common(etag ? { ...headers, 'if-match': etag } : headers),
        ),
      ),
    get: (connectionId, calendarId, eventId) =>
      call('events.get', connectionId, (headers) => api.events.get({ calendarId, eventId }, common(headers))),
    delete: (connectionId, calendarId, eventId, { etag, sendUpdates }) =>
      call('events.delete', connectionId, async (headers) => {
        const res = await api.events.delete(
          { calendarId, eventId, sendUpdates },
          common(etag ? { ...headers, 'if-match': etag } : headers),
        );
        return { status: res.status, data: undefined };
      }),
    // calendarList.get, not calendars.get: our scopes (calendar.events + calendar.calendarlist.readonly)
    // do not cover calendars.get, and the calendar list entry resolves the alias just as well.
    calendarId: (connectionId, alias) =>
      call('calendarList.get', connectionId, async (headers) => {
        const res = await api.calendarList.get({ calendarId: alias }, common(headers));
        return { status: res.status, data: res.data.id ?? alias };
      }),
  };
}
