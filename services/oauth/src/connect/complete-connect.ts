import { randomUUID } from 'node:crypto';
import { HttpError, type Logger, withTransaction } from '@gcal-sync/shared';
import { applyCalendarList } from '../calendars/apply-calendar-list';
import { type DiscoveredCalendar, toCalendarRef } from '../calendars/calendar-entry';
import { fetchDiscoveredCalendars } from '../calendars/refresh-calendars';
import {
  findConnection,
  findConnectionBySubject,
  insertConnectionIfNew,
  storeGrant,
  touchCalendarsRefreshed,
} from '../connections/connection-repository';
import { enqueueLifecycle, enqueueRevocationAlert } from '../connections/lifecycle-outbox';
import type { FetchCalendarList } from '../google/calendar-list';
import { GoogleCallError, REQUIRED_SCOPES, type TokenGrant } from '../google/google-oauth';
import { type ConnectDeps, STATE_PURPOSE } from './begin-connect';
import { consumeConnectState } from './connect-state-repository';
import { verifySignedValue } from './signed-value';

export type CompleteDeps = ConnectDeps & { fetchCalendarList: FetchCalendarList; logger: Logger; adminUrl: string };

export type CallbackQuery = { state?: string; code?: string; error?: string };
export type ConnectOutcome = { kind: 'connected' | 'reauthorized'; connectionId: string; email: string };

const fail = (code: string, message: string) => new HttpError(400, code, message);

/**
 * Google's redirect back. Every check happens before anything is stored, so an error (denied
 * consent, bad or replayed state, failed exchange, missing permission) changes nothing; the state
 * is burnt on first use either way.
 */
export async function completeConnect(
  deps: CompleteDeps,
  orgId: string,
  query: CallbackQuery,
): Promise<ConnectOutcome> {
  const stateId = query.state ? verifySignedValue(deps.signingSecret, STATE_PURPOSE, query.state) : null;
  if (!stateId) throw fail('invalid_state', 'The sign-in link is not valid. Start again from the admin page.');
  const state = await consumeConnectState(deps.pool, stateId);
  if (!state || state.org_id !== orgId) {
    throw fail(
      'invalid_state',
      'The sign-in link is not valid for this organization. Start again from the admin page.',
    );
  }
  if (state.used_at)
    throw fail('state_replayed', 'This sign-in link was already used. Start again from the admin page.');
  if (state.expires_at.getTime() <= deps.now()) {
    throw fail('state_expired', 'The sign-in took too long and expired. Start again from the admin page.');
  }
  if (query.error) {
    throw query.error === 'access_denied'
      ? fail('consent_denied', 'Access was not granted in Google, so nothing was connected.')
      : fail('google_error', `Google reported an error (${query.error.slice(0, 100)}); nothing was connected.`);
  }
  if (!query.code) throw fail('invalid_request', 'Google did not send an authorization code; nothing was connected.');

  const verifier = deps.sealer.openCodeVerifier(state.id, state.code_verifier);
  const grant = await google('exchange the authorization code', () => deps.google.exchangeCode(query.code!, verifier));
  const missing = REQUIRED_SCOPES.filter((s) => !grant.scopes.includes(s));
  if (missing.length > 0) {
    throw fail(
      'missing_scopes',
      `Some permissions were not granted (${missing.map((s) => s.split('/').pop()).join(', ')}). Connect again and allow all of them.`,
    );
  }
  const account = await google('read the account', () => deps.google.userInfo(grant.accessToken));
  const calendars = await google('list the calendars', () =>
    fetchDiscoveredCalendars(deps.fetchCalendarList, grant.accessToken),
  );
  return store(deps, { orgId, reconnectId: state.reconnect_connection_id, grant, account, calendars });
}

async function google<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof GoogleCallError) {
      throw new HttpError(
        502,
        'google_error',
        `Could not ${what} with Google (${error.message}); nothing was connected.`,
      );
    }
    throw error;
  }
}

async function store(
  deps: CompleteDeps,
  input: {
    orgId: string;
    reconnectId: string | null;
    grant: TokenGrant;
    account: { sub: string; email: string };
    calendars: DiscoveredCalendar[];
  },
): Promise<ConnectOutcome> {
  const { orgId, grant, account, calendars } = input;
  return withTransaction(deps.pool, async (db) => {
    if (input.reconnectId) {
      const target = await findConnection(db, input.reconnectId, { orgId });
      if (target && target.google_subject !== account.sub) {
        throw fail(
          'wrong_account',
          `You signed in as ${account.email}, but this connection belongs to ${target.email}. Reconnect with that account, or use "Connect Google account" to add another one.`,
        );
      }
    }
    const newId = await insertConnectionIfNew(db, {
      id: randomUUID(),
      orgId,
      googleSubject: account.sub,
      email: account.email,
      scopes: grant.scopes,
    });
    const row = (await findConnectionBySubject(db, orgId, account.sub))!;
    const wasRevoked = row.status === 'revoked' || !row.refresh_token;
    if (!grant.refreshToken && (newId || wasRevoked)) {
      throw fail(
        'no_refresh_token',
        'Google did not issue offline access. Remove the app in your Google account settings, then connect again.',
      );
    }
    const at = deps.now();
    await storeGrant(db, row.id, {
      email: account.email,
      scopes: grant.scopes,
      refresh: grant.refreshToken ? deps.sealer.sealRefreshToken(row.id, grant.refreshToken) : null,
      access: deps.sealer.sealAccessToken(row.id, grant.accessToken),
      expiresAt: new Date(at + grant.expiresInMs),
      at: new Date(at),
    });
    const key = { orgId, connectionId: row.id };
    if (newId) {
      await enqueueLifecycle(db, key, {
        type: 'connected',
        googleSubject: account.sub,
        email: account.email,
        calendars: calendars.map(toCalendarRef),
      });
    } else {
      // Same Google account: selection, default and sync state stay; syncing resumes from here.
      await enqueueLifecycle(db, key, { type: 'reauthorized', googleSubject: account.sub, email: account.email });
      if (row.status === 'revoked') {
        await enqueueRevocationAlert(db, key, {
          status: 'resolved',
          email: account.email,
          since: row.revoked_at ?? new Date(at),
          adminUrl: deps.adminUrl,
        });
      }
    }
    await applyCalendarList(db, key, row.default_calendar_id, calendars);
    await touchCalendarsRefreshed(db, row.id);
    return { kind: newId ? 'connected' : 'reauthorized', connectionId: row.id, email: account.email };
  });
}
