import {
  type AccessTokenClient,
  type ClassifiedGoogleError,
  classifyGoogleError,
  googleCallErrorLabels,
  googleCallOkLabels,
} from '@gcal-sync/shared';
import { calendar } from 'googleapis/build/src/apis/calendar';
import type { GoogleEvent } from './google-event';
import type { InboundMetrics } from './inbound-metrics';
import type { QuotaGate } from './quota-gate';

/** A failed Google call, classified (see classifyGoogleError). */
export class GoogleCallError extends Error {
  constructor(readonly classified: ClassifiedGoogleError) {
    super(`Google ${classified.status ?? 'network'} ${classified.reason ?? ''}: ${classified.message}`.trim());
    this.name = 'GoogleCallError';
  }
}

export type EventsListing = { items: GoogleEvent[]; nextSyncToken: string; pages: number };

export type GoogleEventsReader = {
  /**
   * All pages of events.list: a full listing without `syncToken`, the delta since it with one.
   * Throws GoogleCallError (410 included) or ConnectionRevokedError.
   */
  listAll(target: {
    orgId: string;
    connectionId: string;
    calendarId: string;
    syncToken?: string;
  }): Promise<EventsListing>;
};

/** Full syncs read Google's largest page. */
const PAGE_SIZE = 2500;

export function createGoogleEventsReader(options: {
  rootUrl: string;
  tokens: AccessTokenClient;
  quota: QuotaGate;
  metrics: InboundMetrics;
  /** eventTypes filter; null keeps every type. */
  eventTypes: string[] | null;
  timeoutMs?: number;
}): GoogleEventsReader {
  const api = calendar({ version: 'v3', rootUrl: options.rootUrl });

  async function listPage(
    target: { orgId: string; connectionId: string; calendarId: string },
    params: { syncToken?: string; pageToken?: string },
  ) {
    let token = await options.tokens.get(target.connectionId);
    for (let attempt = 1; ; attempt++) {
      await options.quota.acquire(target.orgId, target.connectionId);
      try {
        // Same parameters for the full and the incremental listing: Google requires it for sync tokens.
        const res = await api.events.list(
          {
            calendarId: target.calendarId,
            maxResults: PAGE_SIZE,
            singleEvents: false,
            showDeleted: false,
            ...(options.eventTypes ? { eventTypes: options.eventTypes } : {}),
            ...(params.syncToken ? { syncToken: params.syncToken } : {}),
            ...(params.pageToken ? { pageToken: params.pageToken } : {}),
          },
          // Retries are ours (backoff with jitter, pause, alerts), not gaxios'.
          { headers: { authorization: `Bearer ${token}` }, retry: false, timeout: options.timeoutMs ?? 30_000 },
        );
        options.metrics.googleCalls.inc({ method: 'events.list', outcome: 'ok', ...googleCallOkLabels(res.status) });
        return res.data;
      } catch (error) {
        const classified = classifyGoogleError(error);
        options.metrics.googleCalls.inc({
          method: 'events.list',
          outcome: classified.kind,
          ...googleCallErrorLabels(classified),
        });
        // 401: the token was revoked or expired early; one refresh, one retry.
        if (classified.kind === 'unauthorized' && attempt === 1) {
          token = await options.tokens.refreshAfterRejection(target.connectionId, token);
          continue;
        }
        throw new GoogleCallError(classified);
      }
    }
  }

  return {
    async listAll(target) {
      const items: GoogleEvent[] = [];
      let pageToken: string | undefined;
      let pages = 0;
      for (;;) {
        const page = await listPage(target, { syncToken: target.syncToken, pageToken });
        pages++;
        items.push(...(page.items ?? []));
        if (page.nextPageToken) {
          pageToken = page.nextPageToken;
          continue;
        }
        if (!page.nextSyncToken)
          throw new GoogleCallError(classifyGoogleError({ message: 'no nextSyncToken on the last page' }));
        return { items, nextSyncToken: page.nextSyncToken, pages };
      }
    },
  };
}
