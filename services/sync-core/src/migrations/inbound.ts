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
];
