/**
 * Access-token API benchmark against the emulator, real Postgres and Kafka. Prints JSON:
 * cached hand-outs per second with latency percentiles, and a refresh storm (every connection's
 * token expired, many concurrent callers each) with the number of token calls Google received.
 *   pnpm --filter @gcal-sync/oauth bench   (BENCH_CONNECTIONS=20 BENCH_REQUESTS=4000 BENCH_CONCURRENCY=32)
 */
import { startEmulator } from '@gcal-sync/google-emulator';
import {
  ADMIN_TOKEN,
  adminApi,
  CLIENT_ID,
  CLIENT_SECRET,
  connectThroughConsent,
  createWorld,
  requestAccessToken,
} from '../test/harness';
import { HttpSession } from '../test/http-session';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 4000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const STORM_CALLERS = Number(process.env.BENCH_STORM_CALLERS ?? 25);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

async function main() {
  const emulator = await startEmulator({ clients: { [CLIENT_ID]: CLIENT_SECRET } });
  const world = await createWorld(emulator.url);
  let offsetMs = 0;
  await world.start({}, { now: () => Date.now() + offsetMs });
  try {
    const session = new HttpSession();
    await session.login(world.url, ADMIN_TOKEN);
    for (let i = 0; i < CONNECTIONS; i++) {
      await connectThroughConsent(session, world.url, { email: `bench${i}@example.com` });
    }
    const ids: string[] = (await adminApi(world.url, 'GET', '/api/connections')).body.map(
      (c: { connectionId: string }) => c.connectionId,
    );

    const latencies: number[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < REQUESTS) {
          const id = ids[next++ % ids.length]!;
          const t = performance.now();
          const res = await requestAccessToken(world.url, id);
          if (res.status !== 200) throw new Error(`access token answered ${res.status}`);
          latencies.push(performance.now() - t);
        }
      }),
    );
    const cachedSeconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);

    await emulator.control.advanceClock(61 * 60_000);
    offsetMs += 61 * 60_000;
    await emulator.control.resetCounters();
    const stormStart = performance.now();
    await Promise.all(
      ids.flatMap((id) => Array.from({ length: STORM_CALLERS }, () => requestAccessToken(world.url, id))),
    );
    const stormMs = performance.now() - stormStart;
    const tokenCalls = Object.values((await emulator.control.counters())['oauth.token'] ?? {}).reduce(
      (a, b) => a + b,
      0,
    );

    process.stdout.write(
      `${JSON.stringify(
        {
          bench: 'oauth access-token API',
          connections: ids.length,
          cached: {
            requests: REQUESTS,
            concurrency: CONCURRENCY,
            perSecond: Math.round(REQUESTS / cachedSeconds),
            p50Ms: Number(percentile(latencies, 0.5).toFixed(2)),
            p99Ms: Number(percentile(latencies, 0.99).toFixed(2)),
          },
          refreshStorm: {
            callers: ids.length * STORM_CALLERS,
            googleTokenCalls: tokenCalls,
            wallMs: Math.round(stormMs),
          },
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    await world.close();
    await emulator.stop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`bench failed: ${(error as Error).stack}\n`);
    process.exit(1);
  },
);
