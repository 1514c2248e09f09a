import type { Queryable } from '@gcal-sync/shared';
import { type GoogleEvent, writeIdOf } from './google-event';

/**
 * Decides, inside the applying transaction, whether a Google event version is the echo of the
 * app's own write (outbound), so its change event is marked `source: 'app'` instead of being
 * presented as a foreign edit. Called only for events that carry the `gcalSyncWriteId` marker.
 */
export type EchoDetector = {
  isOwnWrite(q: Queryable, connectionId: string, calendarId: string, event: GoogleEvent): Promise<boolean>;
};

/**
 * The table outbound records its writes in. Expected columns: `write_id text` (the marker it put in
 * extendedProperties.private.gcalSyncWriteId) and `etag text` (the etag Google answered, null until
 * known). Until the table exists, nothing is an echo.
 */
export const OUTBOUND_WRITES_TABLE = 'outbound_writes';

/**
 * Default: an event is the app's own write when its marker names a write outbound recorded and the
 * etag is the one Google returned for that write (a later foreign edit keeps the marker but changes
 * the etag, so it is still reported as a foreign edit).
 */
export const defaultEchoDetector: EchoDetector = {
  async isOwnWrite(q, _connectionId, _calendarId, event) {
    const writeId = writeIdOf(event);
    if (!writeId) return false;
    const { rows } = await q.query<{ own: boolean | null }>(
      `SELECT CASE WHEN to_regclass($1) IS NULL THEN false ELSE NULL END AS own`,
      [OUTBOUND_WRITES_TABLE],
    );
    if (rows[0]?.own === false) return false;
    const match = await q.query(
      `SELECT 1 FROM ${OUTBOUND_WRITES_TABLE} WHERE write_id = $1 AND (etag IS NULL OR etag = $2) LIMIT 1`,
      [writeId, event.etag ?? ''],
    );
    return match.rows.length > 0;
  },
};
