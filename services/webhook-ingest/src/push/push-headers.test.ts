import { describe, expect, it } from 'vitest';
import { parsePushHeaders } from './push-headers';

const google = {
  'x-goog-channel-id': 'ch-1',
  'x-goog-channel-token': 'secret',
  'x-goog-channel-expiration': 'Tue, 19 Nov 2026 01:13:52 GMT',
  'x-goog-resource-id': 'res-1',
  'x-goog-resource-uri': 'https://www.googleapis.com/calendar/v3/calendars/c1/events?alt=json',
  'x-goog-resource-state': 'exists',
  'x-goog-message-number': '10',
};

describe('parsePushHeaders', () => {
  it("reads Google's headers", () => {
    expect(parsePushHeaders(google)).toEqual({
      ok: true,
      push: { channelId: 'ch-1', resourceId: 'res-1', resourceState: 'exists', messageNumber: 10, token: 'secret' },
    });
  });

  it('accepts a channel created without a token', () => {
    const { 'x-goog-channel-token': _, ...rest } = google;
    const parsed = parsePushHeaders(rest);
    expect(parsed.ok && parsed.push.token).toBeUndefined();
  });

  it('names every missing header', () => {
    expect(parsePushHeaders({ 'x-goog-resource-state': 'sync' })).toEqual({
      ok: false,
      error: 'missing header(s): X-Goog-Channel-ID, X-Goog-Resource-ID, X-Goog-Message-Number',
    });
  });

  it('rejects unknown states and bad message numbers', () => {
    expect(parsePushHeaders({ ...google, 'x-goog-resource-state': 'deleted' })).toMatchObject({ ok: false });
    expect(parsePushHeaders({ ...google, 'x-goog-message-number': '-1' })).toMatchObject({ ok: false });
    expect(parsePushHeaders({ ...google, 'x-goog-channel-id': 'x'.repeat(65) })).toMatchObject({ ok: false });
  });
});
