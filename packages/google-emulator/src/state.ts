/** In-memory model of everything the emulator knows. Plain data so `--state FILE` can dump it. */

/** A Calendar API event resource as Google returns it (loosely typed on purpose: clients send anything). */
export interface EventResource {
  id: string;
  status: string;
  start?: { date?: string; dateTime?: string; timeZone?: string };
  end?: { date?: string; dateTime?: string; timeZone?: string };
  recurrence?: string[];
  recurringEventId?: string;
  originalStartTime?: { date?: string; dateTime?: string; timeZone?: string };
  sequence?: number;
  updated?: string;
  etag?: string;
  eventType?: string;
  [key: string]: unknown;
}

export interface StoredEvent {
  resource: EventResource;
  /** Global change number of the last modification; sync tokens compare against it. */
  seq: number;
  /** Control-API editor marker, never returned. */
  deletedAt?: number;
  /** Cached JSON of `resource` (list pages are mostly serialisation); cleared on every change. */
  json?: string;
}

export interface Calendar {
  id: string;
  summary: string;
  description?: string;
  timeZone: string;
  ownerSub: string;
  etag: string;
  /** Bumped by invalidateSyncTokens: older tokens get 410. */
  syncEpoch: number;
  /** Change number of the last calendarList-visible change. */
  seq: number;
  events: Map<string, StoredEvent>;
  readOnlyUntil?: number;
  /** Timestamps of recent event creations, for the Calendar usage limit. */
  createdAt: number[];
}

export interface User {
  sub: string;
  email: string;
  timeZone: string;
  primaryCalendarId: string;
  calendarIds: string[];
}

export interface RefreshToken {
  token: string;
  sub: string;
  clientId: string;
  scopes: string[];
  revoked: boolean;
}

export interface AccessToken {
  token: string;
  sub: string;
  clientId: string;
  scopes: string[];
  expiresAt: number;
  revoked: boolean;
}

export interface AuthCode {
  code: string;
  sub: string;
  clientId: string;
  redirectUri: string;
  scopes: string[];
  codeChallenge?: string;
  codeChallengeMethod?: string;
  issueRefresh: boolean;
  expiresAt: number;
  used: boolean;
}

export interface Channel {
  id: string;
  resourceId: string;
  resourceUri: string;
  /** `events:<calendarId>` or `calendarList:<sub>`. */
  resourceKey: string;
  token?: string;
  /** events.watch `eventTypes`: only changes to events of these types notify (all when absent). */
  eventTypes?: string[];
  address: string;
  expiration: number;
  sub: string;
  clientId: string;
  messageNumber: number;
  stopped: boolean;
  delivered: number;
  failed: number;
}

export interface EmulatorState {
  seq: number;
  users: Map<string, User>;
  subByEmail: Map<string, string>;
  calendars: Map<string, Calendar>;
  /** `${sub} ${clientId}` → granted scopes. */
  grants: Map<string, string[]>;
  refreshTokens: Map<string, RefreshToken>;
  accessTokens: Map<string, AccessToken>;
  codes: Map<string, AuthCode>;
  channels: Map<string, Channel>;
}

export function createState(): EmulatorState {
  return {
    seq: 1,
    users: new Map(),
    subByEmail: new Map(),
    calendars: new Map(),
    grants: new Map(),
    refreshTokens: new Map(),
    accessTokens: new Map(),
    codes: new Map(),
    channels: new Map(),
  };
}

export function nextSeq(state: EmulatorState): number {
  state.seq += 1;
  return state.seq;
}
