import type { Logger, Publisher } from '@gcal-sync/shared';
import type { ChannelCache } from '../channels/channel-cache';
import type { ChannelView } from '../channels/channel-view';
import { decidePush, type PushDecision } from './decide-push';
import { notificationMessageId } from './notification-id';
import type { PushHeaders } from './push-headers';
import { pushKey, type SeenMessages } from './seen-messages';

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
  const inFlight = new Map<string, Promise<PushResult>>();

  async function resolveChannel(channelId: string): Promise<ChannelView | undefined> {
    const cached = deps.cache.get(channelId);
    if (cached || deps.cache.recentlyMissed(channelId)) return cached;
    const stored = await deps.lookup(channelId);
    if (stored) deps.cache.put(stored);
    else deps.cache.rememberMiss(channelId);
    return stored && deps.cache.get(channelId);
  }

  function publishWithTimeout(push: PushHeaders, channel: ChannelView, receivedAt: string, key: string) {
    const sent = deps.publisher.publish('googleNotifications', {
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
    });
    // Even after we answered 503, a late ack means the message is in Kafka: Google's retry is then a duplicate.
    sent.then(
      () => deps.seen.add(key),
      () => {},
    );
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new PublishTimeout()), deps.publishTimeoutMs);
    });
    return Promise.race([sent, timeout]).finally(() => clearTimeout(timer));
  }

  async function publishOnce(push: PushHeaders, channel: ChannelView, receivedAt: string): Promise<PushResult> {
    const key = pushKey(push.channelId, push.messageNumber);
    if (deps.seen.has(key)) return { status: 200, outcome: 'duplicate' };
    const pending = inFlight.get(key);
    if (pending) {
      const first = await pending;
      return first.status === 200 ? { status: 200, outcome: 'duplicate' } : first;
    }
    const attempt = publishWithTimeout(push, channel, receivedAt, key).then(
      (): PushResult => ({ status: 200, outcome: 'published' }),
      (error: unknown): PushResult => {
        deps.logger.warn(
          { err: error instanceof PublishTimeout ? undefined : error, channelId: push.channelId },
          error instanceof PublishTimeout
            ? 'kafka did not acknowledge in time; answering 503'
            : 'kafka publish failed; answering 503',
        );
        return { status: 503, outcome: 'kafka_unavailable' };
      },
    );
    inFlight.set(key, attempt);
    try {
      return await attempt;
    } finally {
      inFlight.delete(key);
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
