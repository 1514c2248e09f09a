import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Consumer, IHeaders, KafkaMessage, Producer } from 'kafkajs';
import { retryDelayMs } from '../backoff/retry-delay';
import { deadLetterTopicName, type MessageOf, type TopicKey, topicName, topics } from '../contracts/registry';
import type { ServiceMetrics } from '../metrics/service-metrics';
import { extractTraceContext } from '../telemetry/kafka-propagation';
import type { KafkaConnection } from './connection';
import { PermanentMessageError } from './errors';
import { consumerLag } from './topics-admin';

export type MessageMeta = { topic: string; partition: number; offset: string; headers: Record<string, string> };
export type MessageHandler<K extends TopicKey> = (message: MessageOf<K>, meta: MessageMeta) => Promise<void>;
export type HandlerMap = { [K in TopicKey]?: MessageHandler<K> };

export type ConsumerOptions = {
  /** Logical group name; the connection's topic prefix is prepended. */
  groupId: string;
  handlers: HandlerMap;
  /** Partitions processed in parallel (messages within one partition are always sequential). */
  partitionsConsumedConcurrently?: number;
  /** Attempts before a message that keeps failing is parked in the dead-letter topic. */
  maxAttempts?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  fromBeginning?: boolean;
  metrics?: ServiceMetrics;
  /** How often to measure consumer lag for the `kafka_consumer_lag_messages` gauge. */
  lagIntervalMs?: number;
};

export type RunningConsumer = { isReady(): boolean; stop(): Promise<void> };

// Looked up per use, not at module load: a tracer taken before the SDK registers stays a no-op
// when the API is loaded twice (ESM + CJS, as under vitest).
const tracer = () => trace.getTracer('@gcal-sync/shared/kafka');

function headersToStrings(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    const first = Array.isArray(v) ? v[0] : v;
    if (first !== undefined) out[k] = first.toString();
  }
  return out;
}

function describeIssues(error: { issues: { path: PropertyKey[]; message: string }[] }): string {
  return error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ');
}

/**
 * decode → validate → handle → commit. The offset is committed only after the handler resolved
 * (handlers commit their database transaction before resolving), so a crash redelivers and
 * idempotent handlers absorb the duplicate. Malformed messages and messages that keep failing
 * are parked in `<topic>.dlq` with the reason in headers, then committed: nothing is dropped silently.
 */
