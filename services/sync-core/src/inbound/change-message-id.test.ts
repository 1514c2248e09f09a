import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { changeMessageId } from './change-message-id';

describe('changeMessageId', () => {
  it('is a valid UUID, stable per event version and distinct across versions', () => {
    const a = changeMessageId({ connectionId: 'c', calendarId: 'cal', eventId: 'e', version: 1 });
    expect(z.uuid().safeParse(a).success).toBe(true);
    expect(changeMessageId({ connectionId: 'c', calendarId: 'cal', eventId: 'e', version: 1 })).toBe(a);
    expect(changeMessageId({ connectionId: 'c', calendarId: 'cal', eventId: 'e', version: 2 })).not.toBe(a);
  });
});
