import { google } from 'googleapis';
import type { CalendarListEntry } from '../calendars/calendar-entry';
import type { Config } from '../config';
import { GoogleCallError } from './google-oauth';

/** Every entry of the account's calendar list (all pages, hidden calendars included). */
export function createCalendarListClient(config: Config) {
  const calendar = google.calendar({ version: 'v3', rootUrl: config.GOOGLE_API_ROOT_URL });
  return async function fetchCalendarList(accessToken: string): Promise<CalendarListEntry[]> {
    const entries: CalendarListEntry[] = [];
    let pageToken: string | undefined;
    do {
      try {
        const res = await calendar.calendarList.list(
          { maxResults: 250, showHidden: true, ...(pageToken ? { pageToken } : {}) },
          { headers: { Authorization: `Bearer ${accessToken}` }, timeout: config.GOOGLE_HTTP_TIMEOUT_MS, retry: false },
        );
        entries.push(...(res.data.items ?? []));
        pageToken = res.data.nextPageToken ?? undefined;
      } catch (error) {
        const e = error as { response?: { status?: number; data?: { error?: { errors?: { reason?: string }[] } } } };
        throw new GoogleCallError(
          'calendarList.list',
          e.response?.status ?? null,
          e.response?.data?.error?.errors?.[0]?.reason ?? null,
        );
      }
    } while (pageToken);
    return entries;
  };
}
export type FetchCalendarList = ReturnType<typeof createCalendarListClient>;
