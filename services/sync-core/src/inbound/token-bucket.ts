/**
 * A token bucket: `perMinute` tokens a minute, holding at most `capacity`. Pure apart from the
 * injected clock, so it is unit-testable without waiting.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private readonly perMs: number;

  constructor(
    perMinute: number,
    private readonly capacity: number,
    private readonly now: () => number = Date.now,
  ) {
    this.perMs = perMinute / 60_000;
    this.tokens = capacity;
    this.last = now();
  }

  /** Takes a token and returns 0, or returns how many ms until one is available. */
  tryTake(): number {
    this.refill();
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - this.tokens) / this.perMs);
  }

  available(): number {
    this.refill();
    return this.tokens;
  }

  private refill() {
    const t = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + (t - this.last) * this.perMs);
    this.last = t;
  }
}

/**
 * Burst size for a per-minute budget: a full bucket plus a minute of refill stays within the
 * limit Google enforces (our default budgets sit about 10 % under it).
 */
export function burstFor(perMinute: number): number {
  return Math.max(1, Math.floor(perMinute / 10));
}
