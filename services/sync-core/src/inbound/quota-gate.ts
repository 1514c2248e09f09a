import { createFairQuota } from './fair-quota';
import { burstFor, TokenBucket } from './token-bucket';

/**
 * Google's budgets, enforced before every call: 600 requests/min per user (connection) and
 * 10,000/min per project, configured a little under. The per-connection bucket is waited on first,
 * then the project bucket, shared round-robin across orgs.
 */
export type QuotaGate = {
  acquire(orgId: string, connectionId: string): Promise<void>;
  /** Tokens left in the project bucket, and the emptiest connection bucket (for gauges). */
  levels(): { project: number; connectionMin: number };
  /** Bucket sizes (burst), to read levels as a fraction. */
  capacity: { project: number; connection: number };
  waiting(): number;
  stop(): void;
};

export function createQuotaGate(options: { userPerMinute: number; projectPerMinute: number }): QuotaGate {
  const project = new TokenBucket(options.projectPerMinute, burstFor(options.projectPerMinute));
  const fair = createFairQuota(project);
  const connections = new Map<string, TokenBucket>();
  let connectionWaiters = 0;
  const timers = new Set<NodeJS.Timeout>();

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  return {
    async acquire(orgId, connectionId) {
      let bucket = connections.get(connectionId);
      if (!bucket) {
        bucket = new TokenBucket(options.userPerMinute, burstFor(options.userPerMinute));
        connections.set(connectionId, bucket);
      }
      for (let wait = bucket.tryTake(); wait > 0; wait = bucket.tryTake()) {
        connectionWaiters++;
        try {
          await sleep(wait);
        } finally {
          connectionWaiters--;
        }
      }
      await fair.acquire(orgId);
    },
    levels() {
      let connectionMin = burstFor(options.userPerMinute);
      for (const bucket of connections.values()) connectionMin = Math.min(connectionMin, bucket.available());
      return { project: project.available(), connectionMin };
    },
    capacity: { project: burstFor(options.projectPerMinute), connection: burstFor(options.userPerMinute) },
    waiting: () => connectionWaiters + fair.waiting(),
    stop() {
      fair.stop();
      for (const t of timers) clearTimeout(t);
    },
  };
}
