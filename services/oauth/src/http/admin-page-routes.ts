import { HttpError, type Logger } from '@gcal-sync/shared';
import express, { type Request, type Response, Router } from 'express';
import {
  type AdminAuthOptions,
  clearSessionCookie,
  orgForToken,
  requireAdminPage,
  safeNext,
  setSessionCookie,
} from '../admin/admin-auth';
import { renderAdminPage, renderLoginPage } from '../admin/admin-page';
import { refreshCalendars } from '../calendars/refresh-calendars';
import { updateSelection } from '../calendars/update-selection';
import { loadConnections } from '../connections/connection-views';
import { disconnectConnection } from '../connections/disconnect-connection';
import { setConnectionPaused } from '../connections/pause-connection';
import type { AdminActionDeps } from './admin-api-routes';

const FLASH: Record<string, string> = {
  saved: 'Calendar selection saved.',
  connected: 'Google account connected.',
  reauthorized: 'Google account reconnected; syncing resumes.',
  refreshed: 'Calendar list refreshed.',
  disconnected: 'Google account disconnected.',
  paused: 'Syncing paused for this account.',
  resumed: 'Syncing resumed for this account.',
};

/** The server-rendered admin page and its form posts (POST → redirect → GET). */
export function adminPageRoutes(deps: AdminActionDeps & { auth: AdminAuthOptions; logger: Logger }): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '100kb' });
  const org = (res: Response) => res.locals.orgId as string;
  const noStore = (res: Response) => res.set('Cache-Control', 'no-store').type('html');

  router.get('/admin/login', (_req, res) => {
    noStore(res).send(renderLoginPage());
  });
  router.post('/admin/login', form, (req, res) => {
    const orgId = orgForToken(deps.auth.adminTokens, String(req.body?.token ?? ''));
    if (!orgId) {
      deps.logger.warn({ ip: req.ip }, 'admin sign-in with a wrong token');
      noStore(res).status(401).send(renderLoginPage('That token is not valid.'));
      return;
    }
    setSessionCookie(res, deps.auth, orgId);
    res.redirect(303, safeNext(req.query.next));
  });
  router.post('/admin/logout', (_req, res) => {
    clearSessionCookie(res, deps.auth);
    res.redirect(303, '/admin/login');
  });

  router.get('/admin', requireAdminPage, async (req, res) => {
    const done = typeof req.query.done === 'string' ? FLASH[req.query.done] : undefined;
    const error = typeof req.query.error === 'string' ? req.query.error.slice(0, 300) : undefined;
    const flash = error ? { text: error, error: true } : done ? { text: done } : undefined;
    const connections = await loadConnections(deps.pool, org(res));
    noStore(res).send(renderAdminPage({ orgId: org(res), connections, ...(flash ? { flash } : {}) }));
  });

  const formAction =
    (run: (req: Request, res: Response, connectionId: string) => Promise<string>) =>
    async (req: Request, res: Response) => {
      try {
        const done = await run(req, res, String(req.params.connectionId));
        res.redirect(303, `/admin?done=${done}`);
      } catch (error) {
        if (!(error instanceof HttpError) || error.status >= 500) throw error;
        res.redirect(303, `/admin?error=${encodeURIComponent(error.message)}`);
      }
    };

  router.post(
    '/admin/connections/:connectionId/calendars',
    requireAdminPage,
    form,
    formAction(async (req, res, connectionId) => {
      const raw = req.body?.selected;
      const selected: string[] = Array.isArray(raw) ? raw.map(String) : raw ? [String(raw)] : [];
      const chosenDefault = typeof req.body?.default === 'string' ? req.body.default : undefined;
      // In the form, choosing a calendar for bookings implies syncing it.
      if (chosenDefault && !selected.includes(chosenDefault)) selected.push(chosenDefault);
      await updateSelection(deps.pool, org(res), connectionId, {
        calendarIds: selected,
        ...(chosenDefault ? { defaultCalendarId: chosenDefault } : {}),
      });
      return 'saved';
    }),
  );
  router.post(
    '/admin/connections/:connectionId/refresh',
    requireAdminPage,
    formAction(async (_req, res, connectionId) => {
      const known = await loadConnections(deps.pool, org(res));
      if (!known.some((c) => c.summary.connectionId === connectionId)) {
        throw new HttpError(404, 'connection_not_found', 'No such connection.');
      }
      await refreshCalendars(deps.refresh, connectionId, 'admin');
      return 'refreshed';
    }),
  );
  for (const [action, paused] of [
    ['pause', true],
    ['resume', false],
  ] as const) {
    router.post(
      `/admin/connections/:connectionId/${action}`,
      requireAdminPage,
      formAction(async (_req, res, connectionId) => {
        await setConnectionPaused(deps.pool, org(res), connectionId, paused);
        return paused ? 'paused' : 'resumed';
      }),
    );
  }
  router.post(
    '/admin/connections/:connectionId/disconnect',
    requireAdminPage,
    formAction(async (_req, res, connectionId) => {
      await disconnectConnection(deps.disconnect, org(res), connectionId);
      return 'disconnected';
    }),
  );
  return router;
}
