/**
 * Virtual clock: real time plus an offset the control API moves. Token expiry, channel
 * expiration, `updated` stamps and quota windows all read it, so tests can jump hours ahead.
 */
export class Clock {
  private offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  advance(ms: number): number {
    this.offsetMs += ms;
    return this.now();
  }

  set(iso: string | number): number {
    const target = typeof iso === 'number' ? iso : Date.parse(iso);
    if (Number.isNaN(target)) throw new Error(`invalid time: ${iso}`);
    this.offsetMs = target - Date.now();
    return this.now();
  }

  reset(): void {
    this.offsetMs = 0;
  }
}
