import { describe, expect, it } from 'vitest';
import type { IncidentFacts, SummaryNotification } from '../deliveries/notification';
import { renderSlackMessage, renderTestMessage, safeLink } from './render-message';

const incident: IncidentFacts = {
  incidentId: '42',
  kind: 'connection.revoked',
  subject: 'connection:c-1',
  severity: 'critical',
  title: 'Google access revoked for ops@acme.test',
  detail: 'The refresh token was revoked <by the user>.',
  accountEmail: 'ops@acme.test',
  calendarId: 'team@acme.test',
  action: null,
  since: '2026-06-12T10:00:00Z',
};
const context = { orgId: 'acme', adminBaseUrl: 'https://admin.example.test/app/' };
const json = (v: unknown) => JSON.stringify(v);

describe('renderSlackMessage', () => {
  it('says what happened, where, since when, how bad and what to do', () => {
    const message = renderSlackMessage({ type: 'opened', incident }, context);
    expect(message.text).toBe('[CRITICAL] Google access revoked for ops@acme.test (org acme)');
    expect(message.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: incident.title, emoji: true },
    });
    const body = json(message.blocks);
    expect(body).toContain('Critical');
    expect(body).toContain('ops@acme.test');
    expect(body).toContain('team@acme.test');
    expect(body).toContain('<!date^1781258400^');
    expect(body).toContain('&lt;by the user&gt;');
    const actions = message.blocks.find((b) => b.type === 'actions') as {
      elements: { url: string; text: { text: string }; style?: string }[];
    };
    expect(actions.elements[0]).toMatchObject({
      text: { text: 'Reconnect Google account' },
      url: 'https://admin.example.test/app',
      style: 'danger',
    });
    expect(actions.elements[1]?.url).toBe('https://admin.example.test/app#alerts');
  });

  it("uses the alert's own action, resolving a path against the admin page", () => {
    const message = renderSlackMessage(
      { type: 'opened', incident: { ...incident, severity: 'warning', action: { label: 'Fix it', url: '/x/1' } } },
      context,
    );
    expect(json(message.blocks)).toContain('"url":"https://admin.example.test/app/x/1","style":"primary"');
  });

  it('renders the resolution with duration and repeat count', () => {
    const message = renderSlackMessage(
      { type: 'resolved', incident, resolvedAt: '2026-06-12T12:13:00Z', occurrences: 57 },
      context,
    );
    expect(message.text).toBe('Resolved: Google access revoked for ops@acme.test (org acme)');
    expect(json(message.blocks)).toContain('2 h 13 min · reported 57 times');
  });

  const summary = (over: Partial<SummaryNotification>): SummaryNotification => ({
    type: 'summary',
    windowEndsAt: '2026-06-12T10:01:00Z',
    opened: 990,
    resolved: 10,
    bySeverity: { warning: 990 },
    byKind: { 'sync.paused': 990 },
    samples: [{ title: 'Sync paused', subject: 'calendar:1', severity: 'warning', status: 'opened' }],
    ...over,
  });

  it('renders a storm summary with counts and a few samples', () => {
    const message = renderSlackMessage(summary({}), context);
    expect(message.text).toBe('1000 more alert updates for org acme (990 opened, 10 resolved)');
    expect(json(message.blocks)).toContain('…and 999 more');
  });

  it('renders a catch-up summary after Slack was unreachable', () => {
    const message = renderSlackMessage(summary({ cause: 'backlog', opened: 7, resolved: 1 }), context);
    expect(message.text).toBe('8 alert updates for org acme while Slack was unreachable (7 opened, 1 resolved)');
    expect(json(message.blocks)).toContain('piled up while Slack could not be reached');
  });

  it('says why a message went to the fallback channel', () => {
    const message = renderSlackMessage({ type: 'opened', incident }, { ...context, routedBecause: 'webhook_broken' });
    expect(json(message.blocks.at(-1))).toContain('is broken');
  });
});

describe('safeLink', () => {
  it('accepts http(s) only', () => {
    expect(safeLink('https://other.test/a', 'https://admin.test')).toBe('https://other.test/a');
    expect(safeLink('javascript:alert(1)', 'https://admin.test')).toBeNull();
    expect(safeLink('/a/b', 'https://admin.test/')).toBe('https://admin.test/a/b');
  });
});

describe('renderTestMessage', () => {
  it('names the org and links the alert log', () => {
    const message = renderTestMessage(context);
    expect(message.text).toContain('org acme');
    expect(JSON.stringify(message.blocks)).toContain('https://admin.example.test/app#alerts');
  });
});
