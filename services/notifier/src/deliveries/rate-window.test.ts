import { describe, expect, it } from 'vitest';
import { decideRate, type RateWindow } from './rate-window';

const options = { limit: 3, windowMs: 60_000 };
const t0 = new Date('2026-06-12T10:00:00Z');
const plus = (ms: number) => new Date(t0.getTime() + ms);

function run(times: Date[], start: RateWindow | null = null) {
  let window = start;
  const modes: string[] = [];
  for (const now of times) {
    const decision = decideRate(window, now, options);
    modes.push(decision.mode);
    window = decision.window;
  }
  return { modes, window };
}

describe('decideRate', () => {
  it('sends up to the limit individually, then summarizes until the window ends', () => {
    const { modes } = run([0, 1, 2, 3, 4].map((s) => plus(s * 1000)));
    expect(modes).toEqual(['individual', 'individual', 'individual', 'summary', 'summary']);
  });

  it('schedules the summary at the end of the window', () => {
    const first = decideRate(null, t0, options);
    expect(first.windowEndsAt).toEqual(plus(60_000));
    expect(decideRate(first.window, plus(59_000), options).windowEndsAt).toEqual(plus(60_000));
  });

  it('keeps summarizing in the next window while the storm goes on', () => {
    const storm = run([0, 1, 2, 3, 4].map((s) => plus(s * 1000)));
    const next = run([plus(61_000), plus(62_000)], storm.window);
    expect(next.modes).toEqual(['summary', 'summary']);
  });

  it('allows individual messages again after a calm window or a quiet gap', () => {
    const storm = run([0, 1, 2, 3, 4].map((s) => plus(s * 1000)));
    const calm = run([plus(61_000)], storm.window); // storm window → 0 budget, 1 notification: calm
    expect(calm.modes).toEqual(['summary']);
    expect(run([plus(122_000)], calm.window).modes).toEqual(['individual']);
    expect(run([plus(200_000)], storm.window).modes).toEqual(['individual']);
  });

  it('does not treat exactly `limit` notifications as a storm', () => {
    const busy = run([0, 1, 2].map((s) => plus(s * 1000)));
    expect(run([plus(61_000)], busy.window).modes).toEqual(['individual']);
  });
});
