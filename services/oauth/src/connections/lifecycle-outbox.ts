import {
  type AdminAlertPayload,
  type ConnectionLifecyclePayload,
  enqueueOutbox,
  type Queryable,
} from '@gcal-sync/shared';
import { OUTBOX_TABLE } from '../migrations/outbox-table';

export type ConnectionKey = { orgId: string; connectionId: string };

/** Announces a connection change; call inside the transaction that made it. */
export async function enqueueLifecycle(db: Queryable, key: ConnectionKey, payload: ConnectionLifecyclePayload) {
  await enqueueOutbox(db, OUTBOX_TABLE, 'connectionLifecycle', { ...key, payload });
}

/** The "reconnect needed" incident, opened on revocation and resolved on reauthorization or disconnect. */
export async function enqueueRevocationAlert(
  db: Queryable,
  key: ConnectionKey,
  alert: { status: 'open' | 'resolved'; email: string; since: Date; adminUrl: string },
) {
  const payload: AdminAlertPayload = {
    kind: 'connection.revoked',
    status: alert.status,
    severity: alert.status === 'open' ? 'critical' : 'info',
    subject: `connection:${key.connectionId}`,
    title:
      alert.status === 'open'
        ? `Google account ${alert.email} needs reconnecting`
        : `Google account ${alert.email} is connected again`,
    detail:
      alert.status === 'open'
        ? 'Google no longer accepts this connection (access was revoked or the grant expired). Calendar sync is paused until the account is reconnected.'
        : 'The connection was reauthorized or removed; nothing to do.',
    accountEmail: alert.email,
    ...(alert.status === 'open' ? { action: { label: 'Reconnect Google account', url: alert.adminUrl } } : {}),
    since: alert.since.toISOString(),
  };
  await enqueueOutbox(db, OUTBOX_TABLE, 'adminAlerts', { ...key, payload });
}
