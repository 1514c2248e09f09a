import type { Migration } from '@gcal-sync/shared';

/**
 * Secrets are sealed by the key ring (AES-256-GCM, key id inside the ciphertext, the owner's id
 * as additional data); the key id is repeated in a column so re-encryption finds stale rows.
 */
export const connectionsMigration: Migration = {
  version: 1,
  name: 'connections, calendars, connect states',
  sql: `
CREATE TABLE oauth_connections (
  id uuid PRIMARY KEY,
  org_id text NOT NULL,
  google_subject text NOT NULL,
  email text NOT NULL,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked', 'paused')),
  scopes text[] NOT NULL DEFAULT '{}',
  refresh_token bytea,
  refresh_token_key_id text,
  access_token bytea,
  access_token_key_id text,
  access_token_expires_at timestamptz,
  access_token_refreshed_at timestamptz,
  default_calendar_id text,
  revoked_at timestamptz,
  revoked_reason text,
  calendars_refreshed_at timestamptz,
  version bigint NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_id, google_subject)
);
CREATE INDEX oauth_connections_refresh_key ON oauth_connections (refresh_token_key_id);
CREATE INDEX oauth_connections_calendars_refreshed ON oauth_connections (calendars_refreshed_at) WHERE status = 'active';

CREATE TABLE oauth_calendars (
  connection_id uuid NOT NULL REFERENCES oauth_connections (id) ON DELETE CASCADE,
  calendar_id text NOT NULL,
  summary text,
  is_primary boolean NOT NULL DEFAULT false,
  access_role text NOT NULL,
  time_zone text,
  background_color text,
  foreground_color text,
  selected boolean NOT NULL DEFAULT false,
  discovered_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (connection_id, calendar_id)
);

CREATE TABLE oauth_connect_states (
  id text PRIMARY KEY,
  org_id text NOT NULL,
  reconnect_connection_id uuid,
  code_verifier bytea NOT NULL,
  code_verifier_key_id text NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
`,
};
