import { randomUUID } from 'node:crypto';
import { enqueueOutbox, type Logger, type Pool, retryDelayMs, withTransaction } from '@gcal-sync/shared';
import { OUTBOX_TABLE } from '../inbound/outbox-writer';
import {
  type BookingCommand,
  type BookingResult,
  type ClaimContext,
  type CommandRow,
  claimCommand,
  queueCommand,
  takeOverExpired,
} from './commands-repository';
import { loadConnection, recordWriteFailure } from './connections-repository';
import { executeCreate } from './execute-create';
import { executeFollowing } from './execute-following';
import { executeModify } from './execute-modify';
import type { GoogleCalendarClient } from './google-calendar-client';
import type { OutboundMetrics } from './outbound-metrics';
import { outboundAlert, recordOutcome } from './record-outcome';
import { resolveTarget } from './resolve-target';
import { decideOnWriteError } from './write-error-policy';
import type { Execution, WriteContext, WriteDeps } from './write-execution';

export type WriteSettings = {
  /** How long a synchronous request may wait on retries before it answers 202 (queued). */
  syncWaitMs: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  pauseAfterFailures: number;
  quotaPauseMs: number;
  skewMs: number;
  leaseMs: number;
};

export type RunOutcome =
  | { status: 'done'; result: BookingResult; currentRaw?: unknown }
  | { status: 'queued'; commandId: string; reason: string };

