import { type AdminAlertPayload, enqueueOutbox, type MessageOf, type Queryable } from '@gcal-sync/shared';

export const OUTBOX_TABLE = 'sync_core_outbox';

/**
 * Enqueues many change events in one statement inside the caller's transaction (a full sync of
 * thousands of events would otherwise cost two round trips per event), then wakes the relay.
 */
export async function enqueueChangeEvents(q: Queryable, messages: readonly MessageOf<'eventChanges'>[]): Promise<void> {
  for (let i = 0; i < messages.length; i += 1000) {
    await q.query(
      `INSERT INTO ${OUTBOX_TABLE} (topic, message)
       SELECT 'eventChanges', m.value FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS m(value, n) ORDER BY m.n`,
      [JSON.stringify(messages.slice(i, i + 1000))],
    );
  }
  if (messages.length > 0) await q.query('SELECT pg_notify($1, $2)', [OUTBOX_TABLE, '']);
}

/** Enqueues an admin alert (opened or resolved) in the caller's transaction. */
export async function enqueueAlert(
  q: Queryable,
  target: { orgId: string; connectionId: string },
  alert: Omit<AdminAlertPayload, 'since'> & { since?: string },
): Promise<void> {
  await enqueueOutbox(q, OUTBOX_TABLE, 'adminAlerts', {
    orgId: target.orgId,
    connectionId: target.connectionId,
    payload: { ...alert, since: alert.since ?? new Date().toISOString() },
  });
}
