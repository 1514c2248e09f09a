import { type ChannelView, mergeChannelViews } from './channel-view';
import { ChannelWaiters } from './channel-waiters';

/**
 * This replica's in-memory map of channels, fed by its own consumer of the channel-lifecycle topic
 * (so every replica sees every event) and by Postgres on a miss. Also remembers recent misses for a
 * moment, so a burst of pings for an unknown channel costs one database lookup, not one each.
 */
export class ChannelCache {
  private readonly channels = new Map<string, ChannelView>();
  private readonly misses = new Map<string, number>();
  private readonly waiters = new ChannelWaiters(1_000);

  constructor(
    private readonly missTtlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(channelId: string): ChannelView | undefined {
    return this.channels.get(channelId);
  }

  put(view: ChannelView): void {
    this.misses.delete(view.channelId);
    const merged = mergeChannelViews(this.channels.get(view.channelId), view);
    this.channels.set(view.channelId, merged);
    this.waiters.arrived(merged);
  }

  /** The channel now, or once it is put within `timeoutMs` (undefined if it is not). */
  waitFor(channelId: string, timeoutMs: number): Promise<ChannelView | undefined> {
    const known = this.channels.get(channelId);
    return known ? Promise.resolve(known) : this.waiters.wait(channelId, timeoutMs);
  }

  /** True when a lookup for this channel found nothing a moment ago. */
  recentlyMissed(channelId: string): boolean {
    const at = this.misses.get(channelId);
    if (at === undefined) return false;
    if (this.now() - at < this.missTtlMs) return true;
    this.misses.delete(channelId);
    return false;
  }

  rememberMiss(channelId: string): void {
    // Bounded: a flood of random channel ids must not grow memory without limit.
    if (this.misses.size >= 10_000) this.misses.clear();
    this.misses.set(channelId, this.now());
  }

  /** Forgets retired channels; their late pings then fall back to Postgres, which still says retired. */
  pruneRetired(): number {
    let removed = 0;
    for (const [id, view] of this.channels) {
      if (view.status === 'retired') {
        this.channels.delete(id);
        removed++;
      }
    }
    return removed;
  }

  get size(): number {
    return this.channels.size;
  }
}
