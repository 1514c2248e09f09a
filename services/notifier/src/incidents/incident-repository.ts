import type { AdminAlertPayload, IncidentView, NotificationState, Queryable } from '@gcal-sync/shared';
import type { IncidentFacts } from '../deliveries/notification';

type IncidentRow = {
  id: string;
  org_id: string;
  kind: AdminAlertPayload['kind'];
  subject: string;
  status: 'open' | 'resolved';
  severity: AdminAlertPayload['severity'];
  title: string;
  detail: string;
  account_email: string | null;
  calendar_id: string | null;
  connection_id: string | null;
  action: { label: string; url: string } | null;
  since: Date;
  opened_at: Date;
  last_seen_at: Date;
  resolved_at: Date | null;
  occurrences: number;
};

type Key = { orgId: string; kind: string; subject: string };

/** The open incident for the grouping key, locked for the rest of the transaction. */
export async function lockOpenIncident(db: Queryable, key: Key): Promise<IncidentRow | null> {
  const { rows } = await db.query<IncidentRow>(
    `SELECT * FROM notifier_incidents WHERE org_id = $1 AND kind = $2 AND subject = $3 AND status = 'open' FOR UPDATE`,
    [key.orgId, key.kind, key.subject],
  );
  return rows[0] ?? null;
}

export async function lastResolvedAt(db: Queryable, key: Key): Promise<Date | null> {
  const { rows } = await db.query<{ resolved_at: Date | null }>(
    `SELECT max(resolved_at) AS resolved_at FROM notifier_incidents
     WHERE org_id = $1 AND kind = $2 AND subject = $3 AND status = 'resolved'`,
    [key.orgId, key.kind, key.subject],
  );
  return rows[0]?.resolved_at ?? null;
}

export async function insertIncident(
  db: Queryable,
  input: { orgId: string; connectionId: string | null; alert: AdminAlertPayload; occurredAt: Date },
): Promise<IncidentRow> {
  const { alert } = input;
  const { rows } = await db.query<IncidentRow>(
    `INSERT INTO notifier_incidents (org_id, kind, subject, status, severity, title, detail, account_email,
       calendar_id, connection_id, action, since, opened_at, last_seen_at)
     VALUES ($1, $2, $3, 'open', $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING *`,
    [
      input.orgId,
      alert.kind,
      alert.subject,
      alert.severity,
      alert.title,
      alert.detail,
      alert.accountEmail ?? null,
      alert.calendarId ?? null,
      input.connectionId,
      alert.action ? JSON.stringify(alert.action) : null,
      alert.since,
      input.occurredAt,
    ],
  );
  return rows[0]!;
}

/** A repeat: counted, and the latest wording and severity kept for the log and the resolved message. */
export async function recordRepeat(
  db: Queryable,
  id: string,
  alert: AdminAlertPayload,
  occurredAt: Date,
): Promise<void> {
  await db.query(
    `UPDATE notifier_incidents SET occurrences = occurrences + 1, last_seen_at = greatest(last_seen_at, $2),
       severity = $3, title = $4, detail = $5, account_email = coalesce($6, account_email),
       calendar_id = coalesce($7, calendar_id), action = coalesce($8, action)
     WHERE id = $1`,
    [
      id,
      occurredAt,
      alert.severity,
      alert.title,
      alert.detail,
      alert.accountEmail ?? null,
      alert.calendarId ?? null,
      alert.action ? JSON.stringify(alert.action) : null,
    ],
  );
}

export async function resolveIncident(db: Queryable, id: string, occurredAt: Date): Promise<IncidentRow> {
  const { rows } = await db.query<IncidentRow>(
    `UPDATE notifier_incidents SET status = 'resolved', resolved_at = greatest($2, opened_at),
       last_seen_at = greatest(last_seen_at, $2) WHERE id = $1 RETURNING *`,
    [id, occurredAt],
  );
  return rows[0]!;
}

export async function linkDelivery(db: Queryable, id: string, which: 'opened' | 'resolved', deliveryId: string) {
  await db.query(`UPDATE notifier_incidents SET ${which}_delivery_id = $2 WHERE id = $1`, [id, deliveryId]);
}

export function incidentFacts(row: IncidentRow): IncidentFacts {
  return {
    incidentId: row.id,
    kind: row.kind,
    subject: row.subject,
    severity: row.severity,
    title: row.title,
    detail: row.detail,
    accountEmail: row.account_email,
    calendarId: row.calendar_id,
    action: row.action,
    since: row.since.toISOString(),
  };
}

type ListedRow = IncidentRow & {
  opened_kind: string | null;
  opened_status: string | null;
  opened_folded: string | null;
  resolved_kind: string | null;
  resolved_status: string | null;
  resolved_folded: string | null;
};

/** The org's alert log, newest first, with where each Slack message stands. */
export async function listIncidents(
  db: Queryable,
  orgId: string,
  query: { status: 'open' | 'resolved' | 'all'; limit: number; before?: string },
): Promise<{ incidents: IncidentView[]; nextBefore: string | null }> {
  const { rows } = await db.query<ListedRow>(
    `SELECT i.*, o.kind AS opened_kind, o.status AS opened_status, o.folded_into AS opened_folded,
       r.kind AS resolved_kind, r.status AS resolved_status, r.folded_into AS resolved_folded
     FROM notifier_incidents i
     LEFT JOIN notifier_deliveries o ON o.id = i.opened_delivery_id
     LEFT JOIN notifier_deliveries r ON r.id = i.resolved_delivery_id
     WHERE i.org_id = $1 AND ($2 = 'all' OR i.status = $2) AND ($3::bigint IS NULL OR i.id < $3::bigint)
     ORDER BY i.id DESC LIMIT $4`,
    [orgId, query.status, query.before ?? null, query.limit + 1],
  );
  const page = rows.slice(0, query.limit);
  return {
    incidents: page.map(toView),
    nextBefore: rows.length > query.limit ? (page.at(-1)?.id ?? null) : null,
  };
}

function notificationState(kind: string | null, status: string | null, folded: string | null): NotificationState {
  if (!kind || !status) return 'none';
  if (status === 'failed') return 'failed';
  if (kind === 'summary' || folded) return 'summarized';
  return status === 'delivered' ? 'delivered' : 'pending';
}

function toView(row: ListedRow): IncidentView {
  return {
    id: row.id,
    orgId: row.org_id,
    kind: row.kind,
    subject: row.subject,
    status: row.status,
    severity: row.severity,
    title: row.title,
    detail: row.detail,
    accountEmail: row.account_email,
    calendarId: row.calendar_id,
    connectionId: row.connection_id,
    action: row.action,
    since: row.since.toISOString(),
    openedAt: row.opened_at.toISOString(),
    lastSeenAt: row.last_seen_at.toISOString(),
    resolvedAt: row.resolved_at?.toISOString() ?? null,
    occurrences: row.occurrences,
    notification: {
      opened: notificationState(row.opened_kind, row.opened_status, row.opened_folded),
      resolved: notificationState(row.resolved_kind, row.resolved_status, row.resolved_folded),
    },
  };
}

export async function countOpenIncidents(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM notifier_incidents WHERE status = 'open'",
  );
  return rows[0]?.n ?? 0;
}
