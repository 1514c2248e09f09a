import { type Migration, outboxMigration } from '@gcal-sync/shared';

export const inboundMigrations: Migration[] = [
  {
    version: 1,
    name: 'calendars and mirror',
    sql: `
      -- One row per synced calendar of a connection: sync token and sync health.
      CREATE TABLE sync_calendars (
        connection_id text NOT NULL,
        calendar_id text NOT NULL,
        org_id text NOT NULL,
        selected boolean NOT NULL DEFAULT true,
        sync_token text,
        state text NOT NULL DEFAULT 'ok' CHECK (state IN ('ok', 'backing_off', 'paused', 'revoked', 'quota_paused')),
        consecutive_failures integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz,
        last_synced_at timestamptz,
        last_error text,
        PRIMARY KEY (connection_id, calendar_id)
      );
      -- The mirror of Google's events: masters, exceptions and single events.
      CREATE TABLE mirror_events (
        connection_id text NOT NULL,
        calendar_id text NOT NULL,
        event_id text NOT NULL,
        version bigint NOT NULL,
        etag text NOT NULL,
        status text NOT NULL,
        recurring_event_id text,
        original_start jsonb,
        google_updated timestamptz NOT NULL,
        event jsonb NOT NULL,
        raw jsonb NOT NULL,
        PRIMARY KEY (connection_id, calendar_id, event_id)
      );
      CREATE INDEX mirror_events_series ON mirror_events (connection_id, calendar_id, recurring_event_id);
    `,
  },
  outboxMigration('sync_core_outbox', 2),
  {
    version: 3,
    name: 'inbound sync scheduling, alerts and read indexes',
    sql: `
      -- Durable sync requests: a notification bumps requested_seq; a sync that started at seq N
      -- sets handled_seq = N when it commits. Pending work is requested_seq > handled_seq, so a
      -- storm of notifications costs one more sync, and a crash or restart loses none.
      ALTER TABLE sync_calendars
        ADD COLUMN summary text,
        ADD COLUMN time_zone text,
        ADD COLUMN access_role text,
        ADD COLUMN requested_seq bigint NOT NULL DEFAULT 1,
        ADD COLUMN handled_seq bigint NOT NULL DEFAULT 0,
        -- The admin alert currently open for this calendar (sync.paused / sync.permanent-error), so
        -- exactly one is raised and it is resolved on recovery.
        ADD COLUMN open_alert text,
        ADD COLUMN state_changed_at timestamptz NOT NULL DEFAULT now(),
        ADD COLUMN last_full_sync_at timestamptz;
      CREATE INDEX sync_calendars_due ON sync_calendars (next_attempt_at) WHERE selected AND requested_seq > handled_seq;

      -- Echo detection: the marker the app writes in extendedProperties.private (gcalSyncWriteId),
      -- and whether the applied change was recognised as the app's own write.
      ALTER TABLE mirror_events
        ADD COLUMN write_id text,
        ADD COLUMN source text NOT NULL DEFAULT 'google',
        -- Time window for the read API (all-day dates at UTC midnight); null for series masters.
        ADD COLUMN start_at timestamptz,
        ADD COLUMN end_at timestamptz,
        ADD COLUMN synced_at timestamptz NOT NULL DEFAULT now();
      CREATE INDEX mirror_events_window ON mirror_events (connection_id, calendar_id, start_at, end_at);

      -- Calendar usage limit (403 quotaExceeded) pauses a whole account; one alert per account.
      CREATE TABLE sync_connections (
        connection_id text PRIMARY KEY,
        org_id text NOT NULL,
        revoked boolean NOT NULL DEFAULT false,
        quota_paused_until timestamptz,
        quota_alert_open boolean NOT NULL DEFAULT false
      );
    `,
  },
  {
    version: 4,
    name: 'account email for alerts',
    sql: `
      -- From connected / reauthorized, so alerts can name the Google account.
      ALTER TABLE sync_connections ADD COLUMN account_email text;
    `,
  },
];
