import { type Context, context, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Message, Producer } from 'kafkajs';
import { type MessageOf, type TopicKey, topicName, topics } from '../contracts/registry';
import type { ServiceMetrics } from '../metrics/service-metrics';
import { extractTraceContext, injectTraceHeaders } from '../telemetry/kafka-propagation';
import { buildEnvelope, type PublishInput } from './build-envelope';
import type { KafkaConnection } from './connection';

export type PublisherOptions = {
  /**
   * Wait this long to batch sends (like Kafka's linger.ms). 0 sends each message on its own.
   * The promise of publish() still resolves only when Kafka acknowledged the message.
   */
  lingerMs?: number;
  maxBatchSize?: number;
  metrics?: ServiceMetrics;
};

export type Publisher = {
  /** Builds, validates and sends one message; resolves after acks=all. */
  publish<K extends TopicKey>(topic: K, input: PublishInput<K>): Promise<MessageOf<K>>;
  /** Sends already-built envelopes (the outbox relay), keeping their original trace context. */
  publishEnvelopes(records: { topic: TopicKey; message: MessageOf<TopicKey> }[]): Promise<void>;
  isReady(): boolean;
  close(): Promise<void>;
};

type Pending = { topic: string; message: Message; resolve: () => void; reject: (e: unknown) => void };

// Looked up per use, not at module load: a tracer taken before the SDK registers stays a no-op
// when the API is loaded twice (ESM + CJS, as under vitest).
const tracer = () => trace.getTracer('@gcal-sync/shared/kafka');

export async function createPublisher(connection: KafkaConnection, options: PublisherOptions = {}): Promise<Publisher> {
  const producer: Producer = connection.kafka.producer({ idempotent: true, allowAutoTopicCreation: true });
  let ready = false;
  producer.on(producer.events.CONNECT, () => {
    ready = true;
  });
  producer.on(producer.events.DISCONNECT, () => {
    ready = false;
  });
  await producer.connect();
  ready = true;

  const lingerMs = options.lingerMs ?? 0;
  const maxBatchSize = options.maxBatchSize ?? 500;
  let queue: Pending[] = [];
  let timer: NodeJS.Timeout | undefined;

  const count = (topic: string, outcome: string, n: number) =>
    options.metrics?.kafkaMessagesProduced.inc({ topic, outcome }, n);

  async function sendNow(batch: Pending[]) {
    const byTopic = new Map<string, Message[]>();
    for (const p of batch) {
      const list = byTopic.get(p.topic) ?? [];
      list.push(p.message);
      byTopic.set(p.topic, list);
    }
    try {
      await producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      });
      for (const [topic, messages] of byTopic) count(topic, 'ok', messages.length);
      for (const p of batch) p.resolve();
    } catch (error) {
      for (const [topic, messages] of byTopic) count(topic, 'error', messages.length);
      for (const p of batch) p.reject(error);
    }
  }

  function flush() {
    timer = undefined;
    const batch = queue;
    queue = [];
    if (batch.length > 0) void sendNow(batch);
  }

  function enqueue(topic: string, message: Message): Promise<void> {
    if (lingerMs === 0) {
      return new Promise((resolve, reject) => void sendNow([{ topic, message, resolve, reject }]));
    }
    return new Promise((resolve, reject) => {
      queue.push({ topic, message, resolve, reject });
      if (queue.length >= maxBatchSize) {
        if (timer) clearTimeout(timer);
        flush();
      } else if (!timer) {
        timer = setTimeout(flush, lingerMs);
      }
    });
  }

  function toKafkaMessage(
    topic: TopicKey,
    message: MessageOf<TopicKey>,
    traceHeaders: Record<string, string>,
  ): Message {
    const spec = topics[topic];
    return {
      key: (spec.key as (m: MessageOf<TopicKey>) => string)(message),
      value: JSON.stringify(message),
      headers: {
        ...traceHeaders,
        'message-id': message.messageId,
        'schema-version': String(message.schemaVersion),
        'content-type': 'application/json',
      },
    };
  }

  /** Starts the producer span and builds the Kafka message carrying its context. */
  function prepare(topic: TopicKey, message: MessageOf<TopicKey>, parent: Context) {
    const name = topicName(topic, connection.topicPrefix);
    const span = tracer().startSpan(
      `${name} publish`,
      {
        kind: SpanKind.PRODUCER,
        attributes: {
          'messaging.system': 'kafka',
          'messaging.destination.name': name,
          'messaging.operation.type': 'send',
          'messaging.message.id': message.messageId,
        },
      },
      parent,
    );
    return {
      span,
      name,
      kafkaMessage: toKafkaMessage(topic, message, injectTraceHeaders(trace.setSpan(parent, span))),
    };
  }

  async function traced(spans: Span[], send: () => Promise<void>) {
    try {
      await send();
    } catch (error) {
      for (const span of spans) {
        span.recordException(error as Error);
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      throw error;
    } finally {
      for (const span of spans) span.end();
    }
  }

  return {
    async publish(topic, input) {
      const message = buildEnvelope(topic, input);
      const { span, name, kafkaMessage } = prepare(topic, message as MessageOf<TopicKey>, context.active());
      await traced([span], () => enqueue(name, kafkaMessage));
      return message;
    },
    async publishEnvelopes(records) {
      if (records.length === 0) return;
      // The relay continues the trace of the transaction that wrote each outbox row, and sends one batch.
      const prepared = records.map(({ topic, message }) =>
        prepare(topic, message, extractTraceContext({}, message.trace)),
      );
      await traced(
        prepared.map((p) => p.span),
        () =>
          new Promise<void>((resolve, reject) => {
            let left = prepared.length;
            let failed = false;
            void sendNow(
              prepared.map((p) => ({
                topic: p.name,
                message: p.kafkaMessage,
                resolve: () => {
                  if (--left === 0 && !failed) resolve();
                },
                reject: (e) => {
                  if (!failed) reject(e);
                  failed = true;
                },
              })),
            );
          }),
      );
    },
    isReady: () => ready,
    async close() {
      if (timer) {
        clearTimeout(timer);
        flush();
      }
      await producer.disconnect();
      ready = false;
    },
  };
}
