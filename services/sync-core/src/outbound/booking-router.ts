import { randomUUID } from 'node:crypto';
import {
  type BookingErrorCode,
  type BookingQueuedResponse,
  type BookingWriteResponse,
  createBookingEventRequestSchema,
  deleteBookingEventQuerySchema,
  HttpError,
  type Pool,
  updateBookingEventRequestSchema,
  validate,
} from '@gcal-sync/shared';
import { type Request, type Response, Router } from 'express';
import type { BookingCommand } from './commands-repository';
import { loadConnection } from './connections-repository';
import { googleTimeOf, type TimedGoogle } from './google-timing';
import type { RunOutcome, WriteRunner } from './write-runner';

const STATUS: Record<BookingErrorCode, number> = {
  conflict: 409,
  not_found: 404,
  scope_required: 400,
  invalid: 400,
  revoked: 409,
  rate_limited: 429,
  google_error: 502,
};

/**
 * The booking API (mounted under /internal behind internalAuth; see openapi.yaml). Each request
 * becomes a booking command, so HTTP and booking.commands share one path and one idempotency store.
 */
export function createBookingRouter(deps: {
  pool: Pool;
  runner: WriteRunner;
  syncWaitMs: number;
  timing: TimedGoogle;
}): Router {
  const router = Router();

  // A connection never changes org: remembered, so a write costs no extra round trip for it.
  const orgs = new Map<string, string>();
  async function orgOf(connectionId: string): Promise<string> {
    const cached = orgs.get(connectionId);
    if (cached) return cached;
    const { orgId } = await loadConnection(deps.pool, connectionId);
    if (!orgId)
      throw new HttpError(
        404,
        'not_found',
        `connection ${connectionId} is not known to sync-core (no synced calendars)`,
      );
    if (orgs.size > 10_000) orgs.clear();
    orgs.set(connectionId, orgId);
    return orgId;
  }

  async function handle(req: Request, res: Response, build: (commandId: string) => BookingCommand) {
    const connectionId = String(req.params.connectionId);
    const orgId = await orgOf(connectionId);
    const input = (req.method === 'DELETE' ? req.query : req.body) as { commandId?: string };
    const command = build(input.commandId ?? randomUUID());
    const { value: outcome, googleMs } = await googleTimeOf(deps.timing, () =>
      deps.runner.submit({
        orgId,
        connectionId,
        command,
        receivedAt: new Date().toISOString(),
        waitMs: deps.syncWaitMs,
      }),
    );
    res.set('server-timing', `google;dur=${googleMs.toFixed(1)}`);
    respond(res, outcome);
  }

  router.post(
    '/connections/:connectionId/events',
    validate('body', createBookingEventRequestSchema),
    async (req, res) => {
      await handle(req, res, (commandId) => ({ ...req.body, commandId, op: 'create' }));
    },
  );
  router.patch(
    '/connections/:connectionId/events/:eventId',
    validate('body', updateBookingEventRequestSchema),
    async (req, res) => {
      await handle(req, res, (commandId) => ({
        ...req.body,
        commandId,
        op: 'update',
        eventId: String(req.params.eventId),
      }));
    },
  );
  router.delete(
    '/connections/:connectionId/events/:eventId',
    validate('query', deleteBookingEventQuerySchema),
    async (req, res) => {
      await handle(
        req,
        res,
        (commandId) =>
          ({
            ...(req.query as object),
            commandId,
            op: 'delete',
            eventId: String(req.params.eventId),
          }) as BookingCommand,
      );
    },
  );
  return router;
}

function respond(res: Response, outcome: RunOutcome) {
  if (outcome.status === 'queued') {
    const body: BookingQueuedResponse = { status: 'queued', commandId: outcome.commandId, reason: outcome.reason };
    res.status(202).json(body);
    return;
  }
  const r = outcome.result;
  if (r.outcome === 'failed') {
    res.status(STATUS[r.error]).json({
      error: {
        code: r.error,
        message: r.message,
        ...(r.current ? { current: r.current } : {}),
        ...(r.conflict ? { conflict: r.conflict } : {}),
      },
    });
    return;
  }
  const body: BookingWriteResponse = {
    status: 'applied',
    commandId: r.commandId,
    calendarId: r.calendarId,
    eventId: r.eventId,
    ...(r.etag ? { etag: r.etag } : {}),
    ...(r.version ? { version: r.version } : {}),
    ...(r.merged !== undefined ? { merged: r.merged } : {}),
    ...(r.alreadyDeleted ? { alreadyDeleted: true } : {}),
    ...(r.followingEventId ? { followingEventId: r.followingEventId } : {}),
    ...(r.conflict ? { conflict: r.conflict } : {}),
  };
  res.status(200).json(body);
}
