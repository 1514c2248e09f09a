import type { Queryable } from '@gcal-sync/shared';
import type { Sealed } from '../vault/token-sealer';

export type ConnectionStatus = 'active' | 'revoked' | 'paused';

export type ConnectionRow = {
  id: string;
  org_id: string;
  google_subject: string;
  email: string;
  status: ConnectionStatus;
  scopes: string[];
  refresh_token: Buffer | null;
  access_token: Buffer | null;
  access_token_expires_at: Date | null;
  access_token_refreshed_at: Date | null;
  default_calendar_id: string | null;
  revoked_at: Date | null;
  created_at: Date;
  version: string;
};

const COLUMNS = `id, org_id, google_subject, email, status, scopes, refresh_token, access_token,
  access_token_expires_at, access_token_refreshed_at, default_calendar_id, revoked_at, created_at, version`;

export async function findConnection(
  db: Queryable,
  id: string,
  options: { orgId?: string; forUpdate?: boolean } = {},
): Promise<ConnectionRow | null> {
  // Ids come from URLs: anything that is not a uuid simply does not exist.
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return null;
  const { rows } = await db.query<ConnectionRow>(
    `SELECT ${COLUMNS} FROM oauth_connections WHERE id = $1 ${options.orgId !== undefined ? 'AND org_id = $2' : ''}
     ${options.forUpdate ? 'FOR UPDATE' : ''}`,
    options.orgId !== undefined ? [id, options.orgId] : [id],
  );
  return rows[0] ?? null;
}

export async function listConnections(db: Queryable, orgId: string): Promise<ConnectionRow[]> {
  const { rows } = await db.query<ConnectionRow>(
    `SELECT ${COLUMNS} FROM oauth_connections WHERE org_id = $1 ORDER BY created_at, id`,
    [orgId],
  );
  return rows;
}

/** Inserts the connection unless the org already has this Google account; null when it does. */
export async function insertConnectionIfNew(
  db: Queryable,
  c: { id: string; orgId: string; googleSubject: string; email: string; scopes: string[] },
): Promise<string | null> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO oauth_connections (id, org_id, google_subject, email, scopes) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (org_id, google_subject) DO NOTHING RETURNING id`,
    [c.id, c.orgId, c.googleSubject, c.email, c.scopes],
  );
  return rows[0]?.id ?? null;
}

export async function findConnectionBySubject(
  db: Queryable,
  orgId: string,
  googleSubject: string,
): Promise<ConnectionRow | null> {
  const { rows } = await db.query<ConnectionRow>(
    `SELECT ${COLUMNS} FROM oauth_connections WHERE org_id = $1 AND google_subject = $2 FOR UPDATE`,
    [orgId, googleSubject],
  );
  return rows[0] ?? null;
}

/** After consent: the account is active again with the grant Google just gave. */
export async function storeGrant(
  db: Queryable,
  id: string,
  grant: { email: string; scopes: string[]; refresh: Sealed | null; access: Sealed; expiresAt: Date; at: Date },
): Promise<void> {
  await db.query(
    `UPDATE oauth_connections SET email = $2, scopes = $3, status = 'active', revoked_at = NULL, revoked_reason = NULL,
       refresh_token = COALESCE($4, refresh_token), refresh_token_key_id = COALESCE($5, refresh_token_key_id),
       access_token = $6, access_token_key_id = $7, access_token_expires_at = $8, access_token_refreshed_at = $9,
       version = version + 1, updated_at = now()
     WHERE id = $1`,
    [
      id,
      grant.email,
      grant.scopes,
      grant.refresh?.sealed ?? null,
      grant.refresh?.keyId ?? null,
      grant.access.sealed,
      grant.access.keyId,
      grant.expiresAt,
      grant.at,
    ],
  );
}

export async function storeAccessToken(
  db: Queryable,
  id: string,
  token: { access: Sealed; expiresAt: Date; at: Date; refresh: Sealed | null; scopes: string[] | null },
): Promise<void> {
  await db.query(
    `UPDATE oauth_connections SET access_token = $2, access_token_key_id = $3, access_token_expires_at = $4,
       access_token_refreshed_at = $5, refresh_token = COALESCE($6, refresh_token),
       refresh_token_key_id = COALESCE($7, refresh_token_key_id), scopes = COALESCE($8, scopes), updated_at = now()
     WHERE id = $1`,
    [
      id,
      token.access.sealed,
      token.access.keyId,
      token.expiresAt,
      token.at,
      token.refresh?.sealed ?? null,
      token.refresh?.keyId ?? null,
      token.scopes,
    ],
  );
}

/** The grant is gone: tokens are deleted, syncing pauses until the account is reconnected. */
export async function markRevoked(db: Queryable, id: string, reason: string, at: Date): Promise<void> {
  await db.query(
    `UPDATE oauth_connections SET status = 'revoked', revoked_at = $2, revoked_reason = $3,
       refresh_token = NULL, refresh_token_key_id = NULL, access_token = NULL, access_token_key_id = NULL,
       access_token_expires_at = NULL, access_token_refreshed_at = NULL, version = version + 1, updated_at = now()
     WHERE id = $1`,
    [id, at, reason],
  );
}

/** Moves between active and paused; false when the connection was not in the `from` state. */
export async function switchStatus(db: Queryable, id: string, from: ConnectionStatus, to: ConnectionStatus) {
  const { rowCount } = await db.query(
    'UPDATE oauth_connections SET status = $3, version = version + 1, updated_at = now() WHERE id = $1 AND status = $2',
    [id, from, to],
  );
  return rowCount === 1;
}

export async function setDefaultCalendar(db: Queryable, id: string, calendarId: string | null): Promise<void> {
  await db.query(
    'UPDATE oauth_connections SET default_calendar_id = $2, version = version + 1, updated_at = now() WHERE id = $1',
    [id, calendarId],
  );
}

export async function touchCalendarsRefreshed(db: Queryable, id: string): Promise<void> {
  await db.query('UPDATE oauth_connections SET calendars_refreshed_at = now() WHERE id = $1', [id]);
}

export async function bumpVersion(db: Queryable, id: string): Promise<void> {
  await db.query('UPDATE oauth_connections SET version = version + 1, updated_at = now() WHERE id = $1', [id]);
}

export async function deleteConnection(db: Queryable, id: string): Promise<void> {
  await db.query('DELETE FROM oauth_connections WHERE id = $1', [id]);
}

/** Whether another org holds a connection to the same Google account (revoking at Google would cut it too). */
export async function subjectConnectedElsewhere(db: Queryable, googleSubject: string, exceptId: string) {
  const { rows } = await db.query('SELECT 1 FROM oauth_connections WHERE google_subject = $1 AND id <> $2 LIMIT 1', [
    googleSubject,
    exceptId,
  ]);
  return rows.length > 0;
}

/**
 * Claims active connections whose calendar list is older than maxAgeMs, stamping them so another
 * replica's tick skips them.
 */
export async function claimStaleCalendarLists(db: Queryable, maxAgeMs: number, limit: number): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `UPDATE oauth_connections SET calendars_refreshed_at = now()
     WHERE id IN (
       SELECT id FROM oauth_connections
       WHERE status = 'active' AND (calendars_refreshed_at IS NULL OR calendars_refreshed_at < now() - make_interval(secs => $1::double precision / 1000))
       ORDER BY calendars_refreshed_at NULLS FIRST LIMIT $2 FOR UPDATE SKIP LOCKED)
     RETURNING id`,
    [maxAgeMs, limit],
  );
  return rows.map((r) => r.id);
}
