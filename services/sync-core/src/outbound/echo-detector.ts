import type { Queryable } from '@gcal-sync/shared';
import type { calendar_v3 } from 'googleapis/build/src/apis/calendar';
import { WRITE_ID_PROPERTY } from '../inbound/google-event';

/** The marker every write of ours puts in extendedProperties.private (with bookingId). */
export { WRITE_ID_PROPERTY };

export type RecordedWrite = {
  writeId: string;
  op: 'insert' | 'patch' | 'delete';
  state: 'pending' | 'done';
  etag: string | null;
};

/**
 * Whether a Google event (as an incremental sync sees it) is the echo of one of our own writes.
 * - Its etag is one Google returned to one of our writes: ours, whatever else it carries.
 * - It is cancelled and we deleted it: ours.
 * - It carries the marker of a write still in flight (Google answered, our record of the etag not yet
 *   committed; the sync can race the write): ours.
 * The marker alone is not enough once the write is done: private properties survive later edits made
 * in Google, so an event still carrying our marker but a different etag is a foreign edit.
 */
export function isEcho(event: calendar_v3.Schema$Event, writes: RecordedWrite[]): boolean {
  if (event.etag && writes.some((w) => w.etag === event.etag)) return true;
  if (event.status === 'cancelled' && writes.some((w) => w.op === 'delete')) return true;
  const marker = event.extendedProperties?.private?.[WRITE_ID_PROPERTY];
  return marker !== undefined && writes.some((w) => w.writeId === marker && w.state === 'pending');
}

/**
 * EchoDetector for the inbound path: call before publishing a change, publish `source: 'app'` when true.
 * Every write is recorded (pending) before Google is called, so a sync racing the write still sees it.
 */
export async function isOwnWrite(
  q: Queryable,
  connectionId: string,
  calendarId: string,
  googleEvent: calendar_v3.Schema$Event,
): Promise<boolean> {
  if (!googleEvent.id) return false;
  const marker = googleEvent.extendedProperties?.private?.[WRITE_ID_PROPERTY] ?? null;
  const { rows } = await q.query<{
    write_id: string;
    op: RecordedWrite['op'];
    state: RecordedWrite['state'];
    etag: string | null;
  }>(
    `SELECT write_id, op, state, etag FROM outbound_writes
      WHERE connection_id = $1 AND calendar_id = $2 AND event_id = $3
        AND (etag = $4 OR write_id = $5 OR op = 'delete')`,
    [connectionId, calendarId, googleEvent.id, googleEvent.etag ?? null, marker],
  );
  return isEcho(
    googleEvent,
    rows.map((r) => ({ writeId: r.write_id, op: r.op, state: r.state, etag: r.etag })),
  );
}
