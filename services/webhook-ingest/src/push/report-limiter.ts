/**
 * Decides which unmatched pings are worth reporting to the renewer: each key (channel and why) at most once per
 * interval (a retired channel keeps pinging until Google forgets it), and at most `perSecond`
 * reports overall, so a flood of forged channel ids cannot flood the topic.
 */
export class ReportLimiter {
  private readonly lastReported = new Map<string, number>();
  private windowStart = 0;
  private inWindow = 0;

  constructor(
    private readonly intervalMs: number,
    private readonly perSecond: number,
    private readonly now: () => number = Date.now,
  ) {}

  shouldReport(key: string): boolean {
    const now = this.now();
    const last = this.lastReported.get(key);
    if (last !== undefined && now - last < this.intervalMs) return false;
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.inWindow = 0;
    }
    if (this.inWindow >= this.perSecond) return false;
    this.inWindow++;
    if (this.lastReported.size >= 10_000) this.lastReported.clear();
    this.lastReported.set(key, now);
    return true;
  }
}
