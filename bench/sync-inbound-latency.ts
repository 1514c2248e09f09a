/**
 * Benchmark: Google → app. Latency from an edit in the emulator to its change event consumed from
 * Kafka (p50/p99), and changes applied per second by one sync of a large delta.
 *
 *   pnpm --filter @gcal-sync/sync-core bench:inbound        (needs the local stack: scripts/stack-up.sh)
 *
 * Real parts: the emulator (zero added latency), Postgres, Kafka, sync-core in-process with its
 * real consumer, outbox relay and publisher, the access-token stand-in of the tests.
 * Latency path: control-API edit → notification published on google.notifications (what
 * webhook-ingest does on Google's push; the push hop itself is not included) → sync-core:
 * events.list with the sync token, mirror + outbox commit → relay → Kafka → a consumer here.
 * Edits are sequential, 150 ms apart (beyond the 100 ms coalescing quiet window, so each edit is
 * a lone edit, as in real use). The per-connection Google budget is raised for the benchmark (one
 * account doing all edits); production spreads load over many connections.
 * Throughput: BENCH_CHANGES events edited in Google, one notification, time until the mirror has
 * applied them all (applied/s), until the relay had them acknowledged by Kafka (published/s), and
 * until this benchmark's consumer (which commits offsets message by message) had read them all.
 *
 * Env: BENCH_EDITS (300), BENCH_CHANGES (5000). Prints one JSON object.
 * Targets (issue 6): p99 ≤ 200 ms; ≥ 1,000 changes/s.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startInboundStack, startSyncCore } from '../services/sync-core/test/inbound-harness';

// bench/ has no dependencies of its own: resolve them the way sync-core does.
const requireFromService = createRequire(join(__dirname, '..', 'services', 'sync-core', 'package.json'));
const { connectKafka, createLogger, startConsumer } = requireFromService(
  '@gcal-sync/shared',
) as typeof import('@gcal-sync/shared');
type ChangeMessage = import('@gcal-sync/shared').MessageOf<'eventChanges'>;

const EDITS = Number(process.env.BENCH_EDITS ?? 300);
const CHANGES = Number(process.env.BENCH_CHANGES ?? 5000);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

async function main() {
  const stack = await startInboundStack({ email: 'bench@example.com' });
  const seeded: string[] = [];
  for (let i = 0; i < CHANGES; i += 250) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(250, CHANGES - i) }, (_, j) =>
        stack.control.createEvent(stack.calendarId, {
          summary: `Bench ${i + j}`,
          start: { dateTime: '2026-07-01T10:00:00-07:00', timeZone: 'America/Los_Angeles' },
          end: { dateTime: '2026-07-01T10:30:00-07:00', timeZone: 'America/Los_Angeles' },
        }),
      ),
    );
    seeded.push(...batch.map((e) => e.id));
  }
  const service = await startSyncCore(
    stack.env({
      LOG_LEVEL: 'warn',
      SYNC_SWEEP_INTERVAL_MS: '2000',
      SYNC_USER_QUOTA_PER_MIN: '600000',
      SYNC_PROJECT_QUOTA_PER_MIN: '6000000',
    }),
  );

  // Our own consumer of calendar.event-changes, to timestamp arrivals without polling.
  const waiters = new Map<string, () => void>();
  let received = 0;
  let receivedAll: (() => void) | undefined;
  let target = Number.POSITIVE_INFINITY;
  const kafka = connectKafka({
    brokers: stack.env().KAFKA_BROKERS.split(','),
    clientId: 'bench',
    topicPrefix: stack.env().KAFKA_TOPIC_PREFIX,
    logger: createLogger({ service: 'bench', level: 'warn' }),
  });
  const consumer = await startConsumer(kafka, {
    groupId: 'bench-reader',
    partitionsConsumedConcurrently: 3,
    handlers: {
      eventChanges: async (m: ChangeMessage) => {
        received++;
        waiters.get(`${m.payload.eventId}/${m.payload.version}`)?.();
        if (received >= target) receivedAll?.();
      },
    },
  });
  const arrival = (eventId: string, version: number) =>
    new Promise<void>((resolve) => waiters.set(`${eventId}/${version}`, resolve));

  // First full sync of the seeded calendar.
  target = CHANGES;
  const initial = new Promise<void>((resolve) => {
    receivedAll = resolve;
  });
  await stack.select();
  await initial;

  // Latency: lone edits.
  const latencies: number[] = [];
  for (let i = 0; i < EDITS; i++) {
    const id = seeded[i % seeded.length] as string;
    const version = 2 + Math.floor(i / seeded.length);
    const arrived = arrival(id, version);
    const t0 = performance.now();
    await stack.control.editEvent(stack.calendarId, id, { summary: `Edit ${i}` });
    await stack.notify();
    await arrived;
    latencies.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 150));
  }

  // Throughput: one delta of CHANGES edits.
  for (let i = 0; i < seeded.length; i += 250) {
    await Promise.all(
      seeded.slice(i, i + 250).map((id) => stack.control.editEvent(stack.calendarId, id, { location: `Room ${i}` })),
    );
  }
  received = 0;
  target = CHANGES;
  const allPublished = new Promise<void>((resolve) => {
    receivedAll = resolve;
  });
  const t0 = performance.now();
  await stack.notify();
  let appliedMs = Number.NaN;
  for (;;) {
    const { rows } = await stack.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM mirror_events WHERE event->>'location' LIKE 'Room %'",
    );
    if ((rows[0]?.n ?? 0) >= CHANGES) {
      appliedMs = performance.now() - t0;
      break;
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  // Published: the relay deletes outbox rows only after Kafka acknowledged them (acks=all).
  for (;;) {
    const { rows } = await stack.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM sync_core_outbox');
    if ((rows[0]?.n ?? 1) === 0) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  const publishedMs = performance.now() - t0;
  await allPublished;
  const consumedMs = performance.now() - t0;

  latencies.sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 10) / 10;
  console.log(
    JSON.stringify(
      {
        benchmark: 'sync-inbound-latency',
        editToChangeEventMs: {
          samples: latencies.length,
          p50: round(percentile(latencies, 50)),
          p90: round(percentile(latencies, 90)),
          p99: round(percentile(latencies, 99)),
          max: round(latencies[latencies.length - 1] ?? Number.NaN),
        },
        throughput: {
          changes: CHANGES,
          appliedPerSec: Math.round((CHANGES / appliedMs) * 1000),
          publishedPerSec: Math.round((CHANGES / publishedMs) * 1000),
          consumedPerSec: Math.round((CHANGES / consumedMs) * 1000),
          appliedMs: Math.round(appliedMs),
          publishedMs: Math.round(publishedMs),
          consumedMs: Math.round(consumedMs),
        },
        targets: { p99Ms: 200, changesPerSec: 1000 },
        notes: 'push hop (webhook-ingest) not included; one connection with a raised per-connection Google budget',
      },
      null,
      2,
    ),
  );
  await consumer.stop();
  await service.stop();
  await stack.stop();
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
