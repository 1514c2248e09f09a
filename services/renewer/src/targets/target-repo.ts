import type { Queryable } from '@gcal-sync/shared';
import type { TargetChange } from './connection-changes';

export type Target = {
  id: string;
  orgId: string;
  connectionId: string;
  resource: 'events' | 'calendarList';
  /** '' for a calendar-list target. */
  calendarId: string;
  summary: string | null;
  watchable: boolean;
  state: 'active' | 'suspended' | 'removed';
  stopReason: 'deselected' | 'revoked' | 'disconnected' | null;
  generation: number;
  failures: number;
  failingSince: Date | null;
  alertOpen: boolean;
};

type Row = {
  id: string;
  org_id: string;
  connection_id: string;
  resource: Target['resource'];
  calendar_id: string;
  summary: string | null;
  watchable: boolean;
  state: Target['state'];
  stop_reason: Target['stopReason'];
  generation: number;
  failures: number;
  failing_since: Date | null;
  alert_open: boolean;
};

const toTarget = (r: Row): Target => ({
  id: String(r.id),
  orgId: r.org_id,
  connectionId: r.connection_id,
  resource: r.resource,
  calendarId: r.calendar_id,
  summary: r.summary,
  watchable: r.watchable,
  state: r.state,
  stopReason: r.stop_reason,
  generation: r.generation,
  failures: r.failures,
  failingSince: r.failing_since,
  alertOpen: r.alert_open,
});

const at = (ms: number) => new Date(ms);

/**
 * Applies one change from the connection-lifecycle topic. Every touched target becomes due now and
 * gets a new generation, so a replica working on it with an older view reschedules it.
 */
export async function applyTargetChange(
  db: Queryable,
  owner: { orgId: string; connectionId: string },
  change: TargetChange,
  nowMs: number,
  firstTickAtMs: (watchable: boolean) => number,
): Promise<void> {
  const now = at(nowMs);
  const bump = 'generation = generation + 1, next_action_at = $2';
  switch (change.op) {
    case 'activate': {
      const t = change.target;
      await db.query(
        `INSERT INTO renewer_targets AS t (org_id, connection_id, resource, calendar_id, summary, watchable, state,
           next_action_at, next_tick_at)
         VALUES ($1, $3, $4, $5, $6, $7, 'active', $2, $8)
         ON CONFLICT (connection_id, resource, calendar_id) DO UPDATE SET
           org_id = EXCLUDED.org_id, watchable = EXCLUDED.watchable, summary = COALESCE(EXCLUDED.summary, t.summary),
           state = 'active', stop_reason = NULL, generation = t.generation + 1, next_action_at = $2,
           next_tick_at = COALESCE(t.next_tick_at, EXCLUDED.next_tick_at)`,
        [
          owner.orgId,
          now,
          owner.connectionId,
          t.resource,
          t.calendarId,
          t.summary,
          t.watchable,
          at(firstTickAtMs(t.watchable)),
        ],
      );
      return;
    }
    case 'remove':
      await db.query(
        `UPDATE renewer_targets SET state = 'removed', stop_reason = $4, ${bump}
         WHERE connection_id = $1 AND resource = 'events' AND calendar_id = ANY($3)`,
        [owner.connectionId, now, change.calendarIds, change.reason],
      );
      return;
    case 'suspend-all':
      await db.query(
        `UPDATE renewer_targets SET state = 'suspended', stop_reason = $3, ${bump}
         WHERE connection_id = $1 AND state = 'active'`,
        [owner.connectionId, now, change.reason],
      );
      return;
    case 'resume-all':
      await db.query(
        `UPDATE renewer_targets SET state = 'active', stop_reason = NULL, ${bump}
         WHERE connection_id = $1 AND state = 'suspended'`,
        [owner.connectionId, now],
      );
      return;
    case 'remove-all':
      await db.query(
        `UPDATE renewer_targets SET state = 'removed', stop_reason = $3, ${bump} WHERE connection_id = $1`,
        [owner.connectionId, now, change.reason],
      );
      return;
  }
}

/**
 * Leases due targets to this replica. SKIP LOCKED lets replicas claim different rows at once; the
 * lease (not the row lock) then covers the Google calls, so no transaction stays open across them.
 */
