import type { Migration } from '@gcal-sync/shared';

/** Outbound (app → Google) tables: versions 100–199. */
export const outboundMigrations: Migration[] = [
  {
    version: 100,
    name: 'outbound commands, own writes, conflicts',
    sql: `
      -- Every booking write (HTTP or booking-commands), by its idempotency key. A redelivered or
      -- retried command returns the stored result; queued rows are the retry queue (rate limits).
      CREATE TABLE outbound_commands (
        command_id text PRIMARY KEY,
        org_id text NOT NULL,
        connection_id text NOT NULL,
        booking_id text NOT NULL,
        command jsonb NOT NULL,
        state text NOT NULL CHECK (state IN ('running', 'queued', 'succeeded', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz,
        lease_until timestamptz,
        -- The marker written to extendedProperties.private.gcalSyncWriteId by this command's writes.
        write_id text NOT NULL,
        result jsonb,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX outbound_commands_due ON outbound_commands (next_attempt_at) WHERE state = 'queued';
      CREATE INDEX outbound_commands_open ON outbound_commands (connection_id, booking_id, created_at)
        WHERE state IN ('queued', 'running');

      -- Every write of ours to Google, for echo suppression (the etag Google returned and the marker)
      -- and as the merge base of a later conflict (the app-owned fields at the version we produced).
      CREATE TABLE outbound_writes (
        write_id text NOT NULL,
        connection_id text NOT NULL,
        calendar_id text NOT NULL,
        event_id text NOT NULL,
        command_id text NOT NULL,
        booking_id text NOT NULL,
        op text NOT NULL CHECK (op IN ('insert', 'patch', 'delete')),
        state text NOT NULL CHECK (state IN ('pending', 'done')),
        etag text,
        version bigint,
        fields jsonb,
        google_updated timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz,
        PRIMARY KEY (connection_id, calendar_id, event_id, write_id)
      );
      CREATE INDEX outbound_writes_etag ON outbound_writes (connection_id, calendar_id, event_id, etag);

      -- Every concurrent edit met (412) and how it was resolved.
      CREATE TABLE outbound_conflicts (
        id bigserial PRIMARY KEY,
        command_id text NOT NULL,
        connection_id text NOT NULL,
        calendar_id text NOT NULL,
        event_id text NOT NULL,
        resolution text NOT NULL,
        report jsonb NOT NULL,
        detected_at timestamptz NOT NULL DEFAULT now()
      );

      -- Per connection: the default write calendar and the health of writes (backoff, pause, alert).
      CREATE TABLE outbound_connections (
        connection_id text PRIMARY KEY,
        org_id text,
        default_calendar_id text,
        consecutive_failures integer NOT NULL DEFAULT 0,
        paused boolean NOT NULL DEFAULT false,
        quota_paused_until timestamptz,
        last_error text,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
    `,
  },
];
