import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { testPublisher } from '@gcal-sync/contract-testkit';
import { type RunningEmulator, startEmulator } from '@gcal-sync/google-emulator';
import type { Publisher } from '@gcal-sync/shared';
import { waitFor } from '@gcal-sync/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pruneOutbound } from '../src/outbound/commands-repository';
import { testProducer } from './inbound-harness';
import { type EmulatorEvent, type OutboundWorld, startOutboundWorld } from './outbound-harness';

let emulator: RunningEmulator;
let w: OutboundWorld;
let publisher: Publisher;

const LA = 'America/Los_Angeles';
const at = (dateTime: string) => ({ dateTime, timeZone: LA });
const now = () => new Date().toISOString();
const sum = (counts: Record<string, number> | undefined) => Object.values(counts ?? {}).reduce((a, b) => a + b, 0);
const fields = (summary: string, day = 12) => ({
  summary,
  start: at(`2026-06-${day}T09:00:00-07:00`),
  end: at(`2026-06-${day}T09:30:00-07:00`),
});

beforeAll(async () => {
  emulator = await startEmulator({ allowHttpPush: true });
  w = await startOutboundWorld({ emulatorUrl: emulator.url, extraEnv: { OUTBOUND_QUOTA_PAUSE_MS: '400' } });
  ({ publisher } = await testPublisher({ brokers: w.brokers, topicPrefix: w.prefix, clientId: 'outbound-test-app' }));
});

afterAll(async () => {
  await publisher?.close();
  await w?.stop();
  await emulator?.stop();
});

describe('booking-commands topic', () => {
  it('applies a command and publishes its result once, even when the command is redelivered', async () => {
    const command = {
      op: 'create' as const,
      commandId: 'cmd-async-1',
      bookingId: 'a-1',
      editedAt: now(),
      fields: fields('Async booking'),
    };
    await publisher.publish('bookingCommands', { orgId: w.orgId, connectionId: w.connectionId, payload: command });
    const result = await w.results.waitForMessage((m) => m.value.payload.commandId === 'cmd-async-1', 20_000);
    expect(result.value.payload).toMatchObject({ outcome: 'succeeded', op: 'create', bookingId: 'a-1', version: 1 });
    expect((await w.control.getEvent<EmulatorEvent>(w.calendarId, result.value.payload.eventId)).summary).toBe(
      'Async booking',
    );

    await publisher.publish('bookingCommands', { orgId: w.orgId, connectionId: w.connectionId, payload: command });
    const update = {
      op: 'update' as const,
      commandId: 'cmd-async-2',
      bookingId: 'a-1',
      eventId: result.value.payload.eventId,
      expectedVersion: 1,
      editedAt: now(),
      fields: { summary: 'Async booking (moved)' },
    };
    await publisher.publish('bookingCommands', { orgId: w.orgId, connectionId: w.connectionId, payload: update });
    await w.results.waitForMessage((m) => m.value.payload.commandId === 'cmd-async-2', 20_000);
    expect(w.results.messages.filter((m) => m.value.payload.commandId === 'cmd-async-1')).toHaveLength(1);
  });

  it('answers a bad command with a typed failure instead of dropping it', async () => {
    await publisher.publish('bookingCommands', {
      orgId: w.orgId,
      connectionId: w.connectionId,
      payload: {
        op: 'update',
        commandId: 'cmd-bad',
        bookingId: 'a-x',
        eventId: 'doesnotexist0',
        expectedVersion: 1,
        editedAt: now(),
        fields: { summary: 'x' },
      },
    });
    const result = await w.results.waitForMessage((m) => m.value.payload.commandId === 'cmd-bad', 20_000);
    expect(result.value.payload).toMatchObject({ outcome: 'failed', error: 'not_found' });
  });
});

