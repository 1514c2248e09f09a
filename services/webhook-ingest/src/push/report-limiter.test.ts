import { describe, expect, it } from 'vitest';
import { ReportLimiter } from './report-limiter';

describe('ReportLimiter', () => {
  it('reports a channel once per interval', () => {
    let now = 0;
    const limiter = new ReportLimiter(60_000, 100, () => now);
    expect(limiter.shouldReport('a')).toBe(true);
    expect(limiter.shouldReport('a')).toBe(false);
    now = 60_000;
    expect(limiter.shouldReport('a')).toBe(true);
  });

  it('caps reports per second overall', () => {
    let now = 0;
    const limiter = new ReportLimiter(60_000, 2, () => now);
    expect(['a', 'b', 'c'].map((id) => limiter.shouldReport(id))).toEqual([true, true, false]);
    now = 1000;
    expect(limiter.shouldReport('c')).toBe(true);
  });
});
