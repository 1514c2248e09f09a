/**
 * In-process coalescing and bounded concurrency for calendar syncs.
 *
 * A calendar is idle, queued, running or waiting. The first request for an idle calendar runs at
 * once (low latency for a lone edit). A request while it runs marks it dirty, which buys exactly
 * one more run; that run (and any request arriving within `quietMs` of the last run's end) waits
 * until notifications have been quiet for `quietMs`, or `maxWaitMs` after the last run started,
 * whichever is first. So a storm of notifications on one calendar costs a handful of runs, however
 * long it lasts, while a lone edit is synced at once.
 * Different calendars run concurrently up to `concurrency`; one calendar never runs twice at once
 * in this process (across replicas the Postgres lock in run-calendar-sync does that).
 */
export type SyncScheduler = {
  request(key: string): void;
  /** Resolves when nothing is queued, waiting or running. */
  idle(): Promise<void>;
  /** Stops starting new runs and waits for running ones. */
  stop(): Promise<void>;
};

type Entry = {
  state: 'idle' | 'queued' | 'running' | 'waiting';
  dirty: boolean;
  lastStart: number;
  lastEnd: number;
  lastRequest: number;
  timer?: ReturnType<typeof setTimeout>;
};

export function createSyncScheduler(options: {
  concurrency: number;
  run: (key: string) => Promise<void>;
  onError?: (key: string, error: unknown) => void;
  quietMs?: number;
  maxWaitMs?: number;
  now?: () => number;
}): SyncScheduler {
  const quietMs = options.quietMs ?? 100;
  const maxWaitMs = options.maxWaitMs ?? 5_000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();
  const queue: string[] = [];
  let running = 0;
  let waiting = 0;
  let stopped = false;
  const inflight = new Set<Promise<void>>();
  let idleWaiters: (() => void)[] = [];

  function settleIdle() {
    if (queue.length > 0 || running > 0 || waiting > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  function enqueue(key: string, entry: Entry) {
    entry.state = 'queued';
    queue.push(key);
    pump();
  }

  function dueAt(entry: Entry): number {
    const quiet = entry.lastRequest + quietMs;
    return entry.lastStart > 0 ? Math.min(quiet, entry.lastStart + maxWaitMs) : quiet;
  }

  function wait(key: string, entry: Entry) {
    if (entry.state !== 'waiting') waiting++;
    entry.state = 'waiting';
    const delay = dueAt(entry) - now();
    if (delay <= 0) {
      waiting--;
      enqueue(key, entry);
      return;
    }
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      if (stopped) return;
      wait(key, entry);
      settleIdle();
    }, delay);
  }

  function pump() {
    while (!stopped && running < options.concurrency && queue.length > 0) {
      const key = queue.shift() as string;
      const entry = entries.get(key) as Entry;
      entry.state = 'running';
      entry.lastStart = now();
      running++;
      const task = options
        .run(key)
        .catch((error) => options.onError?.(key, error))
        .finally(() => {
          running--;
          inflight.delete(task);
          entry.state = 'idle';
          entry.lastEnd = now();
          if (entry.dirty && !stopped) {
            entry.dirty = false;
            wait(key, entry);
          }
          pump();
          settleIdle();
        });
      inflight.add(task);
    }
  }

  return {
    request(key) {
      if (stopped) return;
      let entry = entries.get(key);
      if (!entry) {
        entry = { state: 'idle', dirty: false, lastStart: 0, lastEnd: 0, lastRequest: 0 };
        entries.set(key, entry);
      }
      entry.lastRequest = now();
      if (entry.state === 'running') entry.dirty = true;
      else if (entry.state === 'idle') {
        if (entry.lastEnd > 0 && now() - entry.lastEnd < quietMs) wait(key, entry);
        else enqueue(key, entry);
      }
    },
    idle() {
      if (queue.length === 0 && running === 0 && waiting === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    async stop() {
      stopped = true;
      queue.length = 0;
      for (const entry of entries.values()) if (entry.timer) clearTimeout(entry.timer);
      waiting = 0;
      await Promise.all(inflight);
      settleIdle();
    },
  };
}
