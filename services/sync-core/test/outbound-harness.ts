import { startAccessTokenServer } from '@gcal-sync/contract-testkit';
import { EmulatorControl } from '@gcal-sync/google-emulator';
import {
  BOOKING_EVENT_PATH,
  BOOKING_EVENTS_PATH,
  type BookingErrorResponse,
  type BookingQueuedResponse,
  type BookingWriteResponse,
  createPool,
  googleEnvForOrigin,
  type MessageOf,
  topicName,
} from '@gcal-sync/shared';
import {
  consumeTopic,
  createTestDatabase,
  kafkaBrokers,
  type TestDatabase,
  uniqueTopicPrefix,
} from '@gcal-sync/testkit';
import type { calendar_v3 } from 'googleapis/build/src/apis/calendar';
import { OAUTH_CREDENTIAL, READ_TOKEN, startSyncCore, syncCoreEnv } from './inbound-harness';

/** An event as the emulator stores it (Google's resource; `start`/`end` always present on our events). */
export type EmulatorEvent = calendar_v3.Schema$Event & {
  id: string;
  etag: string;
  start: calendar_v3.Schema$EventDateTime;
  attendees: calendar_v3.Schema$EventAttendee[];
};
/** Every answer of the booking API, flattened for assertions. */
export type ApiBody = Partial<BookingWriteResponse> & Partial<BookingQueuedResponse> & Partial<BookingErrorResponse>;

export type BookingApi = ReturnType<typeof bookingApi>;

/** The booking API as the booking app calls it. */
export function bookingApi(baseUrl: string, connectionId: string) {
  const send = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${READ_TOKEN}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return {
      status: res.status,
      body: (await res.json()) as ApiBody & Record<string, unknown>,
      serverTiming: res.headers.get('server-timing'),
    };
  };
  return {
    create: (body: Record<string, unknown>) => send('POST', BOOKING_EVENTS_PATH(connectionId), body),
    update: (eventId: string, body: Record<string, unknown>) =>
      send('PATCH', BOOKING_EVENT_PATH(connectionId, eventId), body),
    remove: (eventId: string, query: Record<string, string | number>) =>
      send(
        'DELETE',
        `${BOOKING_EVENT_PATH(connectionId, eventId)}?${new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]))}`,
      ),
  };
}

export type OutboundWorld = Awaited<ReturnType<typeof startOutboundWorld>>;

/**
 * One test file's world: its own database and topic prefix, an emulator with one user, a token
 * service doing real refresh grants against it, sync-core in-process, and the connection's
 * calendar registered as selected (sync not requested, so only the test decides when inbound syncs).
 */
export async function startOutboundWorld(options: {
  emulatorUrl: string;
  extraEnv?: Record<string, string>;
  email?: string;
}) {
  const db: TestDatabase = await createTestDatabase();
  const prefix = uniqueTopicPrefix();
  const brokers = await kafkaBrokers();
  const control = new EmulatorControl(options.emulatorUrl);
  const email = options.email ?? `rep-${prefix.slice(1, 9)}@example.com`;
  const user = await control.createUser({ email, timeZone: 'America/Los_Angeles' });
  const clientId = 'sync-core-outbound-test';
  const grant = await control.issueTokens({ email, clientId });
  const tokens = await startAccessTokenServer({
    emulatorOrigin: options.emulatorUrl,
    clientId,
    clientSecret: 'unused-secret',
    credential: OAUTH_CREDENTIAL,
  });
  const connectionId = `conn-${prefix.slice(1, 9)}`;
  const orgId = 'org-outbound';
  tokens.register(connectionId, grant.refresh_token, email);
  const results = await consumeTopic<MessageOf<'bookingResults'>>(topicName('bookingResults', prefix));
  const changes = await consumeTopic<MessageOf<'eventChanges'>>(topicName('eventChanges', prefix));
  const alerts = await consumeTopic<MessageOf<'adminAlerts'>>(topicName('adminAlerts', prefix));
  const service = await startSyncCore(
    syncCoreEnv({
      databaseUrl: db.url,
      brokers,
      topicPrefix: prefix,
      googleEnv: googleEnvForOrigin(options.emulatorUrl),
      oauthUrl: tokens.url,
      extra: {
        OUTBOUND_BACKOFF_BASE_MS: '40',
        OUTBOUND_SYNC_WAIT_MS: '150',
        OUTBOUND_RETRY_POLL_MS: '50',
        SYNC_SWEEP_INTERVAL_MS: '100000',
        ...options.extraEnv,
      },
    }),
  );
  const pool = createPool(db.url, { max: 3 });
  const calendarId = user.primaryCalendarId;
  // Selected for sync, with no sync requested yet (requested_seq = handled_seq).
  await pool.query(
    `INSERT INTO sync_calendars (connection_id, calendar_id, org_id, selected, requested_seq, handled_seq)
     VALUES ($1, $2, $3, true, 0, 0)`,
    [connectionId, calendarId, orgId],
  );
  return {
    db,
    pool,
    prefix,
    brokers,
    control,
    calendarId,
    connectionId,
    orgId,
    email,
    service,
    api: bookingApi(service.url, connectionId),
    results,
    changes,
    alerts,
    async stop() {
      await service.stop();
      await Promise.all([results.stop(), changes.stop(), alerts.stop()]);
      await tokens.close();
      await pool.end();
      await db.drop();
    },
  };
}
