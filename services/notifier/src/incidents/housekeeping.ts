import type { Logger, Pool } from '@gcal-sync/shared';
import { pruneProcessed } from './processed-messages';

const HOUR_MS = 3_600_000;
/** Far beyond any redelivery window (a consumer group stuck for days still dedupes). */
const PROCESSED_RETENTION_MS = 7 * 24 * HOUR_MS;

/** Hourly cleanup of the message-id dedupe table; the alert log itself is kept. */
export function startHousekeeping(deps: { pool: Pool; logger: Logger }): { stop(): void } {
  const timer = setInterval(() => {
    pruneProcessed(deps.pool, new Date(Date.now() - PROCESSED_RETENTION_MS)).catch((error) =>
      deps.logger.warn({ err: error }, 'pruning processed message ids failed'),
    );
  }, HOUR_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
