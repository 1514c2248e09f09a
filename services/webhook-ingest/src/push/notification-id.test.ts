import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { notificationMessageId } from './notification-id';

describe('notificationMessageId', () => {
  it('is stable per (channel, number) and a valid UUID', () => {
    const id = notificationMessageId('ch-1', 42);
    expect(id).toBe(notificationMessageId('ch-1', 42));
    expect(id).not.toBe(notificationMessageId('ch-1', 43));
    expect(id).not.toBe(notificationMessageId('ch-2', 42));
    expect(z.uuid().safeParse(id).success).toBe(true);
  });
});
