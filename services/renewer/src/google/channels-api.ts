import type { AccessTokenClient } from '@gcal-sync/shared';
import { GoogleApiError } from './google-api-error';

export type WatchRequest = { id: string; token: string; address: string; ttlSeconds: number };
export type WatchResult = { resourceId: string; expirationMs: number };
export type WatchTarget = { resource: 'events' | 'calendarList'; calendarId: string };

export type ChannelsApi = {
  watch(connectionId: string, target: WatchTarget, request: WatchRequest): Promise<WatchResult>;
  /** 'not-found' when Google no longer knows the channel, which counts as stopped. */
  stop(connectionId: string, channel: { id: string; resourceId: string }): Promise<'stopped' | 'not-found'>;
};

/**
 * The three Calendar API calls the renewer makes (events.watch, calendarList.watch, channels.stop),
 * over fetch rather than googleapis: three requests do not justify loading the whole client.
 * A 401 refreshes the access token once through the oauth service.
 */
export function createChannelsApi(options: {
  rootUrl: string;
  tokens: AccessTokenClient;
  timeoutMs?: number;
}): ChannelsApi {
  const root = options.rootUrl.replace(/\/?$/, '/');

  async function post(connectionId: string, path: string, body: object, what: string): Promise<Response> {
    let token = await options.tokens.get(connectionId);
    for (let attempt = 1; ; attempt++) {
      const res = await fetch(`${root}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
      });
      if (res.status === 401 && attempt === 1) {
        await res.body?.cancel();
        token = await options.tokens.refreshAfterRejection(connectionId, token);
        continue;
      }
      if (!res.ok) throw await GoogleApiError.fromResponse(res, what);
      return res;
    }
  }

  return {
    async watch(connectionId, target, request) {
      const path =
        target.resource === 'events'
          ? `calendar/v3/calendars/${encodeURIComponent(target.calendarId)}/events/watch`
          : 'calendar/v3/users/me/calendarList/watch';
      const res = await post(
        connectionId,
        path,
        {
          id: request.id,
          type: 'web_hook',
          address: request.address,
          token: request.token,
          params: { ttl: String(request.ttlSeconds) },
        },
        `${target.resource}.watch`,
      );
      const body = (await res.json()) as { resourceId?: string; expiration?: string };
      if (!body.resourceId) throw new Error(`${target.resource}.watch answered without a resourceId`);
      const expirationMs = Number(body.expiration);
      return {
        resourceId: body.resourceId,
        // Google always sends it; should it not, assume the lifetime we asked for.
        expirationMs: Number.isFinite(expirationMs) && expirationMs > 0 ? expirationMs : Number.NaN,
      };
    },
    async stop(connectionId, channel) {
      try {
        const res = await post(
          connectionId,
          'calendar/v3/channels/stop',
          { id: channel.id, resourceId: channel.resourceId },
          'channels.stop',
        );
        await res.body?.cancel();
        return 'stopped';
      } catch (error) {
        if (error instanceof GoogleApiError && error.status === 404) return 'not-found';
        throw error;
      }
    },
  };
}
