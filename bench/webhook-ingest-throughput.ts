/**
 * Benchmark: Google push notifications per second that webhook-ingest acknowledges (200 only after
 * Kafka acked the message, acks=all, real local broker), with p50/p99 ack latency and the service's
 * peak RSS. webhook-ingest runs as its own process (dist/bin.js, as deployed); the load comes from a
 * second process on loopback (autocannon, 50 connections by default), every request a distinct
 * (channel, message number) so nothing is dropped as a duplicate.
 *
 *   pnpm --filter @gcal-sync/webhook-ingest bench        (needs the local stack: scripts/stack-up.sh)
 *
 * Env: BENCH_DURATION_S (20), BENCH_CONNECTIONS (50), BENCH_CHANNELS (200), BENCH_LINGER_MS (2),
 * BENCH_REFERENCE (1: also measure bench/reference-server.ts, the yardstick, under the same load).
 * Prints one JSON object. Targets (issue 10): ≥ 8,000/s, p99 ≤ 20 ms, RSS < 150 MB.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { join } from 'node:path';

const SERVICE_DIR = join(__dirname, '..', 'services', 'webhook-ingest');
// bench/ has no dependencies of its own: resolve everything the way webhook-ingest does.
const requireFromService = createRequire(join(SERVICE_DIR, 'package.json'));
const PUSH_PATH = '/google/notifications';

type LoadResult = {
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  durationS: number;
  p50: number;
  p99: number;
  max: number;
};

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round((kb / 1024) * 10) / 10;
}

/** CPU seconds (user + system) the process has used; with the request count it gives a cost per
 * notification that, unlike throughput, barely moves when other work shares the machine. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function runLoad(args: unknown[]): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    // Same runner (tsx) as this process; the generator lives beside webhook-ingest, which owns autocannon.
    const child = spawn(
      process.execPath,
      [...process.execArgv, join(SERVICE_DIR, 'bench', 'push-load.ts'), JSON.stringify(args)],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1)!)) : reject(new Error(`load exited ${code}`)),
    );
  });
}

async function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

type BenchChannel = { id: string; resourceId: string; token: string };

/** Warm-up (JIT, Kafka connections), then the measured run with RSS and CPU of `pid` sampled throughout. */
async function measure(url: string, pid: number, durationS: number, connections: number, channels: BenchChannel[]) {
  await runLoad([url, 3, connections, channels, 0]);
  const afterWarmup = rssMb(pid);
  let peak = afterWarmup;
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssMb(pid));
  }, 200);
  const cpuBefore = cpuSeconds(pid);
  const load = await runLoad([url, durationS, connections, channels, 1_000_000_000]);
  const cpuUsed = cpuSeconds(pid) - cpuBefore;
  clearInterval(sampler);
  return {
    load,
    notificationsPerSecond: Math.round((load.requests - load.non2xx) / load.durationS),
    cpuMsPerNotification: Math.round(((cpuUsed * 1000) / Math.max(1, load.requests)) * 1000) / 1000,
    rssMb: { afterWarmup, peak },
  };
}

