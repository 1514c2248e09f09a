import { pruneChannels } from '../channels/channel-repo';
import { claimDueTargets, releaseTarget } from '../targets/target-repo';
import { emitDueTicks } from './safety-net';
import { workOnTarget } from './target-worker';
import type { WorkDeps } from './work-deps';

const PRUNE_EVERY_MS = 60 * 60_000;
/** Stopped and abandoned rows are kept a channel lifetime and a day, to recognise late pings. */
const KEEP_STOPPED_MS = 8 * 24 * 3600_000;
const MAX_ROUNDS = 50;

/**
 * This replica's scheduler: every interval, emit due safety-net ticks, then lease due targets
 * (`concurrency` at a time) and work on them. Replicas share nothing but Postgres.
 */
export function startWorkLoop(deps: WorkDeps, options: { intervalMs: number; concurrency: number }) {
  let stopped = false;
  let running: Promise<void> | undefined;
  let lastPrune = 0;

  async function workOnce(): Promise<void> {
    for (let round = 0; round < MAX_ROUNDS && !stopped; round++) {
      if ((await emitDueTicks(deps)) < 200) break;
    }
    for (let round = 0; round < MAX_ROUNDS && !stopped; round++) {
      const claimed = await claimDueTargets(
        deps.pool,
        deps.owner,
        deps.clock(),
        deps.settings.leaseMs,
        options.concurrency,
      );
      await Promise.all(
        claimed.map((target) =>
          workOnTarget(deps, target).catch(async (error: unknown) => {
            deps.logger.error({ err: error, targetId: target.id }, 'channel work failed; retrying later');
            const retryAt = deps.clock() + deps.settings.retryBaseMs;
            await releaseTarget(deps.pool, target, deps.owner, retryAt, deps.clock()).catch(() => {});
          }),
        ),
      );
      if (claimed.length < options.concurrency) break;
    }
    if (Date.now() - lastPrune > PRUNE_EVERY_MS) {
      lastPrune = Date.now();
      await pruneChannels(deps.pool, deps.clock() - KEEP_STOPPED_MS);
    }
  }

  const kick = () => {
    if (stopped || running) return;
    running = workOnce()
      .catch((error: unknown) => deps.logger.warn({ err: error }, 'renewer pass failed'))
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(kick, options.intervalMs);
  kick();
  return {
    /** Runs a pass now (tests, and after a lifecycle change). */
    kick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
