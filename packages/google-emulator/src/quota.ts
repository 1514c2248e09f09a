import type { Clock } from './clock';
import type { QuotaOptions } from './context';
import { type ApiError, rateLimit } from './errors';

const WINDOW_MS = 60_000;

/** Sliding one-minute window of request timestamps. */
class Window {
  private times: number[] = [];
  private head = 0;

  count(now: number): number {
    while (this.head < this.times.length && this.times[this.head]! <= now - WINDOW_MS) this.head += 1;
    if (this.head > 4096 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
    return this.times.length - this.head;
  }

  add(now: number): void {
    this.times.push(now);
  }
}

/** Google's per-minute request quotas: per project (client id) and per user per project. */
export class Quota {
  private project = new Map<string, Window>();
  private user = new Map<string, Window>();

  constructor(
    private readonly clock: Clock,
    public options: Required<Pick<QuotaOptions, 'perProjectPerMinute' | 'perUserPerMinute' | 'rateLimitStatus'>> &
      QuotaOptions,
  ) {}

  check(clientId: string, sub: string): ApiError | undefined {
    const now = this.clock.now();
    let p = this.project.get(clientId);
    if (!p) {
      p = new Window();
      this.project.set(clientId, p);
    }
    const key = `${clientId} ${sub}`;
    let u = this.user.get(key);
    if (!u) {
      u = new Window();
      this.user.set(key, u);
    }
    if (p.count(now) >= this.options.perProjectPerMinute) return rateLimit('project', this.options.rateLimitStatus);
    if (u.count(now) >= this.options.perUserPerMinute) return rateLimit('user', this.options.rateLimitStatus);
    p.add(now);
    u.add(now);
    return undefined;
  }

  reset(): void {
    this.project.clear();
    this.user.clear();
  }
}
