import type pg from 'pg';
import type { MessageOf, TopicKey } from '../contracts/registry';
import { buildEnvelope, type PublishInput } from '../kafka/build-envelope';
import type { Publisher } from '../kafka/publisher';
import type { Logger } from '../logging/logger';
import type { ServiceMetrics } from '../metrics/service-metrics';
import type { Migration } from './migrations';
import type { Queryable } from './pool';

/**
 * Transactional outbox: a message is written in the same database transaction as the state change
 * it announces, and a relay publishes it afterwards. A crash can neither lose a change nor publish
 * one that was rolled back.
 */
export function outboxMigration(table: string, version: number): Migration {
  assertIdentifier(table);
  return {
    version,
    name: `${table} outbox`,
    sql: `CREATE TABLE ${table} (
      id bigserial PRIMARY KEY,
      topic text NOT NULL,
      message jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`,
  };
}

function assertIdentifier(table: string) {
  if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new Error(`bad outbox table name ${table}`);
}

/** Adds a message to the outbox inside the caller's transaction; returns the envelope written. */
export async function enqueueOutbox<K extends TopicKey>(
  db: Queryable,
  table: string,
  topic: K,
  input: PublishInput<K>,
): Promise<MessageOf<K>> {
  assertIdentifier(table);
  const message = buildEnvelope(topic, input);
  await db.query(`INSERT INTO ${table} (topic, message) VALUES ($1, $2)`, [topic, JSON.stringify(message)]);
  await db.query('SELECT pg_notify($1, $2)', [table, '']);
  return message;
}

export type OutboxRelayOptions = {
  pool: pg.Pool;
  table: string;
  publisher: Publisher;
  logger: Logger;
  metrics?: ServiceMetrics;
  /** Fallback poll when no NOTIFY arrives (e.g. the listener reconnecting). */
  pollMs?: number;
  batchSize?: number;
};

/** Publishes outbox rows in id order, deleting them only after Kafka acknowledged them. */
export async function startOutboxRelay(options: OutboxRelayOptions): Promise<{ stop(): Promise<void> }> {
  assertIdentifier(options.table);
  const { pool, table, publisher, logger } = options;
  const batchSize = options.batchSize ?? 500;
  let stopped = false;
  let draining: Promise<void> | undefined;
  let again = false;

  async function drainOnce(): Promise<number> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{ id: string; topic: TopicKey; message: MessageOf<TopicKey> }>(
        `SELECT id, topic, message FROM ${table} ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [batchSize],
      );
      if (rows.length > 0) {
        await publisher.publishEnvelopes(rows.map((r) => ({ topic: r.topic, message: r.message })));
        await client.query(`DELETE FROM ${table} WHERE id = ANY($1::bigint[])`, [rows.map((r) => r.id)]);
      }
      await client.query('COMMIT');
      return rows.length;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  async function drain() {
    do {
      again = false;
      try {
        while (!stopped && (await drainOnce()) === batchSize) {}
      } catch (error) {
        logger.warn({ err: error, table }, 'outbox relay failed; will retry');
      }
    } while (again && !stopped);
    if (options.metrics) {
      const { rows } = await pool
        .query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)
        .catch(() => ({ rows: [{ n: '0' }] }));
      options.metrics.outboxBacklog.set({ table }, Number(rows[0]?.n ?? 0));
    }
  }

  function kick() {
    if (stopped) return;
    if (draining) {
      again = true;
      return;
    }
    draining = drain().finally(() => {
      draining = undefined;
    });
  }

  const listener = await pool.connect();
  listener.on('notification', kick);
  await listener.query(`LISTEN ${table}`);
  const timer = setInterval(kick, options.pollMs ?? 500);
  kick();

  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await draining;
      await listener.query(`UNLISTEN ${table}`).catch(() => {});
      listener.release();
    },
  };
}