export type WriteRunner = {
  /** Runs a command now (HTTP: `waitMs` of bounded retrying; Kafka: none) or queues it. */
  submit(input: {
    orgId: string;
    connectionId: string;
    command: BookingCommand;
    receivedAt: string;
    waitMs: number;
  }): Promise<RunOutcome>;
  /** Re-runs a queued command (the retry worker). */
  resume(row: CommandRow): Promise<RunOutcome>;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

class TypedFailure extends Error {
  constructor(readonly execution: Execution) {
    super(execution.outcome === 'failed' ? execution.message : 'failed');
  }
}

/**
 * Runs booking commands against Google and records their outcome. Transient Google errors (rate
 * limits, 5xx, network) are retried with full-jitter exponential backoff (2 s, 4 s, 8 s … capped at
 * 5 minutes, the same rule as the inbound path). A synchronous caller waits at most `syncWaitMs`; after
 * that the command stays queued in Postgres, the retry worker carries on, and the result is published
 * on booking.results. After `pauseAfterFailures` consecutive failures the connection is marked paused
 * (alert), new requests for it are queued at once, and the first success resumes it (recovery alert).
 */
export function createWriteRunner(deps: {
  pool: Pool;
  google: GoogleCalendarClient;
  metrics: OutboundMetrics;
  logger: Logger;
  settings: WriteSettings;
  /** Called when a command was queued, so the worker can plan its next look. */
  onQueued(): void;
}): WriteRunner {
  const { pool, settings } = deps;
  const writeDeps: WriteDeps = { pool, google: deps.google, skewMs: settings.skewMs };

  /** The calendar a command writes to: the named one (if selected), else the connection's default write calendar. */
  async function resolveCalendar(
    connectionId: string,
    requested: string | undefined,
    known?: ClaimContext,
  ): Promise<string> {
    if (requested) {
      const selected = known
        ? known.requestedSelected
        : ((
            await pool.query<{ selected: boolean }>(
              `SELECT selected FROM sync_calendars WHERE connection_id = $1 AND calendar_id = $2`,
              [connectionId, requested],
            )
          ).rows[0]?.selected ?? null);
      if (selected === false) {
        throw new TypedFailure({
          outcome: 'failed',
          error: 'invalid',
          message: `calendar ${requested} is not selected for sync on this connection`,
        });
      }
      return requested;
    }
    const defaultCalendarId = known
      ? known.defaultCalendarId
      : (await loadConnection(pool, connectionId)).defaultCalendarId;
    if (defaultCalendarId) return defaultCalendarId;
    // No default recorded yet: the account's primary calendar, resolved once.
    const primary = await deps.google.calendarId(connectionId, 'primary');
    await pool.query(
      `INSERT INTO outbound_connections (connection_id, default_calendar_id) VALUES ($1, $2)
       ON CONFLICT (connection_id) DO UPDATE SET default_calendar_id = COALESCE(outbound_connections.default_calendar_id, EXCLUDED.default_calendar_id)`,
      [connectionId, primary],
    );
    return primary;
  }

  async function execute(ctx: WriteContext): Promise<Execution> {
    const { command } = ctx;
    if (command.op === 'create') return executeCreate(writeDeps, ctx, command);
    const target = await resolveTarget(writeDeps, ctx, command);
    if ('outcome' in target) return target;
    return target.kind === 'following'
      ? executeFollowing(writeDeps, ctx, command, target)
      : executeModify(writeDeps, ctx, command, target);
  }

  async function finish(
    ctx: WriteContext,
    execution: Execution,
    started: number,
    failing: boolean,
  ): Promise<RunOutcome> {
    const result = await withTransaction(pool, (tx) => recordOutcome(tx, ctx, execution, failing));
    deps.metrics.writeDuration.observe(
      { op: ctx.command.op, outcome: result.outcome === 'succeeded' ? 'ok' : result.error },
      (performance.now() - started) / 1000,
    );
    if (execution.conflict) deps.metrics.conflicts.inc({ resolution: execution.conflict.resolution });
    return {
      status: 'done',
      result,
      ...(execution.outcome === 'failed' && execution.currentRaw ? { currentRaw: execution.currentRaw } : {}),
    };
  }

  async function queue(
    ctx: WriteContext,
    attempts: number,
    delayMs: number,
    reason: string,
    started: number,
  ): Promise<RunOutcome> {
    await queueCommand(pool, ctx.command.commandId, { delayMs, attempts, error: reason });
    deps.metrics.writeDuration.observe({ op: ctx.command.op, outcome: 'queued' }, (performance.now() - started) / 1000);
    deps.onQueued();
    return { status: 'queued', commandId: ctx.command.commandId, reason };
  }

  /** One failure more for the connection; raises the pause alert when this one crossed the threshold. */
  async function noteFailure(ctx: WriteContext, error: string, quotaPausedUntil?: Date) {
    await withTransaction(pool, async (tx) => {
      const { justPaused, failures } = await recordWriteFailure(tx, {
        connectionId: ctx.connectionId,
        orgId: ctx.orgId,
        error,
        pauseAfter: quotaPausedUntil ? 1 : settings.pauseAfterFailures,
        ...(quotaPausedUntil ? { quotaPausedUntil } : {}),
      });
      if (justPaused) {
        const detail = quotaPausedUntil
          ? `Google's Calendar usage limit was reached; booking writes wait until ${quotaPausedUntil.toISOString()} and are then retried.`
          : `${failures} consecutive booking writes failed (${error}); they are queued and retried with backoff.`;
        await enqueueOutbox(tx, OUTBOX_TABLE, 'adminAlerts', {
          orgId: ctx.orgId,
          connectionId: ctx.connectionId,
          payload: outboundAlert(ctx.connectionId, 'open', detail),
        });
      }
    });
  }

  async function run(
    row: CommandRow,
    receivedAt: string,
    waitMs: number,
    started: number,
    known?: ClaimContext,
  ): Promise<RunOutcome> {
    let failing = known ? known.failing : true;
    const deadline = performance.now() + waitMs;
    let attempts = row.attempts;
    let calendarId: string | undefined;
    for (;;) {
      let ctx: WriteContext = {
        orgId: row.orgId,
        connectionId: row.connectionId,
        calendarId: calendarId ?? row.command.calendarId ?? '',
        writeId: row.writeId,
        receivedAt,
        command: row.command,
      };
      try {
        calendarId ??= await resolveCalendar(row.connectionId, row.command.calendarId, known);
        ctx = { ...ctx, calendarId };
        return await finish(ctx, await execute(ctx), started, failing);
      } catch (error) {
        if (error instanceof TypedFailure) return finish(ctx, error.execution, started, failing);
        const decision = decideOnWriteError(error);
        if (decision.action === 'throw') throw error;
        if (decision.action === 'fail') {
          return finish(ctx, { outcome: 'failed', error: decision.code, message: decision.message }, started, failing);
        }
        attempts += 1;
        if (decision.kind === 'quota') {
          const until = new Date(Date.now() + settings.quotaPauseMs);
          await noteFailure(ctx, decision.message, until);
          return queue(ctx, attempts, settings.quotaPauseMs, 'Google Calendar usage limit reached', started);
        }
        const backoff = retryDelayMs(attempts, settings.backoffBaseMs, settings.backoffMaxMs);
        const delay = Math.max(decision.retryAfterMs, backoff);
        // Every failed attempt counts towards the pause, whether retried in the request or queued.
        await noteFailure(ctx, decision.message);
        if (performance.now() + delay < deadline) {
          failing = true;
          await sleep(delay);
          continue;
        }
        return queue(ctx, attempts, delay, `Google is rate limiting or unavailable: ${decision.message}`, started);
      }
    }
  }

  return {
    async submit({ orgId, connectionId, command, receivedAt, waitMs }) {
      const started = performance.now();
      const claim = await claimCommand(pool, {
        orgId,
        connectionId,
        command,
        writeId: randomUUID(),
        leaseMs: settings.leaseMs,
      });
      const { row } = claim;
      if (!claim.created) {
        if (row.result) return { status: 'done', result: row.result };
        if (row.state === 'queued') return { status: 'queued', commandId: row.commandId, reason: 'already queued' };
        if (!(await takeOverExpired(pool, row.commandId, settings.leaseMs))) {
          return { status: 'queued', commandId: row.commandId, reason: 'already in progress' };
        }
        return run(row, receivedAt, waitMs, started);
      }
      const { context } = claim;
      const ctx = { orgId, connectionId, calendarId: '', writeId: row.writeId, receivedAt, command };
      if (context.earlierOpen)
        return queue(ctx, row.attempts, 0, 'behind an earlier queued write of this booking', started);
      if (context.paused) {
        // Paused: wait out the usage limit, or the connection's current backoff, before trying Google.
        const delay = context.quotaPausedUntil
          ? Math.max(0, context.quotaPausedUntil.getTime() - Date.now())
          : retryDelayMs(context.failures, settings.backoffBaseMs, settings.backoffMaxMs);
        return queue(
          ctx,
          row.attempts,
          delay,
          'writes to this Google account are paused after repeated failures; retrying in the background',
          started,
        );
      }
      return run(row, receivedAt, waitMs, started, context);
    },
    resume(row) {
      return run(row, row.createdAt.toISOString(), 0, performance.now());
    },
  };
}
