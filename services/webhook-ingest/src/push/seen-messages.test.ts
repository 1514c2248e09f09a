import { describe, expect, it } from 'vitest';
import { pushKey, SeenMessages } from './seen-messages';

describe('SeenMessages', () => {
  it('remembers keys up to its capacity, forgetting the oldest first', () => {
    const seen = new SeenMessages(2);
    seen.add(pushKey('a', 1));
    seen.add(pushKey('a', 2));
    seen.add(pushKey('a', 1));
    expect(seen.size).toBe(2);
    seen.add(pushKey('b', 1));
    expect(seen.has(pushKey('a', 1))).toBe(false);
    expect(seen.has(pushKey('a', 2))).toBe(true);
    expect(seen.has(pushKey('b', 1))).toBe(true);
  });

  it('keeps channel and number apart', () => {
    expect(pushKey('a1', 2)).not.toBe(pushKey('a', 12));
  });
});
