import { createLogger, type Publisher, sha256Hex } from '@gcal-sync/shared';
import { describe, expect, it } from 'vitest';
import { ChannelCache } from '../channels/channel-cache';
import { liveChannel } from '../channels/channel-view.fixture';
import type { PushHeaders } from './push-headers';
import { createPushProcessor } from './push-processor';
import { SeenMessages } from './seen-messages';

const logger = createLogger({ service: 'test', level: 'silent' });
const channel = { ...liveChannel, tokenHash: sha256Hex('tok') };
const push: PushHeaders = { channelId: 'ch', resourceId: 'r', resourceState: 'exists', messageNumber: 1, token: 'tok' };

/** A publisher whose sends settle when the test says so. */
function fakePublisher() {
  const sends: { resolve: () => void; reject: (e: Error) => void }[] = [];
  const publisher = {
    publish: () =>
      new Promise((resolve, reject) => {
        sends.push({ resolve: () => resolve({}), reject });
      }),
  } as unknown as Publisher;
  return { publisher, sends };
}

function processor(
  publisher: Publisher,
  lookup = async () => undefined as typeof channel | undefined,
  unknownChannelWaitMs = 0,
) {
  const cache = new ChannelCache(1000);
  cache.put(channel);
  const reports: string[] = [];
  const process = createPushProcessor({
    cache,
    lookup,
    publisher,
    seen: new SeenMessages(100),
    publishTimeoutMs: 50,
    unknownChannelWaitMs,
    reportUnmatched: (p) => reports.push(p.channelId),
    logger,
  });
  return { process, reports, cache };
}

describe('push processor', () => {
  it('answers 200 only after the ack, and drops a redelivery', async () => {
    const { publisher, sends } = fakePublisher();
    const { process } = processor(publisher);
    const first = process(push, 'now');
    await Promise.resolve();
    expect(sends).toHaveLength(1);
    sends[0]!.resolve();
    expect(await first).toEqual({ status: 200, outcome: 'published' });
    expect(await process(push, 'now')).toEqual({ status: 200, outcome: 'duplicate' });
    expect(sends).toHaveLength(1);
  });

  it('answers 503 when Kafka does not ack in time; the retry joins the pending send', async () => {
    const { publisher, sends } = fakePublisher();
    const { process } = processor(publisher);
    expect(await process(push, 'now')).toEqual({ status: 503, outcome: 'kafka_unavailable' });
    const retry = process(push, 'now');
    sends[0]!.resolve();
    expect(await retry).toEqual({ status: 200, outcome: 'duplicate' });
    expect(sends).toHaveLength(1);
  });

  it('sends again after a failed send', async () => {
    const { publisher, sends } = fakePublisher();
    const { process } = processor(publisher);
    const first = process(push, 'now');
    await Promise.resolve();
    sends[0]!.reject(new Error('broker down'));
    expect((await first).status).toBe(503);
    const retry = process(push, 'now');
    await Promise.resolve();
    sends[1]!.resolve();
    expect(await retry).toEqual({ status: 200, outcome: 'published' });
  });

  it('rejects forged pings, drops and reports unknown ones, and 503s when the lookup fails', async () => {
    const { publisher, sends } = fakePublisher();
    const { process, reports } = processor(publisher);
    expect(await process({ ...push, token: 'bad' }, 'now')).toEqual({ status: 401, outcome: 'forged' });
    expect(await process({ ...push, channelId: 'other' }, 'now')).toEqual({ status: 200, outcome: 'unknown' });
    expect(reports).toEqual(['other']);
    const failing = processor(publisher, async () => {
      throw new Error('db down');
    });
    expect(await failing.process({ ...push, channelId: 'x' }, 'now')).toEqual({
      status: 503,
      outcome: 'lookup_failed',
    });
    expect(sends).toHaveLength(0);
  });

  it('holds a ping of a channel not known yet until its created event arrives', async () => {
    const { publisher, sends } = fakePublisher();
    const { process, cache, reports } = processor(publisher, undefined, 5_000);
    const early = { ...push, channelId: 'new' };
    const answered = process(early, 'now');
    await new Promise((r) => setTimeout(r, 10));
    expect(sends).toHaveLength(0);
    cache.put({ ...channel, channelId: 'new' });
    await new Promise((r) => setTimeout(r, 0));
    expect(sends).toHaveLength(1);
    sends[0]!.resolve();
    expect(await answered).toEqual({ status: 200, outcome: 'published' });
    expect(reports).toEqual([]);
  });

  it('drops a ping whose channel never arrives once the wait is over', async () => {
    const { publisher, sends } = fakePublisher();
    const { process, reports } = processor(publisher, undefined, 20);
    expect(await process({ ...push, channelId: 'never' }, 'now')).toEqual({ status: 200, outcome: 'unknown' });
    expect(reports).toEqual(['never']);
    expect(sends).toHaveLength(0);
  });
});
