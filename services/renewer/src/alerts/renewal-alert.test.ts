import { adminAlertPayload } from '@gcal-sync/shared';
import { describe, expect, it } from 'vitest';
import { renewalFailingAlert, renewalRecoveredAlert } from './renewal-alert';

const calendar = { resource: 'events' as const, calendarId: 'c@x', connectionId: 'k', summary: 'Sales' };

describe('renewal alerts', () => {
  it('open and resolved share kind and subject, and are valid payloads', () => {
    const open = renewalFailingAlert(calendar, {
      failures: 3,
      reason: 'HTTP 500',
      since: '2026-01-01T00:00:00Z',
      fallbackIntervalMs: 60_000,
    });
    const resolved = renewalRecoveredAlert(calendar, '2026-01-01T00:00:00Z');
    expect(open).toMatchObject({ kind: 'channel.renewal-failing', status: 'open', subject: 'calendar:c@x' });
    expect(open.detail).toContain('every 60 s');
    expect(resolved).toMatchObject({ kind: open.kind, subject: open.subject, status: 'resolved' });
    expect(adminAlertPayload.safeParse(open).success).toBe(true);
    expect(adminAlertPayload.safeParse(resolved).success).toBe(true);
  });

  it('calendar list incidents are per connection', () => {
    const open = renewalRecoveredAlert(
      { ...calendar, resource: 'calendarList', calendarId: '' },
      '2026-01-01T00:00:00Z',
    );
    expect(open.subject).toBe('connection:k');
    expect(open.calendarId).toBeUndefined();
  });
});
