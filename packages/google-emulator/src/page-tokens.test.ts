import { expect, it } from 'vitest';
import { decodePageToken, decodeSyncToken, encodePageToken, encodeSyncToken } from './page-tokens';

it('round-trips tokens and rejects garbage', () => {
  expect(decodeSyncToken(encodeSyncToken({ c: 'a@b', s: 4, e: 0 }))).toEqual({ c: 'a@b', s: 4, e: 0 });
  expect(decodePageToken(encodePageToken({ o: 250, s: 9, q: 'x' }))).toEqual({ o: 250, s: 9, q: 'x' });
  expect(decodeSyncToken('garbage')).toBeUndefined();
});
