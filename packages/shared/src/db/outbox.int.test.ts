import {
  consumeTopic,
  createTestDatabase,
  kafkaBrokers,
  type TestDatabase,
  uniqueTopicPrefix,
} from '@gcal-sync/testkit';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topicName } from '../contracts/registry';
import { connectKafka } from '../kafka/connection';
import { createPublisher, type Publisher } from '../kafka/publisher';
import { ensureTopics } from '../kafka/topics-admin';
import { createLogger } from '../logging/logger';
import { runMigrations } from './migrations';
import { enqueueOutbox, outboxMigration, startOutboxRelay } from './outbox';
import { createPool, withTransaction } from './pool';

const logger = createLogger({ service: 'outbox-int-test', level: 'warn' });
let db: TestDatabase;
let pool: pg.Pool;
let publisher: Publisher;
let prefix: string;

const alert = (subject: string) => ({
  orgId: 'org-1',
  connectionId: null,
  payload: {
    kind: 'sync.paused' as const,
    status: 'open' as const,
    severity: 'warning' as const,
    subject,
    title: 'Paused',
    detail: '',
    since: '2026-06-12T10:00:00Z',
  },
});

beforeAll(async () => {
  db = await createTestDatabase();
  pool = createPool(db.url);
  await runMigrations(pool, 'outbox-test', [outboxMigration('test_outbox', 1)]);
  prefix = uniqueTopicPrefix();
  const connection = connectKafka({
    brokers: await kafkaBrokers(),
    clientId: 'outbox-test',
    topicPrefix: prefix,
    logger,
  });
  await ensureTopics(connection, { partitions: 1, replicationFactor: 1 });
  publisher = await createPublisher(connection);
});

afterAll(async () => {
  await publisher?.close();
  await pool?.end();
  await db?.drop();
});

describe('transactional outbox', () => {
  it('publishes committed messages in order and never a rolled-back one', async () => {
    const collector = await consumeTopic<{ payload: { subject: string } }>(topicName('adminAlerts', prefix));
    const relay = await startOutboxRelay({ pool, table: 'test_outbox', publisher, logger, pollMs: 5_000 });
    try {
      await withTransaction(pool, async (c) => {
        await enqueueOutbox(c, 'test_outbox', 'adminAlerts', alert('first'));
        await enqueueOutbox(c, 'test_outbox', 'adminAlerts', alert('second'));
      });
      await withTransaction(pool, async (c) => {
        await enqueueOutbox(c, 'test_outbox', 'adminAlerts', alert('rolled-back'));
        throw new Error('abort');
      }).catch(() => {});
      await withTransaction(pool, (c) => enqueueOutbox(c, 'test_outbox', 'adminAlerts', alert('third')));

      const got = await collector.waitForCount(3, 20_000);
      expect(got.map((m) => m.value.payload.subject)).toEqual(['first', 'second', 'third']);
      const { rows } = await pool.query('SELECT count(*)::int AS n FROM test_outbox');
      expect(rows[0].n).toBe(0);
    } finally {
      await relay.stop();
      await collector.stop();
    }
  });

  it('keeps rows while no relay runs and publishes them when one starts', async () => {
    await withTransaction(pool, (c) => enqueueOutbox(c, 'test_outbox', 'adminAlerts', alert('while-down')));
    const { rows } = await pool.query('SELECT count(*)::int AS n FROM test_outbox');
    expect(rows[0].n).toBe(1);
    const collector = await consumeTopic<{ payload: { subject: string } }>(topicName('adminAlerts', prefix));
    const relay = await startOutboxRelay({ pool, table: 'test_outbox', publisher, logger });
    try {
      await collector.waitForMessage((m) => m.value.payload.subject === 'while-down', 20_000);
    } finally {
      await relay.stop();
      await collector.stop();
    }
  });
});