describe('rate limits', () => {
  it('a 429 storm: the API answers 202 queued, retries back off, the connection pauses and recovers, the result is published', async () => {
    const insertsBefore = sum((await w.control.counters())['calendar.events.insert']);
    await w.control.injectFault({ method: 'calendar.events.insert', status: 429, times: 7 });
    const res = await w.api.create({ bookingId: 'storm-1', editedAt: now(), fields: fields('Booked during a storm') });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body).toMatchObject({ status: 'queued', commandId: expect.any(String) });
    // A later write of the same booking queues behind it, so the two reach Google in order.
    const later = await w.api.create({ bookingId: 'storm-1', editedAt: now(), fields: fields('ignored duplicate') });
    expect(later.status).toBe(202);

    const result = await w.results.waitForMessage((m) => m.value.payload.commandId === res.body.commandId, 30_000);
    expect(result.value.payload).toMatchObject({ outcome: 'succeeded', bookingId: 'storm-1' });
    expect((await w.control.getEvent<EmulatorEvent>(w.calendarId, result.value.payload.eventId)).summary).toBe(
      'Booked during a storm',
    );
    expect(sum((await w.control.counters())['calendar.events.insert']) - insertsBefore).toBe(8 + 1);
    const { rows } = await w.pool.query(`SELECT attempts, state FROM outbound_commands WHERE command_id = $1`, [
      res.body.commandId,
    ]);
    expect(rows[0]).toMatchObject({ attempts: 7, state: 'succeeded' });

    const subject = `connection:${w.connectionId}:outbound`;
    const opened = await w.alerts.waitForMessage(
      (m) => m.value.payload.subject === subject && m.value.payload.status === 'open',
    );
    expect(opened.value.payload.kind).toBe('outbound.paused');
    await w.alerts.waitForMessage((m) => m.value.payload.subject === subject && m.value.payload.status === 'resolved');
    expect(w.alerts.messages.filter((m) => m.value.payload.subject === subject)).toHaveLength(2);
    await w.results.waitForMessage((m) => m.value.payload.commandId === later.body.commandId, 20_000);
  });
});

describe('Calendar usage limit', () => {
  it('403 quotaExceeded pauses the account (alert), queues the write until the pause ends, then recovers', async () => {
    const subject = `connection:${w.connectionId}:outbound`;
    const alertsBefore = w.alerts.messages.filter((m) => m.value.payload.subject === subject).length;
    await w.control.injectFault({ method: 'calendar.events.insert', status: 403, reason: 'quotaExceeded', times: 1 });
    const res = await w.api.create({ bookingId: 'quota-1', editedAt: now(), fields: fields('After the usage limit') });
    expect(res.status).toBe(202);
    // While paused, new writes of the account are queued at once instead of hitting Google.
    const during = await w.api.create({ bookingId: 'quota-2', editedAt: now(), fields: fields('Also waits') });
    expect(during.status).toBe(202);
    for (const commandId of [res.body.commandId, during.body.commandId]) {
      const r = await w.results.waitForMessage((m) => m.value.payload.commandId === commandId, 20_000);
      expect(r.value.payload.outcome).toBe('succeeded');
    }
    const incident = await waitFor(() => {
      const list = w.alerts.messages.filter((m) => m.value.payload.subject === subject).slice(alertsBefore);
      return list.length >= 2 && list;
    });
    expect(incident.map((m) => m.value.payload.status)).toEqual(['open', 'resolved']);
    expect(incident[0]?.value.payload.detail).toContain('usage limit');
  });
});

