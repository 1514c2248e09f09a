import { expect, it } from 'vitest';
import { isValidEventId, newEventId } from './ids';

it('generates and validates base32hex ids', () => {
  const id = newEventId();
  expect(id).toMatch(/^[a-v0-9]{26}$/);
  expect(isValidEventId(id)).toBe(true);
  expect(isValidEventId('abcd')).toBe(false);
  expect(isValidEventId('abcdw')).toBe(false);
  expect(isValidEventId('ABCDE')).toBe(false);
});
