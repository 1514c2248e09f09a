import type { Logger, Pool } from '@gcal-sync/shared';
import { claimDue, countQueued, pruneOutbound } from './commands-repository';
import { countPaused } from './connections-repository';
import type { OutboundMetrics } from './outbound-metrics';
import type { WriteRunner } from './write-runner';

/**
 * Carries queued booking writes to Google: polls Postgres for due commands (each replica, sharing
 * through SKIP LOCKED leases) and re-runs them; the runner publishes results or queues them again
 * with a longer backoff. Also picks up commands whose process died mid-write (expired lease).
 */
export function startRetryWorker(deps: {
  pool: Pool;
  runner: WriteRunner;
  metrics: OutboundMetrics;
  logger: Logger;
  intervalMs: number;
  leaseMs: number;
  retentionDays: number;
  batchSize?: number;
}): { kick(): void; stop(): Promise<void> } {
  let stopped = false;
  let running: Promise<void> | undefined;
  let again = false;

  async function sweep() {
    do {
      again = false;
      try {
        const due = await claimDue(deps.pool, deps.batchSize ?? 16, deps.leaseMs);
        await Promise.all(
          due.map((row) =>
            deps.runner.resume(row).catch((error) => {
              deps.logger.warn({ err: error, commandId: row.commandId }, 'queued booking write failed; will retry');
            }),
          ),
        );
        if (due.length > 0) again = true;
        deps.metrics.queued.set(await countQueued(deps.pool));
        deps.metrics.pausedConnections.set(await countPaused(deps.pool));
      } catch (error) {
        deps.logger.warn({ err: error }, 'outbound retry sweep failed');
      }
    } while (again && !stopped);
  }

  function kick() {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = sweep().finally(() => {
      running = undefined;
    });
  }

  const timer = setInterval(kick, deps.intervalMs);
  timer.unref();
  const prune = () =>
    pruneOutbound(deps.pool, deps.retentionDays).catch((error) =>
      deps.logger.warn({ err: error }, 'outbound prune failed'),
    );
  const pruneTimer = setInterval(prune, 3_600_000);
  pruneTimer.unref();
  return {
    kick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      clearInterval(pruneTimer);
      await running;
    },
  };
}