describe('echo suppression', () => {
  it('100 own writes: Google pushes, inbound syncs, every change is source app, once, and nothing loops', async () => {
    const producer = await testProducer(w.brokers, w.prefix);
    // Plays webhook-ingest: each Google push becomes a notification on Kafka for sync-core.
    let pushes = 0;
    const bridge = createServer((req, res) => {
      if (req.headers['x-goog-resource-state'] === 'exists') {
        pushes++;
        void producer.notify(w.orgId, w.connectionId, w.calendarId);
      }
      res.writeHead(200).end();
    });
    await new Promise<void>((resolve) => bridge.listen(0, '127.0.0.1', resolve));
    try {
      const { access_token } = await w.control.issueTokens({ email: w.email, clientId: 'sync-core-outbound-test' });
      const watch = await fetch(
        `${emulator.url}/calendar/v3/calendars/${encodeURIComponent(w.calendarId)}/events/watch`,
        {
          method: 'POST',
          headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            id: `outbound-echo-${w.prefix.slice(1, 9)}`,
            type: 'web_hook',
            address: `http://127.0.0.1:${(bridge.address() as AddressInfo).port}/push`,
          }),
        },
      );
      expect(watch.status).toBe(200);

      const googleWrites = (c: Record<string, Record<string, number>>) =>
        sum(c['calendar.events.insert']) + sum(c['calendar.events.patch']);
      const before = await w.control.counters();
      const written = new Map<string, number>();
      for (let i = 0; i < 50; i++) {
        const created = await w.api.create({
          bookingId: `echo-${i}`,
          editedAt: now(),
          fields: fields(`Echo ${i}`, 20),
        });
        expect(created.status).toBe(200);
        const moved = await w.api.update(created.body.eventId as string, {
          bookingId: `echo-${i}`,
          expectedVersion: created.body.version,
          editedAt: now(),
          fields: { summary: `Echo ${i} (renamed)` },
        });
        expect(moved.status).toBe(200);
        written.set(created.body.eventId as string, moved.body.version as number);
      }
      expect(googleWrites(await w.control.counters()) - googleWrites(before)).toBe(100);

      // The pushes make inbound sync the calendar; it must find nothing foreign.
      await waitFor(() => pushes >= 1, { timeoutMs: 20_000 });
      await waitFor(
        async () =>
          (
            await w.pool.query(
              `SELECT 1 FROM sync_calendars WHERE connection_id = $1 AND sync_token IS NOT NULL AND handled_seq >= requested_seq`,
              [w.connectionId],
            )
          ).rows.length > 0,
        { timeoutMs: 30_000 },
      );
      await waitFor(() =>
        [...written.keys()].every((id) =>
          w.changes.messages.some((m) => m.value.payload.eventId === id && m.value.payload.version === written.get(id)),
        ),
      );
      // Settled: no more pushes, syncs or writes come (no ping-pong).
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const settled = { pushes, counters: await w.control.counters() };
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const later = await w.control.counters();
      expect(pushes).toBe(settled.pushes);
      expect(googleWrites(later)).toBe(googleWrites(settled.counters));
      expect(sum(later['calendar.events.list'])).toBe(sum(settled.counters['calendar.events.list']));
      expect(googleWrites(later) - googleWrites(before)).toBe(100);
      // Coalesced: fewer syncs than pushes (the writes keep coming for a few seconds, so some syncs are due).
      expect(sum(later['calendar.events.list']) - sum(before['calendar.events.list'])).toBeLessThan(pushes);

      // One change per write, all marked as the app's own. (A sync that read Google before one of our
      // writes and applied after it can republish the older version: also `app`, never foreign.)
      const ours = w.changes.messages.filter((m) => written.has(m.value.payload.eventId));
      expect(ours.length).toBeGreaterThanOrEqual(100);
      expect(ours.every((m) => m.value.payload.source === 'app')).toBe(true);
      if (ours.length > 100)
        console.info(JSON.stringify({ echoTest: { republishedStaleVersions: ours.length - 100 } }));

      // A real edit in Google afterwards is foreign, even though the event still carries our marker.
      const [someId] = written.keys();
      await w.control.editEvent(w.calendarId, someId as string, { summary: 'Edited by a human in Google' });
      const foreign = await w.changes.waitForMessage(
        (m) => m.value.payload.eventId === someId && m.value.payload.source === 'google',
        20_000,
      );
      expect(foreign.value.payload.event.summary).toBe('Edited by a human in Google');
      console.info(
        JSON.stringify({
          echoTest: {
            writes: 100,
            pushes,
            eventsListCalls: sum(later['calendar.events.list']) - sum(before['calendar.events.list']),
          },
        }),
      );
    } finally {
      await new Promise((resolve) => bridge.close(resolve));
      await producer.close();
    }
  });
});

describe('default write calendar', () => {
  it('follows connection.lifecycle default-calendar.changed; old records are pruned', async () => {
    const team = await w.control.createCalendar({ ownerEmail: w.email, summary: 'Team bookings' });
    await publisher.publish('connectionLifecycle', {
      orgId: w.orgId,
      connectionId: w.connectionId,
      payload: { type: 'default-calendar.changed', calendarId: team.id },
    });
    await waitFor(
      async () =>
        (
          await w.pool.query(
            `SELECT 1 FROM outbound_connections WHERE connection_id = $1 AND default_calendar_id = $2`,
            [w.connectionId, team.id],
          )
        ).rows.length > 0,
      { timeoutMs: 20_000 },
    );
    const res = await w.api.create({ bookingId: 'team-1', editedAt: now(), fields: fields('On the team calendar') });
    expect(res.status).toBe(200);
    expect(res.body.calendarId).toBe(team.id);
    expect((await w.control.getEvent<EmulatorEvent>(team.id, res.body.eventId as string)).summary).toBe(
      'On the team calendar',
    );

    await pruneOutbound(w.pool, 1);
    const { rows } = await w.pool.query(`SELECT count(*)::int AS n FROM outbound_commands`);
    expect(rows[0].n).toBeGreaterThan(0); // nothing here is a day old
  });
});
