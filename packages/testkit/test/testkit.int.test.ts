import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  consumeTopic,
  createTestDatabase,
  kafkaBrokers,
  type TestDatabase,
  testRuntime,
  uniqueTopicPrefix,
  waitFor,
} from '../src/index';

describe('testkit against the real stack', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('reports which runtime it uses', async () => {
    const runtime = await testRuntime();
    expect(['local', 'containers']).toContain(runtime.mode);
    expect(runtime.kafkaBrokers.length).toBeGreaterThan(0);
  });

  it('creates an empty, writable database of its own', async () => {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ db: string }>('SELECT current_database() AS db');
      expect(db.url.endsWith(`/${rows[0]!.db}`)).toBe(true);
      await client.query('CREATE TABLE probe (id int PRIMARY KEY)');
      await client.query('INSERT INTO probe VALUES (1)');
      const count = await client.query<{ n: string }>('SELECT count(*) AS n FROM probe');
      expect(count.rows[0]!.n).toBe('1');
    } finally {
      await client.end();
    }
  });

  it('drops the database even with a connection still open', async () => {
    const other = await createTestDatabase();
    const name = new URL(other.url).pathname.slice(1);
    const open = new Client({ connectionString: other.url });
    await open.connect();
    open.on('error', () => {}); // the forced drop terminates this session
    await other.drop();
    await other.drop(); // second call is a no-op
    const admin = new Client({ connectionString: db.url });
    await admin.connect();
    try {
      const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      expect(rowCount).toBe(0);
    } finally {
      await admin.end();
      await open.end().catch(() => {});
    }
  });

  it('round-trips JSON messages through Kafka under a unique topic prefix', async () => {
    const prefix = uniqueTopicPrefix();
    expect(prefix).toMatch(/^t[0-9a-f]+\.$/);
    const topic = `${prefix}probe`;
    const collector = await consumeTopic<{ n: number }>(topic);
    const producer = new Kafka({
      clientId: 'testkit-test',
      brokers: await kafkaBrokers(),
      logLevel: logLevel.ERROR,
    }).producer();
    await producer.connect();
    try {
      await producer.send({
        topic,
        acks: -1,
        messages: [
          { key: 'a', value: JSON.stringify({ n: 1 }), headers: { traceparent: '00-abc-def-01' } },
          { key: 'b', value: JSON.stringify({ n: 2 }) },
        ],
      });
      const messages = await collector.waitForCount(2);
      expect(messages.map((m) => m.value.n).sort()).toEqual([1, 2]);
      const first = await collector.waitForMessage((m) => m.key === 'a');
      expect(first.headers.traceparent).toBe('00-abc-def-01');
      expect(await waitFor(() => collector.messages.length === 2, { timeoutMs: 1_000 })).toBe(true);
    } finally {
      await producer.disconnect();
      await collector.stop();
    }
  });
});
