import { describe, expect, it } from 'vitest';
import { targetChanges } from './connection-changes';

const cal = (calendarId: string, watchable = true) => ({
  calendarId,
  accessRole: 'owner' as const,
  primary: false,
  watchable,
});

describe('targetChanges', () => {
  it('connected: only the calendar list, since its calendars are all discovered ones, not a selection', () => {
    const changes = targetChanges({
      type: 'connected',
      googleSubject: 's',
      email: 'a@b.c',
      calendars: [cal('a'), cal('holidays', false)],
    });
    expect(changes).toEqual([
      { op: 'activate', target: { resource: 'calendarList', calendarId: '', watchable: true, summary: null } },
    ]);
  });

  it('calendars.selected: every calendar carried, watchable or polled', () => {
    const changes = targetChanges({ type: 'calendars.selected', calendars: [cal('a'), cal('holidays', false)] });
    expect(changes).toEqual([
      { op: 'activate', target: { resource: 'events', calendarId: 'a', watchable: true, summary: null } },
      { op: 'activate', target: { resource: 'events', calendarId: 'holidays', watchable: false, summary: null } },
    ]);
  });

  it('maps deselect, revoke, reauthorize and disconnect', () => {
    expect(targetChanges({ type: 'calendars.deselected', calendarIds: ['a'] })).toEqual([
      { op: 'remove', calendarIds: ['a'], reason: 'deselected' },
    ]);
    expect(targetChanges({ type: 'revoked', reason: 'invalid_grant' })).toEqual([
      { op: 'suspend-all', reason: 'revoked' },
    ]);
    expect(targetChanges({ type: 'reauthorized', googleSubject: 's', email: 'a@b.c' })[0]).toEqual({
      op: 'resume-all',
    });
    expect(targetChanges({ type: 'disconnected' })).toEqual([{ op: 'remove-all', reason: 'disconnected' }]);
    expect(targetChanges({ type: 'default-calendar.changed', calendarId: 'a' })).toEqual([]);
  });
});
