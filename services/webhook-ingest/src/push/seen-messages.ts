/**
 * The (channel id, message number) pairs already published, bounded: the oldest are forgotten first.
 * Google redelivers only after a 5xx or a timeout, within minutes, so a window of recent pairs is
 * enough; a duplicate that outlives it (or reaches another replica) still carries the same
 * deterministic message id, so consumers can drop it too.
 */
export class SeenMessages {
  private readonly keys = new Set<string>();

  constructor(private readonly capacity: number) {}

  has(key: string): boolean {
    return this.keys.has(key);
  }

  add(key: string): void {
    if (this.keys.has(key)) return;
    this.keys.add(key);
    if (this.keys.size > this.capacity) {
      // Sets iterate in insertion order: the first key is the oldest.
      const oldest = this.keys.values().next().value;
      if (oldest !== undefined) this.keys.delete(oldest);
    }
  }

  get size(): number {
    return this.keys.size;
  }
}

export function pushKey(channelId: string, messageNumber: number): string {
  return `${channelId}#${messageNumber}`;
}
