import type { Migration } from '@gcal-sync/shared';

/**
 * renewer owns these tables; no other service reads them (webhook-ingest keeps its own copy from
 * the channel-lifecycle topic).
 *
 * renewer_targets: what must be watched (or polled): one row per selected calendar's events and one
 * per connection's calendar list. `next_action_at` is when channel work (watch, renew, retry, stop)
 * is due; `lease_owner`/`lease_until` is the replica working on it; `generation` grows with every
 * lifecycle change so a worker holding a stale view reschedules instead of overwriting.
 * renewer_channels: every channel we asked Google for, from the moment before the watch call
 * (`creating`) to `stopped`; `abandoned` is a channel whose watch outcome a crash or a network error
 * hid: it is stopped when it pings (the ping carries its resource id).
 */
export const channelTables: Migration = {
  version: 1,
  name: 'targets and channels',
  sql: `
    CREATE TABLE renewer_targets (
      id bigserial PRIMARY KEY,
      org_id text NOT NULL,
      connection_id text NOT NULL,
      resource text NOT NULL CHECK (resource IN ('events', 'calendarList')),
      calendar_id text NOT NULL DEFAULT '',
      summary text,
      watchable boolean NOT NULL,
      state text NOT NULL CHECK (state IN ('active', 'suspended', 'removed')),
      stop_reason text CHECK (stop_reason IN ('deselected', 'revoked', 'disconnected')),
      generation integer NOT NULL DEFAULT 0,
      next_action_at timestamptz,
      next_tick_at timestamptz,
      failures integer NOT NULL DEFAULT 0,
      failing_since timestamptz,
      alert_open boolean NOT NULL DEFAULT false,
      lease_owner text,
      lease_until timestamptz,
      UNIQUE (connection_id, resource, calendar_id)
    );
    CREATE INDEX renewer_targets_due ON renewer_targets (next_action_at) WHERE next_action_at IS NOT NULL;
    CREATE INDEX renewer_targets_tick ON renewer_targets (next_tick_at) WHERE state = 'active';

    CREATE TABLE renewer_channels (
      channel_id text PRIMARY KEY,
      target_id bigint NOT NULL,
      org_id text NOT NULL,
      connection_id text NOT NULL,
      resource text NOT NULL CHECK (resource IN ('events', 'calendarList')),
      calendar_id text NOT NULL DEFAULT '',
      token_hash text NOT NULL,
      resource_id text,
      status text NOT NULL CHECK (status IN ('creating', 'live', 'retiring', 'abandoned', 'stopped')),
      stop_reason text,
      stop_attempts integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL,
      expiration timestamptz,
      renew_at timestamptz,
      updated_at timestamptz NOT NULL
    );
    CREATE INDEX renewer_channels_target ON renewer_channels (target_id) WHERE status <> 'stopped';
    CREATE INDEX renewer_channels_live ON renewer_channels (expiration) WHERE status = 'live';
  `,
};
