/** Calls per method per user, for quota accounting in benchmarks and tests. */
export class Counters {
  private data: Record<string, Record<string, number>> = {};

  add(method: string, user: string): void {
    let m = this.data[method];
    if (!m) {
      m = {};
      this.data[method] = m;
    }
    m[user] = (m[user] ?? 0) + 1;
  }

  snapshot(): Record<string, Record<string, number>> {
    return JSON.parse(JSON.stringify(this.data)) as Record<string, Record<string, number>>;
  }

  reset(): void {
    this.data = {};
  }
}
