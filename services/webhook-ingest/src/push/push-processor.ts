import type { Logger, Publisher } from '@gcal-sync/shared';
import type { ChannelCache } from '../channels/channel-cache';
import type { ChannelView } from '../channels/channel-view';
import { decidePush, type PushDecision } from './decide-push';
import { notificationMessageId } from './notification-id';
import type { PushHeaders } from './push-headers';
import type { SeenMessages } from './seen-messages';

export type PushOutcome =
  | 'published'
  | 'acknowledged'
  | 'duplicate'
  | 'forged'
  | 'unknown'
  | 'retired'
  | 'kafka_unavailable'
  | 'lookup_failed';

export type PushResult = { status: 200 | 401 | 503; outcome: PushOutcome };

export type PushProcessorDeps = {
  cache: ChannelCache;
  /** Postgres fallback for a cache miss. */
  lookup: (channelId: string) => Promise<ChannelView | undefined>;
  publisher: Publisher;
  seen: SeenMessages;
  /** Longer than this without Kafka's ack → 503, so Google retries. */
  publishTimeoutMs: number;
  /** How long a ping of a channel not known yet waits for its `created` event before it is dropped. */
  unknownChannelWaitMs: number;
  /** Tells the renewer about pings of channels that are not live here (never awaited). */
  reportUnmatched: (push: PushHeaders, decision: PushDecision) => void;
  logger: Logger;
};

class PublishTimeout extends Error {}

/**
 * One push, from verified headers to an HTTP status. No Google call and no blocking work: the
 * channel comes from memory (Postgres only on a miss), and the only wait is Kafka's ack, batched
 * with other requests' messages by the publisher's linger window.
 */
export function createPushProcessor(deps: PushProcessorDeps) {
  /** Sends not settled yet, by (channel, number): a retry joins the pending send instead of sending twice. */
  const pending = new Map<string, Promise<void>>();

  async function resolveChannel(channelId: string): Promise<ChannelView | undefined> {
    const cached = deps.cache.get(channelId);
    if (cached) return cached;
    if (!deps.cache.recentlyMissed(channelId)) {
      const stored = await deps.lookup(channelId);
      if (stored) {
        deps.cache.put(stored);
        return deps.cache.get(channelId);
      }
      deps.cache.rememberMiss(channelId);
    }
    // Google pings a new channel as soon as the watch call returns, before the renewer's `created`
    // event can reach us: wait for it a moment rather than drop the first change.
    return deps.cache.waitFor(channelId, deps.unknownChannelWaitMs);
  }

  function send(push: PushHeaders, channel: ChannelView, receivedAt: string, key: string): Promise<void> {
    const sent = deps.publisher
      .publish('googleNotifications', {
        orgId: channel.orgId,
        connectionId: channel.connectionId,
        messageId: notificationMessageId(push.channelId, push.messageNumber),
        payload: {
          resource: channel.resource,
          calendarId: channel.calendarId,
          trigger: 'push',
          resourceState: push.resourceState,
          channelId: push.channelId,
          messageNumber: push.messageNumber,
          receivedAt,
        },
      })
      // Even after we answered 503, a late ack means the message is in Kafka: Google's retry is then a duplicate.
      .then(() => deps.seen.add(push.channelId, push.messageNumber));
    pending.set(key, sent);
    sent.then(
      () => pending.delete(key),
      () => pending.delete(key),
    );
    return sent;
  }

  function withTimeout(sent: Promise<void>): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new PublishTimeout()), deps.publishTimeoutMs);
    });
    return Promise.race([sent, timeout]).finally(() => clearTimeout(timer));
  }

  async function publishOnce(push: PushHeaders, channel: ChannelView, receivedAt: string): Promise<PushResult> {
    const key = `${push.channelId}#${push.messageNumber}`;
    if (deps.seen.has(push.channelId, push.messageNumber)) return { status: 200, outcome: 'duplicate' };
    const joined = pending.get(key);
    try {
      await withTimeout(joined ?? send(push, channel, receivedAt, key));
      return { status: 200, outcome: joined ? 'duplicate' : 'published' };
    } catch (error) {
      const timedOut = error instanceof PublishTimeout;
      deps.logger.warn(
        { err: timedOut ? undefined : error, channelId: push.channelId },
        timedOut ? 'kafka did not acknowledge in time; answering 503' : 'kafka publish failed; answering 503',
      );
      return { status: 503, outcome: 'kafka_unavailable' };
    }
  }

  return async function processPush(push: PushHeaders, receivedAt: string): Promise<PushResult> {
    let channel: ChannelView | undefined;
    try {
      channel = await resolveChannel(push.channelId);
    } catch (error) {
      // Unknown here and Postgres unreachable: 503 so Google retries rather than losing a change.
      deps.logger.warn({ err: error, channelId: push.channelId }, 'channel lookup failed; answering 503');
      return { status: 503, outcome: 'lookup_failed' };
    }
    const decision = decidePush(push, channel);
    switch (decision.kind) {
      case 'forged':
        return { status: 401, outcome: 'forged' };
      case 'unknown':
      case 'retired':
        deps.reportUnmatched(push, decision);
        return { status: 200, outcome: decision.kind };
      case 'sync':
        return { status: 200, outcome: 'acknowledged' };
      case 'publish':
        return publishOnce(push, decision.channel, receivedAt);
    }
  };
}
