import { randomBytes } from 'node:crypto';
import { type Consumer, type IHeaders, Kafka, logLevel } from 'kafkajs';
import { testRuntime } from './runtime';
import { waitFor } from './wait-for';

// kafkajs prints a partitioner notice at every producer creation; tests don't need it.
process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';

/** Bootstrap brokers of the test Kafka (container or local stack). */
export async function kafkaBrokers(): Promise<string[]> {
  return (await testRuntime()).kafkaBrokers;
}

/** A fresh topic prefix such as `t3f9a1c2b.` so suites never read each other's messages. */
export function uniqueTopicPrefix(): string {
  return `t${randomBytes(4).toString('hex')}.`;
}

export interface CollectedMessage<T> {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  /** JSON-decoded value; `undefined` when the value was empty. Non-JSON values are kept as strings. */
  value: T;
  headers: Record<string, string>;
}

export interface TopicCollector<T> {
  /** Every message received so far, in arrival order. */
  readonly messages: CollectedMessage<T>[];
  /** Resolves once at least `count` messages arrived (default timeout 15 s). */
  waitForCount(count: number, timeoutMs?: number): Promise<CollectedMessage<T>[]>;
  /** Resolves with the first message matching `predicate` (default timeout 15 s). */
  waitForMessage(predicate: (m: CollectedMessage<T>) => boolean, timeoutMs?: number): Promise<CollectedMessage<T>>;
  /** Disconnects the consumer. */
  stop(): Promise<void>;
}

export interface ConsumeTopicOptions {
  brokers?: string[];
  /** Consumer group; a random one by default so every collector sees every message. */
  groupId?: string;
  /** Read from the start of the topic (default true), so messages sent before the group joined are seen. */
  fromBeginning?: boolean;
  /** Create the topic first (default true) so subscribing never races auto-creation. */
  createTopic?: boolean;
}

/**
 * Starts a kafkajs consumer that collects the JSON messages of `topic` for assertions.
 * Resolves once the consumer has joined its group. Call `stop()` in afterAll/afterEach.
 */
export async function consumeTopic<T = unknown>(
  topic: string,
  options: ConsumeTopicOptions = {},
): Promise<TopicCollector<T>> {
  const brokers = options.brokers ?? (await kafkaBrokers());
  const kafka = new Kafka({ clientId: 'testkit-collector', brokers, logLevel: logLevel.ERROR });
  if (options.createTopic !== false) await ensureTopics(kafka, [topic]);

  const consumer: Consumer = kafka.consumer({
    groupId: options.groupId ?? `testkit-${randomBytes(6).toString('hex')}`,
    sessionTimeout: 10_000,
    heartbeatInterval: 1_000,
    // stop() waits for the in-flight fetch; a short broker wait keeps teardown fast.
    maxWaitTimeInMs: 500,
  });
  const messages: CollectedMessage<T>[] = [];
  const joined = new Promise<void>((resolve) => {
    const off = consumer.on(consumer.events.GROUP_JOIN, () => {
      off();
      resolve();
    });
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: options.fromBeginning ?? true });
  await consumer.run({
    eachMessage: async ({ topic: t, partition, message }) => {
      messages.push({
        topic: t,
        partition,
        offset: message.offset,
        key: message.key ? message.key.toString('utf8') : null,
        value: decode(message.value) as T,
        headers: decodeHeaders(message.headers),
      });
    },
  });
  let timer: NodeJS.Timeout | undefined;
  const joinTimeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`consumer of ${topic} did not join its group in 30 s`)), 30_000);
  });
  try {
    await Promise.race([joined, joinTimeout]);
  } catch (err) {
    await consumer.disconnect();
    throw err;
  } finally {
    clearTimeout(timer);
  }

  return {
    messages,
    waitForCount: (count, timeoutMs = 15_000) =>
      waitFor(() => messages.length >= count && messages, { timeoutMs, intervalMs: 50 }).catch((err) => {
        throw new Error(`expected ${count} message(s) on ${topic}, got ${messages.length}`, { cause: err });
      }),
    waitForMessage: (predicate, timeoutMs = 15_000) =>
      waitFor(() => messages.find(predicate), { timeoutMs, intervalMs: 50 }).catch((err) => {
        throw new Error(`no matching message on ${topic} among ${messages.length}`, { cause: err });
      }),
    stop: () => consumer.disconnect(),
  };
}

/** Creates the topics if they do not exist yet (broker default partition count). */
export async function createTopics(topics: string[], brokers?: string[]): Promise<void> {
  const kafka = new Kafka({
    clientId: 'testkit-admin',
    brokers: brokers ?? (await kafkaBrokers()),
    logLevel: logLevel.ERROR,
  });
  await ensureTopics(kafka, topics);
}

async function ensureTopics(kafka: Kafka, topics: string[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: topics.map((topic) => ({ topic })), waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

function decode(value: Buffer | null): unknown {
  if (!value || value.length === 0) return undefined;
  const text = value.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function decodeHeaders(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (v === undefined) continue;
    out[k] = (Array.isArray(v) ? v[v.length - 1] : v)?.toString() ?? '';
  }
  return out;
}
