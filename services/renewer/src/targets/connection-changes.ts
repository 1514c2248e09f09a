import type { ConnectionLifecyclePayload } from '@gcal-sync/shared';

export type TargetKey = { resource: 'events' | 'calendarList'; calendarId: string };

/** What a connection-lifecycle event means for the connection's watch targets. */
export type TargetChange =
  | { op: 'activate'; target: TargetKey & { watchable: boolean; summary: string | null } }
  | { op: 'remove'; calendarIds: string[]; reason: 'deselected' }
  | { op: 'suspend-all'; reason: 'revoked' }
  | { op: 'resume-all' }
  | { op: 'remove-all'; reason: 'disconnected' };

const CALENDAR_LIST: TargetKey & { watchable: boolean; summary: null } = {
  resource: 'calendarList',
  calendarId: '',
  watchable: true,
  summary: null,
};

/**
 * `connected` carries every calendar discovered in the account, not a selection: it only brings the
 * connection's calendar-list channel (so calendars added or removed in Google are noticed). What to
 * watch comes with `calendars.selected`, which oauth publishes right after for the initial selection.
 */
export function targetChanges(payload: ConnectionLifecyclePayload): TargetChange[] {
  const activate = (calendars: { calendarId: string; watchable: boolean; summary?: string }[]): TargetChange[] =>
    calendars.map((c) => ({
      op: 'activate',
      target: { resource: 'events', calendarId: c.calendarId, watchable: c.watchable, summary: c.summary ?? null },
    }));
  switch (payload.type) {
    case 'connected':
      return [{ op: 'activate', target: CALENDAR_LIST }];
    case 'calendars.selected':
      return activate(payload.calendars);
    case 'calendars.deselected':
      return [{ op: 'remove', calendarIds: payload.calendarIds, reason: 'deselected' }];
    case 'revoked':
      return [{ op: 'suspend-all', reason: 'revoked' }];
    case 'reauthorized':
      return [{ op: 'resume-all' }, { op: 'activate', target: CALENDAR_LIST }];
    case 'disconnected':
      return [{ op: 'remove-all', reason: 'disconnected' }];
    case 'default-calendar.changed':
      return [];
  }
}
