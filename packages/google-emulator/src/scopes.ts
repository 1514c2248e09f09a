/**
 * Scopes accepted per method, copied from the Calendar v3 discovery document
 * (`methods.*.scopes`), without the https://www.googleapis.com/auth/ prefix.
 */
const ALL_READ = [
  'calendar',
  'calendar.app.created',
  'calendar.events',
  'calendar.events.freebusy',
  'calendar.events.owned',
  'calendar.events.owned.readonly',
  'calendar.events.public.readonly',
  'calendar.events.readonly',
  'calendar.readonly',
];
const EVENT_WRITE = ['calendar', 'calendar.app.created', 'calendar.events', 'calendar.events.owned'];

export const METHOD_SCOPES: Record<string, string[]> = {
  'calendar.calendarList.get': [
    'calendar',
    'calendar.app.created',
    'calendar.calendarlist',
    'calendar.calendarlist.readonly',
    'calendar.readonly',
  ],
  'calendar.calendarList.list': [
    'calendar',
    'calendar.calendarlist',
    'calendar.calendarlist.readonly',
    'calendar.readonly',
  ],
  'calendar.calendarList.watch': [
    'calendar',
    'calendar.calendarlist',
    'calendar.calendarlist.readonly',
    'calendar.readonly',
  ],
  'calendar.calendars.get': [
    'calendar',
    'calendar.app.created',
    'calendar.calendars',
    'calendar.calendars.readonly',
    'calendar.readonly',
  ],
  'calendar.calendars.insert': ['calendar', 'calendar.app.created', 'calendar.calendars'],
  'calendar.channels.stop': [
    'calendar',
    'calendar.acls',
    'calendar.acls.readonly',
    'calendar.app.created',
    'calendar.calendarlist',
    'calendar.calendarlist.readonly',
    'calendar.events',
    'calendar.events.freebusy',
    'calendar.events.owned',
    'calendar.events.owned.readonly',
    'calendar.events.public.readonly',
    'calendar.events.readonly',
    'calendar.readonly',
    'calendar.settings',
    'calendar.settings.readonly',
  ],
  'calendar.events.delete': EVENT_WRITE,
  'calendar.events.get': ALL_READ,
  'calendar.events.insert': EVENT_WRITE,
  'calendar.events.instances': ALL_READ,
  'calendar.events.list': ALL_READ,
  'calendar.events.patch': EVENT_WRITE,
  'calendar.events.update': EVENT_WRITE,
  'calendar.events.watch': ALL_READ,
  'calendar.freebusy.query': ['calendar', 'calendar.events.freebusy', 'calendar.freebusy', 'calendar.readonly'],
};

const PREFIX = 'https://www.googleapis.com/auth/';

/** Normalises a granted scope to its short name (`calendar.events`, `openid`, `email`). */
export function shortScope(scope: string): string {
  if (scope === PREFIX + 'userinfo.email') return 'email';
  if (scope === PREFIX + 'userinfo.profile') return 'profile';
  return scope.startsWith(PREFIX) ? scope.slice(PREFIX.length) : scope;
}

export function hasScopeFor(method: string, granted: readonly string[]): boolean {
  const accepted = METHOD_SCOPES[method];
  if (!accepted) return true;
  return granted.some((s) => accepted.includes(shortScope(s)));
}
