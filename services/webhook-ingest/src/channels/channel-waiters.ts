import type { ChannelView } from './channel-view';

type Waiter = (view: ChannelView | undefined) => void;

/**
 * Pings parked until their channel is announced. Google sends a channel's first pings (its `sync`,
 * and any change right after the watch) before the renewer's `created` event can reach us; holding
 * them for a moment turns a dropped change into a published one. Bounded, so a flood of made-up
 * channel ids costs at most `maxWaiters` pending timers, after which misses answer at once.
 */
export class ChannelWaiters {
  private readonly waiting = new Map<string, Set<Waiter>>();
  private count = 0;

  constructor(private readonly maxWaiters: number) {}

  /** Resolves with the channel once `arrived` is called for it, or undefined after `timeoutMs`. */
  wait(channelId: string, timeoutMs: number): Promise<ChannelView | undefined> {
    if (timeoutMs <= 0 || this.count >= this.maxWaiters) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const waiters = this.waiting.get(channelId) ?? new Set<Waiter>();
      this.waiting.set(channelId, waiters);
      this.count++;
      // Runs once: on arrival (which clears the timer) or on timeout (after which arrival no longer sees it).
      const done: Waiter = (view) => {
        clearTimeout(timer);
        waiters.delete(done);
        this.count--;
        if (waiters.size === 0) this.waiting.delete(channelId);
        resolve(view);
      };
      const timer = setTimeout(() => done(undefined), timeoutMs);
      waiters.add(done);
    });
  }

  arrived(view: ChannelView): void {
    const waiters = this.waiting.get(view.channelId);
    if (!waiters) return;
    for (const done of [...waiters]) done(view);
  }

  get pending(): number {
    return this.count;
  }
}
