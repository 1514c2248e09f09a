import type { Migration } from '@gcal-sync/shared';

/**
 * The alert log (incidents), the Slack delivery queue, per-org webhooks and rate-limit state.
 * Deliveries live in Postgres so a Kafka message is acknowledged as soon as its incident and the
 * message it calls for are committed; a slow or down Slack never holds the partition.
 */
export const notifierTables: Migration = {
  version: 1,
  name: 'notifier_tables',
  sql: `
    CREATE TABLE notifier_webhooks (
      org_id text PRIMARY KEY,
      url_sealed bytea NOT NULL,
      url_hint text NOT NULL,
      -- Bumped on every PUT, so a failure seen with an older URL never marks a newer one broken.
      version integer NOT NULL DEFAULT 1,
      status text NOT NULL CHECK (status IN ('active', 'broken')),
      broken_reason text,
      broken_at timestamptz,
      last_delivered_at timestamptz,
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    -- Kafka redelivers after a crash between our commit and the offset commit: skip what was applied.
    CREATE TABLE notifier_processed_messages (
      message_id uuid PRIMARY KEY,
      processed_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX notifier_processed_messages_age ON notifier_processed_messages (processed_at);

    CREATE TABLE notifier_deliveries (
      id bigserial PRIMARY KEY,
      org_id text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('opened', 'resolved', 'summary')),
      -- What to say (rendered to Block Kit at send time); a summary keeps accumulating until sent.
      content jsonb NOT NULL,
      status text NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      last_error text,
      target text CHECK (target IN ('org', 'fallback')),
      created_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz
    );
    CREATE INDEX notifier_deliveries_pending ON notifier_deliveries (org_id, id) WHERE status = 'pending';
    CREATE INDEX notifier_deliveries_due ON notifier_deliveries (next_attempt_at) WHERE status = 'pending';

    CREATE TABLE notifier_incidents (
      id bigserial PRIMARY KEY,
      org_id text NOT NULL,
      kind text NOT NULL,
      subject text NOT NULL,
      status text NOT NULL CHECK (status IN ('open', 'resolved')),
      severity text NOT NULL,
      title text NOT NULL,
      detail text NOT NULL,
      account_email text,
      calendar_id text,
      connection_id text,
      action jsonb,
      since timestamptz NOT NULL,
      opened_at timestamptz NOT NULL,
      last_seen_at timestamptz NOT NULL,
      resolved_at timestamptz,
      occurrences integer NOT NULL DEFAULT 1,
      opened_delivery_id bigint REFERENCES notifier_deliveries (id),
      resolved_delivery_id bigint REFERENCES notifier_deliveries (id)
    );
    -- One open incident per (org, kind, subject): the grouping key.
    CREATE UNIQUE INDEX notifier_incidents_open_key ON notifier_incidents (org_id, kind, subject) WHERE status = 'open';
    CREATE INDEX notifier_incidents_key_recent ON notifier_incidents (org_id, kind, subject, resolved_at DESC);
    CREATE INDEX notifier_incidents_org ON notifier_incidents (org_id, id DESC);

    CREATE TABLE notifier_org_rate (
      org_id text PRIMARY KEY,
      window_started_at timestamptz NOT NULL,
      sent_in_window integer NOT NULL,
      notifications_in_window integer NOT NULL,
      budget integer NOT NULL
    );
  `,
};
