import { describe, expect, it } from 'vitest';
import { SeenMessages } from './seen-messages';

describe('SeenMessages', () => {
  it("remembers each channel's last numbers", () => {
    const seen = new SeenMessages(2);
    seen.add('a', 1);
    seen.add('a', 2);
    seen.add('a', 1);
    expect(seen.has('a', 1)).toBe(true);
    seen.add('a', 3);
    expect(seen.has('a', 1)).toBe(false);
    expect(seen.has('a', 2)).toBe(true);
    expect(seen.has('b', 2)).toBe(false);
  });

  it('forgets the oldest channel beyond its channel limit', () => {
    const seen = new SeenMessages(2, 2);
    seen.add('a', 1);
    seen.add('b', 1);
    seen.add('c', 1);
    expect(seen.has('a', 1)).toBe(false);
    expect(seen.has('b', 1)).toBe(true);
    expect(seen.has('c', 1)).toBe(true);
  });
});