async function main() {
  const shared = requireFromService('@gcal-sync/shared') as typeof import('@gcal-sync/shared');
  const testkit = requireFromService('@gcal-sync/testkit') as typeof import('@gcal-sync/testkit');
  const durationS = Number(process.env.BENCH_DURATION_S ?? 20);
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
  const channelCount = Number(process.env.BENCH_CHANNELS ?? 200);
  const lingerMs = Number(process.env.BENCH_LINGER_MS ?? 2);
  // As deployed (see the report): a heap cap keeps V8 from growing lazily far past the live set.
  const serviceNodeOptions =
    process.env.BENCH_SERVICE_NODE_OPTIONS ?? '--max-old-space-size=112 --max-semi-space-size=4';

  const db = await testkit.createTestDatabase();
  const brokers = await testkit.kafkaBrokers();
  const prefix = testkit.uniqueTopicPrefix();
  const logger = shared.createLogger({ service: 'bench', level: 'warn' });
  const connection = shared.connectKafka({ brokers, clientId: 'bench', topicPrefix: prefix, logger });
  await shared.ensureTopics(connection, { partitions: 3, replicationFactor: 1 });
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let service: ChildProcess | undefined;
  const publisher = await shared.createPublisher(connection);
  try {
    // BENCH_SERVICE_NODE_ARGS: extra node flags for the service (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`).
    const nodeArgs = (process.env.BENCH_SERVICE_NODE_ARGS ?? '').split(' ').filter(Boolean);
    service = spawn(process.execPath, [...nodeArgs, join(SERVICE_DIR, 'dist', 'bin.js')], {
      env: {
        ...process.env,
        PORT: String(port),
        DATABASE_URL: db.url,
        KAFKA_BROKERS: brokers.join(','),
        KAFKA_TOPIC_PREFIX: prefix,
        INTERNAL_API_TOKENS: 'bench:0123456789abcdef',
        LOG_LEVEL: 'warn',
        PUBLISH_LINGER_MS: String(lingerMs),
        WEBHOOK_PATH: PUSH_PATH,
        NODE_OPTIONS: serviceNodeOptions,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    await testkit.waitFor(async () => (await fetch(`${base}/readyz`)).ok, { timeoutMs: 60_000, intervalMs: 200 });

    const channels = Array.from({ length: channelCount }, (_, i) => ({
      id: `bench-${i}`,
      resourceId: `res-${i}`,
      token: `token-${i}-${Math.random().toString(36).slice(2)}`,
    }));
    await Promise.all(
      channels.map((c, i) =>
        publisher.publish('channelLifecycle', {
          orgId: 'bench',
          connectionId: `conn-${i % 10}`,
          payload: {
            type: 'created',
            channel: {
              channelId: c.id,
              resourceId: c.resourceId,
              resource: 'events',
              calendarId: `cal-${i}@bench`,
              expiration: new Date(Date.now() + 7 * 86_400_000).toISOString(),
              tokenHash: shared.sha256Hex(c.token),
            },
          },
        }),
      ),
    );
    // The last channel is live once a wrong token gets 401.
    const last = channels.at(-1)!;
    await testkit.waitFor(
      async () =>
        (
          await fetch(`${base}${PUSH_PATH}`, {
            method: 'POST',
            headers: {
              'x-goog-channel-id': last.id,
              'x-goog-channel-token': 'probe',
              'x-goog-resource-id': last.resourceId,
              'x-goog-resource-state': 'sync',
              'x-goog-message-number': '1',
            },
          })
        ).status === 401,
      { timeoutMs: 30_000, intervalMs: 100 },
    );

    const measureReference = async () => {
      const refPort = await freePort();
      const reference = spawn(
        process.execPath,
        [...process.execArgv, join(SERVICE_DIR, 'bench', 'reference-server.ts')],
        {
          env: { ...process.env, PORT: String(refPort), KAFKA_BROKERS: brokers.join(','), KAFKA_TOPIC_PREFIX: prefix },
          stdio: ['ignore', 'ignore', 'inherit'],
        },
      );
      try {
        const refBase = `http://127.0.0.1:${refPort}`;
        await testkit.waitFor(async () => (await fetch(`${refBase}/ready`).catch(() => undefined))?.ok, {
          timeoutMs: 60_000,
          intervalMs: 200,
        });
        const ref = await measure(`${refBase}/push`, reference.pid!, durationS, connections, channels);
        return {
          notificationsPerSecond: ref.notificationsPerSecond,
          ackLatencyMs: { p50: ref.load.p50, p99: ref.load.p99, max: ref.load.max },
          cpuMsPerNotification: ref.cpuMsPerNotification,
          rssMb: ref.rssMb,
        };
      } finally {
        await stopChild(reference);
      }
    };

    const measured = await measure(`${base}${PUSH_PATH}`, service.pid!, durationS, connections, channels);
    const { load } = measured;

    const metrics = await (await fetch(`${base}/metrics`)).text();
    const countOf = (outcome: string) =>
      [
        ...metrics.matchAll(new RegExp(`webhook_notifications_total\\{[^}]*outcome="${outcome}"[^}]*\\} (\\d+)`, 'g')),
      ].reduce((sum, m) => sum + Number(m[1]), 0);
    const published = countOf('published');
    const perSecond = measured.notificationsPerSecond;
    await stopChild(service);
    const reference = process.env.BENCH_REFERENCE === '0' ? undefined : await measureReference();
    process.stdout.write(
      `${JSON.stringify(
        {
          benchmark: 'webhook-ingest-throughput',
          setup: {
            connections,
            durationS,
            channels: channelCount,
            lingerMs,
            serviceNodeOptions,
            kafkaAcks: 'all',
            cpus: require('node:os').cpus().length,
            // Other work on the machine skews every figure: the 1-minute load average when the run ended.
            loadAverage1m: Math.round(require('node:os').loadavg()[0] * 10) / 10,
          },
          notificationsPerSecond: perSecond,
          ackLatencyMs: { p50: load.p50, p99: load.p99, max: load.max },
          // webhook-ingest's own CPU per acknowledged notification (user + system), load-independent.
          serviceCpuMsPerNotification: measured.cpuMsPerNotification,
          requests: load.requests,
          non2xx: load.non2xx,
          errors: load.errors + load.timeouts,
          publishedIncludingWarmup: published,
          // Must be 0: every request carries a fresh (channel, number), so each one is a real publish.
          duplicates: countOf('duplicate'),
          webhookIngestRssMb: measured.rssMb,
          targets: { notificationsPerSecond: 8000, p99Ms: 20, rssMb: 150 },
          meetsTargets: perSecond >= 8000 && load.p99 <= 20 && measured.rssMb.peak < 150,
          // The issue's yardstick on this machine now (bench/reference-server.ts): a bare express handler
          // batching sends over 2 ms. Quoted at about 7,500/s, p99 20 ms on this kind of machine.
          reference,
          throughputVsReference: reference
            ? Math.round((perSecond / reference.notificationsPerSecond) * 100) / 100
            : undefined,
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    await stopChild(service);
    await publisher.close();
    await db.drop();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
