import type { Queryable } from '@gcal-sync/shared';
import type { ChannelView } from './channel-view';

type Row = {
  channel_id: string;
  resource_id: string;
  resource: 'events' | 'calendarList';
  calendar_id: string | null;
  token_hash: string | null;
  org_id: string;
  connection_id: string | null;
  status: 'live' | 'retired';
  expiration: Date | null;
};

const toView = (r: Row): ChannelView => ({
  channelId: r.channel_id,
  resourceId: r.resource_id,
  resource: r.resource,
  calendarId: r.calendar_id,
  tokenHash: r.token_hash,
  orgId: r.org_id,
  connectionId: r.connection_id,
  status: r.status,
  expiration: r.expiration?.toISOString() ?? null,
});

const COLUMNS = 'channel_id, resource_id, resource, calendar_id, token_hash, org_id, connection_id, status, expiration';

/** Idempotent upsert; `retired` is final, so a replayed `created` cannot revive a stopped channel. */
export async function saveChannel(db: Queryable, view: ChannelView): Promise<void> {
  await db.query(
    `INSERT INTO webhook_channels (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (channel_id) DO UPDATE SET
       expiration = COALESCE(EXCLUDED.expiration, webhook_channels.expiration),
       token_hash = COALESCE(EXCLUDED.token_hash, webhook_channels.token_hash),
       status = CASE WHEN webhook_channels.status = 'retired' THEN 'retired' ELSE EXCLUDED.status END,
       updated_at = now()`,
    [
      view.channelId,
      view.resourceId,
      view.resource,
      view.calendarId,
      view.tokenHash,
      view.orgId,
      view.connectionId,
      view.status,
      view.expiration,
    ],
  );
}

export async function findChannel(db: Queryable, channelId: string): Promise<ChannelView | undefined> {
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM webhook_channels WHERE channel_id = $1`, [channelId]);
  return rows[0] ? toView(rows[0]) : undefined;
}

/** Every live channel, to warm a replica's cache at start. */
export async function listLiveChannels(db: Queryable): Promise<ChannelView[]> {
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM webhook_channels WHERE status = 'live'`);
  return rows.map(toView);
}

/**
 * Retired channels stop pinging within a channel lifetime, and expired ones at once (Google delivers
 * nothing after `expiration`); after that their rows are noise.
 */
export async function pruneChannels(db: Queryable, olderThan: Date): Promise<number> {
  const { rowCount } = await db.query(
    `DELETE FROM webhook_channels WHERE (status = 'retired' AND updated_at < $1) OR expiration < $1`,
    [olderThan],
  );
  return rowCount ?? 0;
}
