/**
 * Benchmark: Google emulator throughput on loopback.
 *  - events.get and events.list (one 250-item page) requests/s, from a bounded keep-alive node:http
 *    loop in this process against the emulator running as its own process (dist/bin.js, one core);
 *  - wall time of a full sync (all pages, maxResults 2500) of a 10,000-event calendar through googleapis.
 *
 *   pnpm --filter @gcal-sync/google-emulator bench
 *
 * Env: BENCH_DURATION_S (5 per scenario), BENCH_CONNECTIONS (32), BENCH_EVENTS (10000).
 * Prints one JSON object. Target (issue 4): ≥ 5,000 simple requests/s on one core.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** The package dir, found upwards (this file runs from bench/ or compiled under packages/google-emulator/.bench/). */
function findPackageDir(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i += 1) {
    const candidate = join(dir, 'packages', 'google-emulator');
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    dir = join(dir, '..');
  }
  throw new Error('packages/google-emulator not found');
}
const PKG_DIR = findPackageDir();
// bench/ has no dependencies of its own: resolve everything the way the emulator package does.
const requireFromPkg = createRequire(join(PKG_DIR, 'package.json'));
interface EventsPage {
  data: { items?: unknown[]; nextPageToken?: string | null; nextSyncToken?: string | null };
}
interface Googleapis {
  google: {
    auth: {
      OAuth2: new (o: {
        clientId: string;
        clientSecret: string;
      }) => { setCredentials(c: Record<string, unknown>): void };
    };
    calendar(o: { version: 'v3'; rootUrl: string; auth: unknown }): {
      events: { list(p: Record<string, unknown>): Promise<EventsPage> };
    };
  };
}
const { google } = requireFromPkg('googleapis') as Googleapis;
const { EmulatorControl } = requireFromPkg(
  join(PKG_DIR, 'dist', 'index.js'),
) as typeof import('../packages/google-emulator/src/index');

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 10_000);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitUp(url: string): Promise<void> {
  const until = Date.now() + 15_000;
  while (Date.now() < until) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('emulator did not start');
}

/** Bounded closed-loop load: CONNECTIONS concurrent keep-alive clients for DURATION_S seconds. */
async function load(
  url: string,
  path: string,
  token: string,
): Promise<{ rps: number; requests: number; non2xx: number; p50: number; p99: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const target = new URL(path, url);
  const latencies: number[] = [];
  let non2xx = 0;
  const deadline = Date.now() + DURATION_S * 1000;
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const t0 = process.hrtime.bigint();
      const req = http.request(target, { agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
        res.resume();
        res.on('end', () => {
          latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
          if ((res.statusCode ?? 0) >= 300) non2xx += 1;
          resolve();
        });
      });
      req.on('error', reject);
      req.end();
    });
  const started = Date.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (Date.now() < deadline) await one();
    }),
  );
  const elapsed = (Date.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    Number((latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0).toFixed(2));
  return {
    rps: Math.round(latencies.length / elapsed),
    requests: latencies.length,
    non2xx,
    p50: pct(0.5),
    p99: pct(0.99),
  };
}

async function main(): Promise<void> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, [join(PKG_DIR, 'dist', 'bin.js')], {
    env: { ...process.env, EMULATOR_PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await waitUp(url);
    const control = new EmulatorControl(url);
    // Quotas would (rightly) throttle a benchmark: lift them.
    await control.setQuota({ perProjectPerMinute: 1e9, perUserPerMinute: 1e9 });
    const user = await control.createUser({ email: 'bench@example.com', timeZone: 'UTC' });
    const tokens = await control.issueTokens({ email: user.email, clientId: 'bench' });
    const calendarId = user.primaryCalendarId;

    const seedStart = Date.now();
    let firstId = '';
    for (let from = 0; from < EVENTS; from += 500) {
      const batch = Array.from({ length: Math.min(500, EVENTS - from) }, (_, k) => {
        const i = from + k;
        const day = new Date(Date.UTC(2030, 0, 1) + i * 3_600_000);
        return {
          summary: `event ${i}`,
          description: 'benchmark event with a little text in it',
          start: { dateTime: day.toISOString() },
          end: { dateTime: new Date(day.getTime() + 1_800_000).toISOString() },
          attendees: [{ email: 'a@example.com' }, { email: 'b@example.com' }],
        };
      });
      const created = await control.createEvents(calendarId, batch);
      if (from === 0) firstId = created[0]!.id;
    }
    const seedMs = Date.now() - seedStart;

    const enc = encodeURIComponent(calendarId);
    const get = await load(url, `/calendar/v3/calendars/${enc}/events/${firstId}`, tokens.access_token);
    const list = await load(url, `/calendar/v3/calendars/${enc}/events?maxResults=250`, tokens.access_token);

    const auth = new google.auth.OAuth2({ clientId: 'bench', clientSecret: 'x' });
    auth.setCredentials({ access_token: tokens.access_token, expiry_date: Date.now() + 3_000_000 });
    const calendar = google.calendar({ version: 'v3', rootUrl: `${url}/`, auth });
    const runs: number[] = [];
    let synced = 0;
    for (let r = 0; r < 3; r += 1) {
      const t0 = Date.now();
      let pageToken: string | undefined;
      synced = 0;
      let syncToken: string | undefined;
      do {
        const res = await calendar.events.list({ calendarId, maxResults: 2500, pageToken, showDeleted: true });
        synced += res.data.items?.length ?? 0;
        pageToken = res.data.nextPageToken ?? undefined;
        syncToken = res.data.nextSyncToken ?? syncToken;
      } while (pageToken);
      if (!syncToken) throw new Error('no nextSyncToken at the end of the full sync');
      runs.push(Date.now() - t0);
    }
    runs.sort((a, b) => a - b);

    console.log(
      JSON.stringify(
        {
          bench: 'emulator-throughput',
          durationSPerScenario: DURATION_S,
          connections: CONNECTIONS,
          seed: { events: EVENTS, ms: seedMs, perSecond: Math.round((EVENTS / seedMs) * 1000) },
          eventsGet: get,
          eventsListPage250: list,
          fullSync: { events: synced, pages: Math.ceil(synced / 2500), msMedian: runs[1], msRuns: runs },
          target: { simpleRequestsPerSecond: 5000, met: get.rps >= 5000 },
        },
        null,
        2,
      ),
    );
  } finally {
    child.kill('SIGTERM');
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
