import type { TokenBucket } from './token-bucket';

/**
 * Hands out tokens of one shared bucket (the project's Google budget) round-robin over tenants
 * (orgs): when the budget is short, every org waiting gets its turn, so one busy org cannot
 * starve the others. Within an org, waiters are served in order.
 */
export type FairQuota = {
  acquire(tenant: string): Promise<void>;
  waiting(): number;
  stop(): void;
};

export function createFairQuota(
  bucket: TokenBucket,
  timers: { set: (fn: () => void, ms: number) => unknown; clear: (handle: unknown) => void } = {
    set: (fn, ms) => setTimeout(fn, ms),
    clear: (h) => clearTimeout(h as NodeJS.Timeout),
  },
): FairQuota {
  const queues = new Map<string, (() => void)[]>();
  const rotation: string[] = [];
  let timer: unknown;
  let count = 0;

  function drain() {
    timer = undefined;
    while (rotation.length > 0) {
      const wait = bucket.tryTake();
      if (wait > 0) {
        timer = timers.set(drain, wait);
        return;
      }
      const tenant = rotation.shift() as string;
      const queue = queues.get(tenant) as (() => void)[];
      const resolve = queue.shift() as () => void;
      count--;
      if (queue.length > 0) rotation.push(tenant);
      else queues.delete(tenant);
      resolve();
    }
  }

  return {
    acquire(tenant) {
      return new Promise<void>((resolve) => {
        const queue = queues.get(tenant);
        if (queue) queue.push(resolve);
        else {
          queues.set(tenant, [resolve]);
          rotation.push(tenant);
        }
        count++;
        if (timer === undefined) drain();
      });
    },
    waiting: () => count,
    stop() {
      if (timer !== undefined) timers.clear(timer);
      timer = undefined;
    },
  };
}
