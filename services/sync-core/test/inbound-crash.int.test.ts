import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '@gcal-sync/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dedupeByVersion, googleLiveEvents, type InboundStack, startInboundStack } from './inbound-harness';

const BIN = join(__dirname, '..', 'dist', 'bin.js');
const SEED = 1000;

/** sync-core as deployed: its own process (`node dist/bin.js`), killed with SIGKILL mid-work. */
function spawnSyncCore(env: Record<string, string>) {
  const child = spawn(process.execPath, [BIN], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  // Drain the pipes so a chatty child never blocks on a full buffer.
  child.stdout?.on('data', () => {});
  child.stderr?.on('data', () => {});
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    async kill9() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

describe('sync-core inbound: kill -9 mid-sync', () => {
  let stack: InboundStack;
  const children: ChildProcess[] = [];
  const start = (extra: Record<string, string> = {}) => {
    // A killed replica keeps its partitions until its session times out: 10 s, not 30, so the
    // restarted one takes over well inside the waits below even on a loaded CI machine.
    const s = spawnSyncCore(stack.env({ KAFKA_SESSION_TIMEOUT_MS: '10000', ...extra }));
    children.push(s.child);
    return s;
  };
  const until = (what: string, fn: () => unknown, timeoutMs = 60_000) =>
    waitFor(fn, { timeoutMs, intervalMs: 50 }).catch((e) => {
      throw new Error(`timed out waiting for ${what}`, { cause: e });
    });

  beforeAll(async () => {
    if (!existsSync(BIN)) throw new Error(`${BIN} missing: run pnpm --filter @gcal-sync/sync-core build first`);
    stack = await startInboundStack();
    for (let i = 0; i < SEED; i += 100) {
      await Promise.all(
        Array.from({ length: Math.min(100, SEED - i) }, (_, j) =>
          stack.control.createEvent(stack.calendarId, {
            summary: `Seed ${i + j}`,
            start: { date: '2026-07-01' },
            end: { date: '2026-07-02' },
          }),
        ),
      );
    }
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await stack?.stop();
  });

  it('after restarts the mirror equals Google and every change was published exactly once', {
    timeout: 180_000,
  }, async () => {
    // 1. Killed while reading Google (the first page answers slowly).
    await stack.control.injectFault({ method: 'calendar.events.list', latencyMs: 1_500, times: 1 });
    const a = start();
    await stack.select();
    await until('the first events.list call', async () => (await stack.control.calls('calendar.events.list')) >= 1);
    await a.kill9();
    expect((await stack.mirror()).length).toBe(0);

    // 2. Killed while the relay publishes the committed full sync (or just after).
    const b = start();
    await until('change events flowing', () => stack.changes.messages.length >= 200);
    await b.kill9();

    // 3. Restarted: finishes whatever was left (the sweep finds it in Postgres, no Kafka needed).
    const c = start();
    await until('all seeded events published', () => dedupeByVersion(stack.changes.messages).length >= SEED);
    // 4. Edits in Google, a notification, and a kill while that sync runs.
    const mirror = await stack.mirror();
    for (const row of mirror.slice(0, 30))
      await stack.control.editEvent(stack.calendarId, row.id, { summary: `Edited ${row.id}` });
    for (const row of mirror.slice(30, 40)) await stack.control.deleteEvent(stack.calendarId, row.id);
    for (let i = 0; i < 5; i++) {
      await stack.control.createEvent(stack.calendarId, {
        summary: `New ${i}`,
        start: { date: '2026-07-03' },
        end: { date: '2026-07-04' },
      });
    }
    await stack.control.resetCounters();
    await stack.control.injectFault({ method: 'calendar.events.list', latencyMs: 1_500, times: 1 });
    await stack.notify();
    await until(
      'the incremental events.list call',
      async () => (await stack.control.calls('calendar.events.list')) >= 1,
    );
    await c.kill9();

    // 5. Restarted again: converges.
    start();
    await until('no pending sync', async () => (await stack.syncState())?.pending === false, 60_000);
    await until('45 more changes published', () => dedupeByVersion(stack.changes.messages).length >= SEED + 45);
    await new Promise((r) => setTimeout(r, 1_000));

    const google = await googleLiveEvents(stack.emulator.url, stack.calendarId, stack.account.accessToken);
    const rows = await stack.mirror();
    const live = new Map(rows.filter((r) => r.status !== 'cancelled').map((r) => [r.id, r.etag]));
    expect(live).toEqual(google);

    // Every version of every event was published, none twice with different content.
    const deduped = dedupeByVersion(stack.changes.messages);
    expect(deduped).toHaveLength(rows.reduce((n, r) => n + r.version, 0));
    for (const row of rows) {
      expect(
        deduped
          .filter((m) => m.payload.eventId === row.id)
          .map((m) => m.payload.version)
          .sort(),
        row.id,
      ).toEqual(Array.from({ length: row.version }, (_, i) => i + 1));
    }
    const idsByVersion = new Map<string, Set<string>>();
    for (const { value } of stack.changes.messages) {
      const key = `${value.payload.eventId}/${value.payload.version}`;
      idsByVersion.set(key, (idsByVersion.get(key) ?? new Set()).add(value.messageId));
    }
    expect([...idsByVersion.values()].every((ids) => ids.size === 1)).toBe(true);
  });
});
