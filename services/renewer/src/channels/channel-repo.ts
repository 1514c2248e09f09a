import type { Queryable } from '@gcal-sync/shared';
import type { Target } from '../targets/target-repo';

export type ChannelStatus = 'creating' | 'live' | 'retiring' | 'abandoned' | 'stopped';
export type StopReason = 'replaced' | 'deselected' | 'revoked' | 'disconnected' | 'orphan' | 'expired';

export type Channel = {
  channelId: string;
  targetId: string;
  orgId: string;
  connectionId: string;
  resource: 'events' | 'calendarList';
  calendarId: string;
  tokenHash: string;
  resourceId: string | null;
  status: ChannelStatus;
  stopReason: StopReason | null;
  stopAttempts: number;
  createdAt: Date;
  expiration: Date | null;
  renewAt: Date | null;
};

type Row = {
  channel_id: string;
  target_id: string;
  org_id: string;
  connection_id: string;
  resource: Channel['resource'];
  calendar_id: string;
  token_hash: string;
  resource_id: string | null;
  status: ChannelStatus;
  stop_reason: StopReason | null;
  stop_attempts: number;
  created_at: Date;
  expiration: Date | null;
  renew_at: Date | null;
};

const toChannel = (r: Row): Channel => ({
  channelId: r.channel_id,
  targetId: String(r.target_id),
  orgId: r.org_id,
  connectionId: r.connection_id,
  resource: r.resource,
  calendarId: r.calendar_id,
  tokenHash: r.token_hash,
  resourceId: r.resource_id,
  status: r.status,
  stopReason: r.stop_reason,
  stopAttempts: r.stop_attempts,
  createdAt: r.created_at,
  expiration: r.expiration,
  renewAt: r.renew_at,
});

const at = (ms: number) => new Date(ms);

/** Recorded (and committed) before the watch call, so a crash right after Google answers leaves a trace. */
export async function insertCreating(
  db: Queryable,
  target: Target,
  channel: { channelId: string; tokenHash: string },
  nowMs: number,
): Promise<void> {
  await db.query(
    `INSERT INTO renewer_channels (channel_id, target_id, org_id, connection_id, resource, calendar_id, token_hash,
       status, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'creating', $8, $8)`,
    [
      channel.channelId,
      target.id,
      target.orgId,
      target.connectionId,
      target.resource,
      target.calendarId,
      channel.tokenHash,
      at(nowMs),
    ],
  );
}

/** Channels of a target that may still exist in Google and that we still act on. */
export async function listOpenChannels(db: Queryable, targetId: string): Promise<Channel[]> {
  const { rows } = await db.query<Row>(
    `SELECT * FROM renewer_channels WHERE target_id = $1 AND status IN ('creating', 'live', 'retiring')
     ORDER BY created_at`,
    [targetId],
  );
  return rows.map(toChannel);
}

export async function findChannel(db: Queryable, channelId: string, forUpdate = false): Promise<Channel | undefined> {
  const { rows } = await db.query<Row>(
    `SELECT * FROM renewer_channels WHERE channel_id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [channelId],
  );
  return rows[0] ? toChannel(rows[0]) : undefined;
}

export async function markLive(
  db: Queryable,
  channelId: string,
  live: { resourceId: string; expirationMs: number; renewAtMs: number },
  nowMs: number,
): Promise<void> {
  await db.query(
    `UPDATE renewer_channels SET status = 'live', resource_id = $2, expiration = $3, renew_at = $4, updated_at = $5
     WHERE channel_id = $1`,
    [channelId, live.resourceId, at(live.expirationMs), at(live.renewAtMs), at(nowMs)],
  );
}

export async function markRetiring(
  db: Queryable,
  channelId: string,
  reason: StopReason,
  nowMs: number,
  resourceId?: string,
): Promise<void> {
  await db.query(
    `UPDATE renewer_channels SET status = 'retiring', stop_reason = $2, resource_id = COALESCE(resource_id, $3),
       updated_at = $4 WHERE channel_id = $1`,
    [channelId, reason, resourceId ?? null, at(nowMs)],
  );
}

export async function markAbandoned(db: Queryable, channelId: string, nowMs: number): Promise<void> {
  await db.query(`UPDATE renewer_channels SET status = 'abandoned', updated_at = $2 WHERE channel_id = $1`, [
    channelId,
    at(nowMs),
  ]);
}

export async function markStopped(db: Queryable, channelId: string, reason: StopReason, nowMs: number): Promise<void> {
  await db.query(
    `UPDATE renewer_channels SET status = 'stopped', stop_reason = COALESCE(stop_reason, $2), updated_at = $3
     WHERE channel_id = $1`,
    [channelId, reason, at(nowMs)],
  );
}

export async function countStopAttempt(db: Queryable, channelId: string): Promise<number> {
  const { rows } = await db.query<{ stop_attempts: number }>(
    `UPDATE renewer_channels SET stop_attempts = stop_attempts + 1 WHERE channel_id = $1 RETURNING stop_attempts`,
    [channelId],
  );
  return rows[0]?.stop_attempts ?? 0;
}

export async function deleteChannel(db: Queryable, channelId: string): Promise<void> {
  await db.query(`DELETE FROM renewer_channels WHERE channel_id = $1`, [channelId]);
}

export async function recordResourceId(db: Queryable, channelId: string, resourceId: string): Promise<void> {
  await db.query(`UPDATE renewer_channels SET resource_id = $2 WHERE channel_id = $1 AND resource_id IS NULL`, [
    channelId,
    resourceId,
  ]);
}

/** For the gauges: live channels, and those among them expiring within 24 h. */
export async function channelGauges(db: Queryable, nowMs: number): Promise<{ live: number; expiring: number }> {
  const { rows } = await db.query<{ live: string; expiring: string }>(
    `SELECT count(*) AS live, count(*) FILTER (WHERE expiration < $1) AS expiring
     FROM renewer_channels WHERE status = 'live'`,
    [at(nowMs + 24 * 3600_000)],
  );
  return { live: Number(rows[0]?.live ?? 0), expiring: Number(rows[0]?.expiring ?? 0) };
}

/** Stopped and abandoned rows only help recognise late pings; after a channel lifetime they are noise. */
export async function pruneChannels(db: Queryable, olderThanMs: number): Promise<number> {
  const { rowCount } = await db.query(
    `DELETE FROM renewer_channels WHERE status IN ('stopped', 'abandoned') AND updated_at < $1`,
    [at(olderThanMs)],
  );
  return rowCount ?? 0;
}
