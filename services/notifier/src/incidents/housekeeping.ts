import type { Logger, Pool } from '@gcal-sync/shared';
import { pruneProcessed } from './processed-messages';
import { pruneAlertLog } from './prune-alert-log';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Far beyond any redelivery window (a consumer group stuck for days still dedupes). */
const PROCESSED_RETENTION_MS = 7 * DAY_MS;
const PRUNE_BATCH = 1_000;

/** Hourly cleanup: message-id dedupe table, and the alert log past its retention. */
export function startHousekeeping(deps: { pool: Pool; logger: Logger; retentionDays: number }): { stop(): void } {
  async function run() {
    const now = Date.now();
    await pruneProcessed(deps.pool, new Date(now - PROCESSED_RETENTION_MS));
    const cutoff = new Date(now - deps.retentionDays * DAY_MS);
    const total = { incidents: 0, deliveries: 0 };
    // Batches until caught up (bounded, so a huge backlog spreads over a few runs).
    for (let i = 0; i < 100; i++) {
      const pruned = await pruneAlertLog(deps.pool, cutoff, PRUNE_BATCH);
      total.incidents += pruned.incidents;
      total.deliveries += pruned.deliveries;
      if (pruned.incidents < PRUNE_BATCH && pruned.deliveries < PRUNE_BATCH) break;
    }
    if (total.incidents + total.deliveries > 0) deps.logger.info(total, 'alert log pruned');
  }
  const timer = setInterval(() => {
    run().catch((error) => deps.logger.warn({ err: error }, 'alert log housekeeping failed'));
  }, HOUR_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