export async function claimDueTargets(
  db: Queryable,
  owner: string,
  nowMs: number,
  leaseMs: number,
  limit: number,
): Promise<Target[]> {
  const { rows } = await db.query<Row>(
    `UPDATE renewer_targets SET lease_owner = $1, lease_until = $3
     WHERE id IN (
       SELECT id FROM renewer_targets
       WHERE next_action_at <= $2 AND (lease_until IS NULL OR lease_until < $2)
       ORDER BY next_action_at LIMIT $4 FOR UPDATE SKIP LOCKED)
     RETURNING *`,
    [owner, at(nowMs), at(nowMs + leaseMs), limit],
  );
  return rows.map(toTarget);
}

/** True while `owner` still holds the lease (extending it): the fence before each Google call. */
export async function holdLease(
  db: Queryable,
  targetId: string,
  owner: string,
  nowMs: number,
  leaseMs: number,
): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE renewer_targets SET lease_until = $4 WHERE id = $1 AND lease_owner = $2 AND lease_until >= $3`,
    [targetId, owner, at(nowMs), at(nowMs + leaseMs)],
  );
  return rowCount === 1;
}

export type FailureState = { failures: number; failingSince: Date | null; alertOpen: boolean };

export async function setFailureState(db: Queryable, targetId: string, state: FailureState): Promise<void> {
  await db.query(`UPDATE renewer_targets SET failures = $2, failing_since = $3, alert_open = $4 WHERE id = $1`, [
    targetId,
    state.failures,
    state.failingSince,
    state.alertOpen,
  ]);
}

/** Brings the next safety-net tick forward (never later than it already is). */
export async function tickNoLaterThan(db: Queryable, targetId: string, atMs: number): Promise<void> {
  await db.query(`UPDATE renewer_targets SET next_tick_at = LEAST(next_tick_at, $2) WHERE id = $1`, [
    targetId,
    at(atMs),
  ]);
}

/**
 * Releases the lease and schedules the next channel work. If a lifecycle change arrived meanwhile
 * (generation moved), the target is due again at once instead.
 */
export async function releaseTarget(
  db: Queryable,
  target: Target,
  owner: string,
  nextActionAtMs: number | null,
  nowMs: number,
): Promise<void> {
  await db.query(
    `UPDATE renewer_targets SET lease_owner = NULL, lease_until = NULL,
       next_action_at = CASE WHEN generation = $3 THEN $4::timestamptz ELSE $5::timestamptz END
     WHERE id = $1 AND lease_owner = $2`,
    [target.id, owner, target.generation, nextActionAtMs === null ? null : at(nextActionAtMs), at(nowMs)],
  );
}

/** Deletes a removed target once none of its channels can still ping with a known resource. */
export async function deleteTargetIfDone(db: Queryable, target: Target, owner: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `DELETE FROM renewer_targets t WHERE t.id = $1 AND t.lease_owner = $2 AND t.state = 'removed' AND t.generation = $3
       AND NOT EXISTS (SELECT 1 FROM renewer_channels c
                       WHERE c.target_id = t.id AND c.status IN ('creating', 'live', 'retiring'))`,
    [target.id, owner, target.generation],
  );
  return rowCount === 1;
}

/** Makes a target's channel work due now (e.g. a ping gave the resource id a pending stop needed). */
export async function makeDue(db: Queryable, targetId: string, nowMs: number): Promise<void> {
  await db.query(`UPDATE renewer_targets SET next_action_at = LEAST(COALESCE(next_action_at, $2), $2) WHERE id = $1`, [
    targetId,
    at(nowMs),
  ]);
}

/** Locks active targets whose safety-net tick is due; call inside a transaction that also writes the ticks. */
export async function lockDueTicks(db: Queryable, nowMs: number, limit: number): Promise<Target[]> {
  const { rows } = await db.query<Row>(
    `SELECT * FROM renewer_targets WHERE state = 'active' AND next_tick_at <= $1
     ORDER BY next_tick_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
    [at(nowMs), limit],
  );
  return rows.map(toTarget);
}

export async function setNextTick(db: Queryable, targetId: string, atMs: number): Promise<void> {
  await db.query(`UPDATE renewer_targets SET next_tick_at = $2 WHERE id = $1`, [targetId, at(atMs)]);
}
