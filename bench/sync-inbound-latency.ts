/**
 * Benchmark: Google → app. Latency from an edit in the emulator to its change event consumed from
 * Kafka (p50/p99), and changes applied per second by one sync of a large delta.
 *
 *   pnpm --filter @gcal-sync/sync-core bench:inbound        (needs the local stack: scripts/stack-up.sh)
 *
 * Real parts: the emulator (zero added latency), Postgres, Kafka, sync-core in-process with its
 * real consumer, outbox relay and publisher, the access-token stand-in of the tests.
 * Latency path (BENCH_PATH=webhook, default): control-API edit → the emulator's push to
 * webhook-ingest (in-process, real HTTP, channel created with events.watch and announced on
 * channel.lifecycle as the renewer does) → google.notifications → sync-core: events.list with the
 * sync token, mirror + outbox commit → relay → Kafka → a consumer here. BENCH_PATH=direct skips
 * the push hop: the benchmark publishes the notification itself.
 * Edits are sequential, 150 ms apart (beyond the 100 ms coalescing quiet window, so each edit is
 * a lone edit, as in real use). The per-connection Google budget is raised for the benchmark (one
 * account doing all edits); production spreads load over many connections.
 * Throughput: BENCH_CHANGES events edited in Google, one notification, time until the mirror has
 * applied them all (applied/s) and until the relay had them acknowledged by Kafka (published/s).
 *
 * Env: BENCH_EDITS (300), BENCH_CHANGES (5000), BENCH_PATH (webhook | direct). Prints one JSON object.
 * Targets (issue 6): p99 ≤ 200 ms; ≥ 1,000 changes/s.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startInboundStack, startSyncCore } from '../services/sync-core/test/inbound-harness';

// bench/ has no dependencies of its own: resolve them the way sync-core does.
const requireFromService = createRequire(join(__dirname, '..', 'services', 'sync-core', 'package.json'));
const { connectKafka, createLogger, createPublisher, sha256Hex, startConsumer } = requireFromService(
  '@gcal-sync/shared',
) as typeof import('@gcal-sync/shared');
const WEBHOOK_DIR = join(__dirname, '..', 'services', 'webhook-ingest');
const PATH = process.env.BENCH_PATH === 'direct' ? 'direct' : 'webhook';
type ChangeMessage = import('@gcal-sync/shared').MessageOf<'eventChanges'>;

const EDITS = Number(process.env.BENCH_EDITS ?? 300);
const CHANGES = Number(process.env.BENCH_CHANGES ?? 5000);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

async function main() {
  const stack = await startInboundStack({ email: 'bench@example.com', allowHttpPush: PATH === 'webhook' });
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

  const webhook = PATH === 'webhook' ? await startWebhookPath(stack) : undefined;

  // Latency: lone edits.
  const latencies: number[] = [];
  for (let i = 0; i < EDITS; i++) {
    const id = seeded[i % seeded.length] as string;
    const version = 2 + Math.floor(i / seeded.length);
    const arrived = arrival(id, version);
    const appliedBefore = await countLocated(stack);
    if (appliedBefore > 0) throw new Error(`${appliedBefore} changes applied before the clock started`);
    const t0 = performance.now();
    await stack.control.editEvent(stack.calendarId, id, { summary: `Edit ${i}` });
    if (!webhook) await stack.notify();
    await arrived;
    latencies.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 150));
  }

  // Throughput: one delta of CHANGES edits, started by one notification (pushes off, so the
  // edits below do not start syncs before the clock does).
  await webhook?.stop();
  for (let i = 0; i < seeded.length; i += 250) {
    await Promise.all(
      seeded.slice(i, i + 250).map((id) => stack.control.editEvent(stack.calendarId, id, { location: `Room ${i}` })),
    );
  }
  const appliedBefore = await countLocated(stack);
  if (appliedBefore > 0) throw new Error(`${appliedBefore} changes applied before the clock started`);
  const t0 = performance.now();
  // What webhook-ingest would publish for these edits: one notification, the sync it starts.
  await stack.notify();
  let appliedMs = Number.NaN;
  for (;;) {
    if ((await countLocated(stack)) >= CHANGES) {
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

  latencies.sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 10) / 10;
  console.log(
    JSON.stringify(
      {
        benchmark: 'sync-inbound-latency',
        path: PATH,
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
          appliedMs: Math.round(appliedMs),
          publishedMs: Math.round(publishedMs),
        },
        targets: { p99Ms: 200, changesPerSec: 1000 },
        notes:
          PATH === 'webhook'
            ? 'emulator push → webhook-ingest → Kafka → sync-core → outbox relay → Kafka; one connection with a raised per-connection Google budget'
            : 'push hop not included (notification published by the benchmark); one connection with a raised per-connection Google budget',
      },
      null,
      2,
    ),
  );
  await consumer.stop();
  await service.stop();
  await stack.stop();
}

/**
 * The push path as deployed: webhook-ingest (in-process), a Google channel on the calendar
 * (events.watch against the emulator) pointing at it, announced on channel.lifecycle the way the
 * renewer does. Resolves once webhook-ingest treats the channel as live.
 */
