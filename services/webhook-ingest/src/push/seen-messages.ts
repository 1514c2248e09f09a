/**
 * The message numbers already published, per channel: the last `perChannel` of each, for at most
 * `maxChannels` channels (the least recently added forgotten first). Google redelivers only after a
 * 5xx or a timeout, with backoff, so a window of each channel's recent numbers is enough, and
 * numbers kept per channel cost a few bytes each where "channel#number" strings cost ~100 at
 * thousands per second. A duplicate that outlives the window (or reaches another replica) still
 * carries the same deterministic message id, so consumers can drop it too.
 */
export class SeenMessages {
  private readonly channels = new Map<string, number[]>();

  constructor(
    private readonly perChannel: number,
    private readonly maxChannels = 100_000,
  ) {}

  has(channelId: string, messageNumber: number): boolean {
    return this.channels.get(channelId)?.includes(messageNumber) ?? false;
  }

  add(channelId: string, messageNumber: number): void {
    let numbers = this.channels.get(channelId);
    if (!numbers) {
      if (this.channels.size >= this.maxChannels) {
        // Maps iterate in insertion order: the first channel is the oldest.
        const oldest = this.channels.keys().next().value;
        if (oldest !== undefined) this.channels.delete(oldest);
      }
      numbers = [];
      this.channels.set(channelId, numbers);
    }
    if (numbers.includes(messageNumber)) return;
    numbers.push(messageNumber);
    if (numbers.length > this.perChannel) numbers.shift();
  }
}
