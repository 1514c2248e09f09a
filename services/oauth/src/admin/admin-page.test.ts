import { describe, expect, it } from 'vitest';
import { renderAdminPage } from './admin-page';

const calendar = (calendarId: string, over = {}) => ({
  calendarId,
  summary: calendarId,
  primary: false,
  accessRole: 'owner' as const,
  timeZone: 'UTC',
  backgroundColor: '#fff',
  foregroundColor: null,
  selected: false,
  isDefault: false,
  watchable: true,
  ...over,
});
const summary = (over = {}) => ({
  connectionId: '00000000-0000-4000-8000-000000000001',
  orgId: 'org-1',
  googleSubject: '1',
  email: 'rep@example.com',
  status: 'active' as const,
  defaultCalendarId: 'p',
  scopes: [],
  createdAt: '2026-01-01T00:00:00.000Z',
  revokedAt: null,
  ...over,
});

describe('renderAdminPage', () => {
  it('ticks selected calendars and the default, and disables read-only defaults', () => {
    const out = renderAdminPage({
      orgId: 'org-1',
      connections: [
        {
          summary: summary(),
          calendars: [
            calendar('p', { selected: true, isDefault: true, primary: true }),
            calendar('h', { accessRole: 'reader' }),
          ],
        },
      ],
    });
    expect(out).toMatch(/name="selected" value="p"[^>]* checked/);
    expect(out).toMatch(/name="default" value="p"[^>]* checked/);
    expect(out).toMatch(/name="default" value="h"[^>]* disabled/);
    expect(out).not.toMatch(/name="selected" value="h"[^>]* checked/);
    expect(out).not.toContain('Reconnect');
  });
  it('escapes account data and offers Reconnect for revoked connections', () => {
    const out = renderAdminPage({
      orgId: '<org>',
      connections: [{ summary: summary({ status: 'revoked', email: '"><script>x</script>' }), calendars: [] }],
    });
    expect(out).not.toContain('<script>x');
    expect(out).toContain('&lt;org&gt;');
    expect(out).toContain('Reconnect');
  });
});