export async function startConsumer(connection: KafkaConnection, options: ConsumerOptions): Promise<RunningConsumer> {
  const { kafka, topicPrefix, logger } = connection;
  const groupId = `${topicPrefix}${options.groupId}`;
  const maxAttempts = options.maxAttempts ?? 8;
  const byName = new Map<string, TopicKey>();
  for (const key of Object.keys(options.handlers) as TopicKey[]) byName.set(topicName(key, topicPrefix), key);

  const consumer: Consumer = kafka.consumer({
    groupId,
    allowAutoTopicCreation: true,
    sessionTimeout: connection.sessionTimeoutMs,
    // Kafka's advice: a third of the session timeout at most; a tenth leaves room for slow turns.
    heartbeatInterval: Math.max(1_000, Math.floor(connection.sessionTimeoutMs / 10)),
    // disconnect() waits for the in-flight fetch: a long broker wait makes every shutdown slow.
    maxWaitTimeInMs: 1_000,
  });
  const dlqProducer: Producer = kafka.producer({ idempotent: true, allowAutoTopicCreation: true });
  let ready = false;
  let stopping = false;
  consumer.on(consumer.events.GROUP_JOIN, () => {
    ready = true;
  });
  consumer.on(consumer.events.CRASH, (event) => {
    ready = false;
    logger.error({ err: event.payload.error, groupId }, 'kafka consumer crashed');
  });
  consumer.on(consumer.events.DISCONNECT, () => {
    ready = false;
  });

  await dlqProducer.connect();
  await consumer.connect();
  await consumer.subscribe({ topics: [...byName.keys()], fromBeginning: options.fromBeginning ?? true });

  const count = (topic: string, outcome: string) => options.metrics?.kafkaMessagesConsumed.inc({ topic, outcome });

  async function commit(topic: string, partition: number, offset: string) {
    await consumer.commitOffsets([{ topic, partition, offset: (BigInt(offset) + 1n).toString() }]);
  }

  async function deadLetter(topic: string, partition: number, message: KafkaMessage, reason: string) {
    logger.warn({ topic, partition, offset: message.offset, reason }, 'message parked in dead-letter topic');
    await dlqProducer.send({
      topic: deadLetterTopicName(topic),
      acks: -1,
      messages: [
        {
          key: message.key,
          value: message.value,
          headers: {
            ...message.headers,
            'dlq-reason': reason.slice(0, 2000),
            'dlq-original-topic': topic,
            'dlq-original-partition': String(partition),
            'dlq-original-offset': message.offset,
            'dlq-consumer-group': groupId,
            'dlq-failed-at': new Date().toISOString(),
          },
        },
      ],
    });
    count(topic, 'dead_lettered');
  }

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  await consumer.run({
    autoCommit: false,
    partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 1,
    eachMessage: async ({ topic, partition, message }) => {
      const key = byName.get(topic);
      const headers = headersToStrings(message.headers);
      if (!key) return;
      const started = process.hrtime.bigint();

      let decoded: unknown;
      try {
        decoded = JSON.parse(message.value?.toString('utf8') ?? '');
      } catch {
        await deadLetter(topic, partition, message, 'malformed: value is not JSON');
        await commit(topic, partition, message.offset);
        return;
      }
      const parsed = topics[key].envelope.safeParse(decoded);
      if (!parsed.success) {
        await deadLetter(
          topic,
          partition,
          message,
          `invalid ${topics[key].name} message: ${describeIssues(parsed.error)}`,
        );
        await commit(topic, partition, message.offset);
        return;
      }
      const envelope = parsed.data as MessageOf<TopicKey>;
      const parent = extractTraceContext(headers, envelope.trace);
      const handler = options.handlers[key] as MessageHandler<TopicKey>;

      for (let attempt = 1; ; attempt++) {
        const span = tracer().startSpan(
          `${topic} process`,
          {
            kind: SpanKind.CONSUMER,
            attributes: {
              'messaging.system': 'kafka',
              'messaging.destination.name': topic,
              'messaging.operation.type': 'process',
              'messaging.consumer.group.name': groupId,
              'messaging.kafka.offset': Number(message.offset),
              'messaging.destination.partition.id': String(partition),
              'messaging.message.id': envelope.messageId,
            },
          },
          parent,
        );
        try {
          await context.with(trace.setSpan(parent, span), () =>
            handler(envelope, { topic, partition, offset: message.offset, headers }),
          );
          span.end();
          count(topic, attempt === 1 ? 'ok' : 'ok_after_retry');
          break;
        } catch (error) {
          span.recordException(error as Error);
          span.setStatus({ code: SpanStatusCode.ERROR });
          span.end();
          const reason = error instanceof Error ? error.message : String(error);
          if (error instanceof PermanentMessageError) {
            await deadLetter(topic, partition, message, `permanent: ${reason}`);
            break;
          }
          if (attempt >= maxAttempts) {
            await deadLetter(topic, partition, message, `retries exhausted after ${attempt} attempts: ${reason}`);
            break;
          }
          // Stopping mid-retry: leave the offset uncommitted so another member picks the message up.
          if (stopping) throw error;
          count(topic, 'retried');
          logger.warn({ topic, partition, offset: message.offset, attempt, err: error }, 'handler failed, retrying');
          await sleep(retryDelayMs(attempt, options.retryBaseMs ?? 200, options.retryMaxMs ?? 10_000));
        }
      }
      await commit(topic, partition, message.offset);
      options.metrics?.kafkaHandleDuration.observe({ topic }, Number(process.hrtime.bigint() - started) / 1e9);
    },
  });

  const lagTimer = options.metrics ? setInterval(() => void reportLag(), options.lagIntervalMs ?? 15_000) : undefined;
  lagTimer?.unref();
  async function reportLag() {
    try {
      for (const { topic, partition, lag } of await consumerLag(connection, options.groupId, [...byName.keys()])) {
        options.metrics?.kafkaConsumerLag.set({ group: groupId, topic, partition: String(partition) }, lag);
      }
    } catch (error) {
      logger.debug({ err: error }, 'consumer lag not measured');
    }
  }

  return {
    isReady: () => ready && !stopping,
    async stop() {
      stopping = true;
      if (lagTimer) clearInterval(lagTimer);
      // disconnect() waits for the in-flight eachMessage (and its commit) to finish.
      await consumer.disconnect();
      await dlqProducer.disconnect();
    },
  };
}