async function startWebhookPath(stack: Stack) {
  const requireFromWebhook = createRequire(join(WEBHOOK_DIR, 'package.json'));
  let webhookMain: { start(c: unknown): Promise<{ url: string; stop(): Promise<void> }> };
  let webhookConfig: { loadServiceConfig(env: Record<string, string>): unknown };
  try {
    webhookMain = requireFromWebhook('./dist/main');
    webhookConfig = requireFromWebhook('./dist/config');
  } catch {
    throw new Error(
      'webhook-ingest is not built: pnpm --filter @gcal-sync/webhook-ingest build (or BENCH_PATH=direct)',
    );
  }
  const env = stack.env();
  const ingest = await webhookMain.start(
    webhookConfig.loadServiceConfig({
      DATABASE_URL: env.DATABASE_URL,
      KAFKA_BROKERS: env.KAFKA_BROKERS,
      KAFKA_TOPIC_PREFIX: env.KAFKA_TOPIC_PREFIX,
      INTERNAL_API_TOKENS: env.INTERNAL_API_TOKENS,
      PORT: '0',
      LOG_LEVEL: 'warn',
    }),
  );
  const address = `${ingest.url}/google/notifications`;
  const channelId = `bench-${Date.now()}`;
  const token = 'bench-channel-token-0123456789';
  const watch = await fetch(
    new URL(`/calendar/v3/calendars/${encodeURIComponent(stack.calendarId)}/events/watch`, stack.emulator.url),
    {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.account.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id: channelId, type: 'web_hook', address, token }),
    },
  );
  const channel = (await watch.json()) as { resourceId: string; expiration: string };
  if (!watch.ok) throw new Error(`events.watch ${watch.status}: ${JSON.stringify(channel)}`);
  const kafka = connectKafka({
    brokers: env.KAFKA_BROKERS.split(','),
    clientId: 'bench-renewer',
    topicPrefix: env.KAFKA_TOPIC_PREFIX,
    logger: createLogger({ service: 'bench', level: 'warn' }),
  });
  const publisher = await createPublisher(kafka);
  await publisher.publish('channelLifecycle', {
    orgId: stack.orgId,
    connectionId: stack.connectionId,
    payload: {
      type: 'created',
      channel: {
        channelId,
        resourceId: channel.resourceId,
        resource: 'events',
        calendarId: stack.calendarId,
        expiration: new Date(Number(channel.expiration)).toISOString(),
        tokenHash: sha256Hex(token),
      },
    },
  });
  // Live once a push with a wrong token is refused (an unknown channel is answered 200).
  for (;;) {
    const probe = await fetch(address, {
      method: 'POST',
      headers: {
        'x-goog-channel-id': channelId,
        'x-goog-channel-token': 'wrong',
        'x-goog-resource-id': channel.resourceId,
        'x-goog-resource-state': 'exists',
        'x-goog-message-number': '1',
      },
    });
    if (probe.status === 401) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    async stop() {
      // Stop the channel at Google first, so later edits push nothing.
      await fetch(new URL('/calendar/v3/channels/stop', stack.emulator.url), {
        method: 'POST',
        headers: { authorization: `Bearer ${stack.account.accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ id: channelId, resourceId: channel.resourceId }),
      });
      await publisher.close();
      await ingest.stop();
    },
  };
}

type Stack = Awaited<ReturnType<typeof startInboundStack>>;

async function countLocated(stack: Stack): Promise<number> {
  const { rows } = await stack.pool.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM mirror_events WHERE event->>'location' LIKE 'Room %'",
  );
  return rows[0]?.n ?? 0;
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
