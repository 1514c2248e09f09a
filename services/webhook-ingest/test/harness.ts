import { testPublisher } from '@gcal-sync/contract-testkit';
import { type MessageOf, sha256Hex, topicName } from '@gcal-sync/shared';
import { waitFor } from '@gcal-sync/testkit';
import { loadServiceConfig } from '../src/config';
import { start } from '../src/main';

export type Channel = { channelId: string; resourceId: string; token: string; calendarId: string };

export async function startWebhookIngest(env: Record<string, string>) {
  const service = await start(
    loadServiceConfig({ INTERNAL_API_TOKENS: 'tests:0123456789abcdef', PORT: '0', LOG_LEVEL: 'warn', ...env }),
  );
  // The cache consumer starts at the topic's end: only events sent after it joined reach the cache.
  await waitFor(async () => (await fetch(`${service.url}/readyz`)).ok, { timeoutMs: 60_000, intervalMs: 200 });
  return service;
}

/** Plays the renewer: announces channels on the channel-lifecycle topic. */
export async function channelAnnouncer(brokers: string[], topicPrefix: string) {
  const { publisher, close } = await testPublisher({
    brokers,
    topicPrefix,
    clientId: 'test-announcer',
    ensureTopics: { partitions: 1 },
  });
  const send = (payload: MessageOf<'channelLifecycle'>['payload']) =>
    publisher.publish('channelLifecycle', { orgId: 'org-1', connectionId: 'conn-1', payload });
  return {
    notificationsTopic: topicName('googleNotifications', topicPrefix),
    channelTopic: topicName('channelLifecycle', topicPrefix),
    created: (c: Channel) =>
      send({
        type: 'created',
        channel: {
          channelId: c.channelId,
          resourceId: c.resourceId,
          resource: 'events',
          calendarId: c.calendarId,
          expiration: new Date(Date.now() + 7 * 86_400_000).toISOString(),
          tokenHash: sha256Hex(c.token),
        },
      }),
    stopped: (c: Channel) =>
      send({
        type: 'stopped',
        channelId: c.channelId,
        resourceId: c.resourceId,
        calendarId: c.calendarId,
        reason: 'replaced',
      }),
    close,
  };
}

/** Google's push request for a channel. */
export function googlePush(
  pushUrl: string,
  c: Channel,
  state: 'sync' | 'exists' | 'not_exists',
  messageNumber: number,
  override: Record<string, string> = {},
) {
  return fetch(pushUrl, {
    method: 'POST',
    headers: {
      'user-agent': 'APIs-Google; (+https://developers.google.com/webmasters/APIs-Google.html)',
      'x-goog-channel-id': c.channelId,
      'x-goog-channel-token': c.token,
      'x-goog-channel-expiration': new Date(Date.now() + 86_400_000).toUTCString(),
      'x-goog-resource-id': c.resourceId,
      'x-goog-resource-uri': `https://www.googleapis.com/calendar/v3/calendars/${c.calendarId}/events?alt=json`,
      'x-goog-resource-state': state,
      'x-goog-message-number': String(messageNumber),
      ...override,
    },
  });
}

/** Resolves once webhook-ingest treats the channel as live: only then does a wrong token get 401. */
export async function untilLive(pushUrl: string, c: Channel) {
  await waitFor(
    async () => (await googlePush(pushUrl, c, 'sync', 1, { 'x-goog-channel-token': 'probe' })).status === 401,
    {
      timeoutMs: 30_000,
      intervalMs: 100,
    },
  );
}
