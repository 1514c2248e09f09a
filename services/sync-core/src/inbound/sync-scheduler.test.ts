import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSyncScheduler } from './sync-scheduler';

describe('createSyncScheduler', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs a lone request at once', async () => {
    const runs: number[] = [];
    const scheduler = createSyncScheduler({ concurrency: 1, run: async () => void runs.push(Date.now()) });
    const t0 = Date.now();
    scheduler.request('a');
    await scheduler.idle();
    expect(runs).toEqual([t0]);
  });

  it('a long storm on one calendar costs a handful of runs', async () => {
    let runs = 0;
    const scheduler = createSyncScheduler({
      concurrency: 2,
      quietMs: 100,
      maxWaitMs: 5_000,
      run: async () => {
        runs++;
        await new Promise((r) => setTimeout(r, 20));
      },
    });
    // 1,000 notifications, one every 10 ms for 10 s.
    for (let i = 0; i < 1000; i++) {
      scheduler.request('a');
      await vi.advanceTimersByTimeAsync(10);
    }
    const done = scheduler.idle();
    await vi.advanceTimersByTimeAsync(10_000);
    await done;
    expect(runs).toBeGreaterThanOrEqual(2);
    expect(runs).toBeLessThanOrEqual(5);
  });

  it('runs different calendars concurrently, bounded', async () => {
    let active = 0;
    let peak = 0;
    const scheduler = createSyncScheduler({
      concurrency: 3,
      run: async () => {
        active++;
        peak = Math.max(peak, active);
        await new Promise((r) => setTimeout(r, 5));
        active--;
      },
    });
    for (let i = 0; i < 10; i++) scheduler.request(`c${i}`);
    const done = scheduler.idle();
    await vi.advanceTimersByTimeAsync(100);
    await done;
    expect(peak).toBe(3);
  });

  it('reports failures and keeps going', async () => {
    const errors: string[] = [];
    const scheduler = createSyncScheduler({
      concurrency: 1,
      run: async (key) => {
        if (key === 'bad') throw new Error('boom');
      },
      onError: (key) => errors.push(key),
    });
    scheduler.request('bad');
    scheduler.request('good');
    await scheduler.idle();
    expect(errors).toEqual(['bad']);
    await scheduler.stop();
  });
});
