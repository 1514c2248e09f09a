import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  consumeTopic,
  createTestDatabase,
  kafkaBrokers,
  type TestDatabase,
  uniqueTopicPrefix,
  waitFor,
} from '@gcal-sync/testkit';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topicName } from '../contracts/registry';
import { createPool, withTransaction } from '../db/pool';
import { createLogger } from '../logging/logger';
import { connectKafka, type KafkaConnection } from './connection';
import { startConsumer } from './consumer';
import { createPublisher } from './publisher';
import { ensureTopics } from './topics-admin';

const spans = new InMemorySpanExporter();
const sdk = new NodeSDK({ serviceName: 'test-consumer', spanProcessors: [new SimpleSpanProcessor(spans)] });
sdk.start();

const logger = createLogger({ service: 'kafka-int-test', level: 'warn' });
let db: TestDatabase;
let pool: pg.Pool;
let brokers: string[];

async function freshConnection(): Promise<KafkaConnection> {
  const connection = connectKafka({ brokers, clientId: 'kafka-int-test', topicPrefix: uniqueTopicPrefix(), logger });
  await ensureTopics(connection, { partitions: 1, replicationFactor: 1 });
  return connection;
}

/** The idempotent handler's table: one row per message id. */
async function insertOnce(client: pg.PoolClient, messageId: string) {
  await client.query('INSERT INTO handled (message_id) VALUES ($1) ON CONFLICT DO NOTHING', [messageId]);
}

const alert = {
  orgId: 'org-1',
  connectionId: 'conn-1',
  payload: {
    kind: 'sync.paused' as const,
    status: 'open' as const,
    severity: 'warning' as const,
    subject: 'calendar:c1',
    title: 'Paused',
    detail: '',
    since: '2026-06-12T10:00:00Z',
  },
};

beforeAll(async () => {
  brokers = await kafkaBrokers();
  db = await createTestDatabase();
  pool = createPool(db.url);
  await pool.query('CREATE TABLE handled (message_id uuid PRIMARY KEY, at timestamptz DEFAULT now())');
});

afterAll(async () => {
  await pool?.end();
  await db?.drop();
  await sdk.shutdown();
});

describe('kafka through a real broker and Postgres', () => {
  it('a message produced by another process is consumed, written to Postgres, and continues its trace', async () => {
    const connection = await freshConnection();
    const received: string[] = [];
    const consumer = await startConsumer(connection, {
      groupId: 'g',
      handlers: {
        adminAlerts: async (message) => {
          await withTransaction(pool, (c) => insertOnce(c, message.messageId));
          received.push(message.messageId);
        },
      },
    });
    try {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [join(__dirname, '../../test/fixtures/produce-one.js')],
        {
          env: { ...process.env, KAFKA_BROKERS: brokers.join(','), KAFKA_TOPIC_PREFIX: connection.topicPrefix },
        },
      );
      const produced = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as { traceId: string; messageId: string };
      await waitFor(() => received.includes(produced.messageId), { timeoutMs: 30_000 });
      const { rows } = await pool.query('SELECT 1 FROM handled WHERE message_id = $1', [produced.messageId]);
      expect(rows).toHaveLength(1);
      const consumeSpan = await waitFor(() =>
        spans.getFinishedSpans().find((s) => s.name === `${topicName('adminAlerts', connection.topicPrefix)} process`),
      );
      expect(consumeSpan.spanContext().traceId).toBe(produced.traceId);
      expect(consumeSpan.parentSpanContext?.traceId).toBe(produced.traceId);
    } finally {
      await consumer.stop();
    }
  });

  it('a handler that fails after its DB commit is redelivered and leaves exactly one row', async () => {
    const connection = await freshConnection();
    const publisher = await createPublisher(connection);
    let calls = 0;
    const consumer = await startConsumer(connection, {
      groupId: 'g',
      retryBaseMs: 10,
      handlers: {
        adminAlerts: async (message) => {
          calls++;
          await withTransaction(pool, (c) => insertOnce(c, message.messageId));
          if (calls === 1) throw new Error('crash after the database commit, before the offset commit');
        },
      },
    });
    try {
      const sent = await publisher.publish('adminAlerts', alert);
      await waitFor(() => calls >= 2, { timeoutMs: 30_000 });
      const { rows } = await pool.query('SELECT count(*)::int AS n FROM handled WHERE message_id = $1', [
        sent.messageId,
      ]);
      expect(rows[0].n).toBe(1);
    } finally {
      await consumer.stop();
      await publisher.close();
    }
  });

  it('an uncommitted message is redelivered to the next group member after a stop', async () => {
    const connection = await freshConnection();
    const publisher = await createPublisher(connection);
    let firstStarted!: () => void;
    const started = new Promise<void>((r) => {
      firstStarted = r;
    });
    const first = await startConsumer(connection, {
      groupId: 'g',
      retryBaseMs: 50,
      handlers: {
        adminAlerts: async (message) => {
          await withTransaction(pool, (c) => insertOnce(c, message.messageId));
          firstStarted();
          throw new Error('this member dies before committing');
        },
      },
    });
    const sent = await publisher.publish('adminAlerts', alert);
    await started;
    await first.stop();

    const redelivered: string[] = [];
    const second = await startConsumer(connection, {
      groupId: 'g',
      handlers: {
        adminAlerts: async (message) => {
          await withTransaction(pool, (c) => insertOnce(c, message.messageId));
          redelivered.push(message.messageId);
        },
      },
    });
    try {
      await waitFor(() => redelivered.includes(sent.messageId), { timeoutMs: 45_000 });
      const { rows } = await pool.query('SELECT count(*)::int AS n FROM handled WHERE message_id = $1', [
        sent.messageId,
      ]);
      expect(rows[0].n).toBe(1);
    } finally {
      await second.stop();
      await publisher.close();
    }
  });

  it('a malformed message lands in the dead-letter topic with its reason, and consumption goes on', async () => {
    const connection = await freshConnection();
    const topic = topicName('adminAlerts', connection.topicPrefix);
    const dlq = await consumeTopic<unknown>(`${topic}.dlq`, { brokers });
    const handled: string[] = [];
    const consumer = await startConsumer(connection, {
      groupId: 'g',
      handlers: {
        adminAlerts: async (message) => {
          handled.push(message.messageId);
        },
      },
    });
    const producer = connection.kafka.producer();
    await producer.connect();
    const publisher = await createPublisher(connection);
    try {
      await producer.send({
        topic,
        messages: [
          { key: 'org-1', value: 'not json at all' },
          {
            key: 'org-1',
            value: JSON.stringify({ ...alert, messageId: 'nope', schemaVersion: 1, occurredAt: 'yesterday' }),
          },
        ],
      });
      const good = await publisher.publish('adminAlerts', alert);
      const parked = await dlq.waitForCount(2, 30_000);
      expect(parked.map((m) => m.headers['dlq-reason'])).toEqual([
        'malformed: value is not JSON',
        expect.stringMatching(/^invalid admin\.alerts message: .*messageId.*occurredAt/),
      ]);
      expect(parked[0]?.headers['dlq-original-topic']).toBe(topic);
      await waitFor(() => handled.includes(good.messageId), { timeoutMs: 30_000 });
    } finally {
      await consumer.stop();
      await producer.disconnect();
      await publisher.close();
      await dlq.stop();
    }
  });
});
