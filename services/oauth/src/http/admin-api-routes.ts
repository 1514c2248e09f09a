import { HttpError, type Pool, setCalendarSelectionRequestSchema, validate } from '@gcal-sync/shared';
import { Router } from 'express';
import { requireAdminApi } from '../admin/admin-auth';
import { type CalendarRefreshDeps, refreshCalendars } from '../calendars/refresh-calendars';
import { updateSelection } from '../calendars/update-selection';
import { loadConnection, loadConnections } from '../connections/connection-views';
import { type DisconnectDeps, disconnectConnection } from '../connections/disconnect-connection';
import { setConnectionPaused } from '../connections/pause-connection';

export type AdminActionDeps = { pool: Pool; refresh: CalendarRefreshDeps; disconnect: DisconnectDeps };

/** JSON admin API, scoped to the admin's org (see packages/shared/src/contracts/api/oauth-admin.ts). */
export function adminApiRoutes(deps: AdminActionDeps): Router {
  const router = Router();
  router.use('/api', requireAdminApi);
  const org = (res: { locals: Record<string, unknown> }) => res.locals.orgId as string;
  const calendarsOf = async (orgId: string, connectionId: string) => {
    const connection = await loadConnection(deps.pool, connectionId, orgId);
    if (!connection) throw new HttpError(404, 'connection_not_found', 'no such connection in this organization');
    return connection.calendars;
  };

  router.get('/api/connections', async (_req, res) => {
    res.json((await loadConnections(deps.pool, org(res))).map((c) => c.summary));
  });
  router.get('/api/connections/:connectionId/calendars', async (req, res) => {
    res.json(await calendarsOf(org(res), String(req.params.connectionId)));
  });
  router.put(
    '/api/connections/:connectionId/calendars',
    validate('body', setCalendarSelectionRequestSchema),
    async (req, res) => {
      const connectionId = String(req.params.connectionId);
      await updateSelection(deps.pool, org(res), connectionId, req.body);
      res.json(await calendarsOf(org(res), connectionId));
    },
  );
  router.post('/api/connections/:connectionId/calendars/refresh', async (req, res) => {
    const connectionId = String(req.params.connectionId);
    await calendarsOf(org(res), connectionId);
    const outcome = await refreshCalendars(deps.refresh, connectionId, 'admin');
    if (outcome === 'revoked') throw new HttpError(409, 'connection_revoked', 'reconnect the Google account first');
    res.json(await calendarsOf(org(res), connectionId));
  });
  for (const [action, paused] of [
    ['pause', true],
    ['resume', false],
  ] as const) {
    router.post(`/api/connections/:connectionId/${action}`, async (req, res) => {
      const connectionId = String(req.params.connectionId);
      await setConnectionPaused(deps.pool, org(res), connectionId, paused);
      const connection = await loadConnection(deps.pool, connectionId, org(res));
      res.json(connection);
    });
  }
  router.delete('/api/connections/:connectionId', async (req, res) => {
    await disconnectConnection(deps.disconnect, org(res), String(req.params.connectionId));
    res.status(204).end();
  });
  return router;
}
