import type { Migration } from '@gcal-sync/shared';

/**
 * webhook-ingest's own copy of the channels it must recognise, written only by its
 * `webhook-ingest.channels` consumer group from the channel-lifecycle topic. It is the fallback
 * behind each replica's in-memory cache (cold start, a miss); the renewer's tables are never read.
 */
export const webhookChannels: Migration = {
  version: 1,
  name: 'webhook_channels',
  sql: `
    CREATE TABLE webhook_channels (
      channel_id text PRIMARY KEY,
      resource_id text NOT NULL,
      resource text NOT NULL CHECK (resource IN ('events', 'calendarList')),
      calendar_id text,
      token_hash text,
      org_id text NOT NULL,
      connection_id text,
      status text NOT NULL CHECK (status IN ('live', 'retired')),
      expiration timestamptz,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX webhook_channels_retired ON webhook_channels (updated_at) WHERE status = 'retired';
  `,
};
