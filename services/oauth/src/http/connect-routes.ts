import { HttpError, type Logger } from '@gcal-sync/shared';
import { Router } from 'express';
import { requireAdminPage } from '../admin/admin-auth';
import { renderMessagePage } from '../admin/admin-page';
import { beginConnect } from '../connect/begin-connect';
import { type CompleteDeps, completeConnect } from '../connect/complete-connect';

const TITLES: Record<string, string> = {
  consent_denied: 'Access not granted',
  state_replayed: 'Link already used',
  state_expired: 'Sign-in expired',
  invalid_state: 'Invalid sign-in link',
  missing_scopes: 'Permissions missing',
  wrong_account: 'Different Google account',
};

/** GET /connect → Google's consent page → GET <callback path> → back to the admin page. */
export function connectRoutes(deps: CompleteDeps & { callbackPath: string; logger: Logger }): Router {
  const router = Router();
  router.get('/connect', requireAdminPage, async (req, res) => {
    const reconnect = typeof req.query.connection === 'string' ? req.query.connection : undefined;
    const url = await beginConnect(deps, {
      orgId: res.locals.orgId as string,
      ...(reconnect ? { reconnectConnectionId: reconnect } : {}),
    });
    res.set('Cache-Control', 'no-store').redirect(303, url);
  });

  router.get(deps.callbackPath, requireAdminPage, async (req, res) => {
    const q = req.query as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
    try {
      const outcome = await completeConnect(deps, res.locals.orgId as string, {
        state: str(q.state),
        code: str(q.code),
        error: str(q.error),
      });
      deps.logger.info({ connectionId: outcome.connectionId, kind: outcome.kind }, 'Google account connected');
      res.redirect(303, `/admin?done=${outcome.kind}`);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      deps.logger.warn({ code: error.code }, 'connect attempt failed');
      res
        .status(error.status)
        .set('Cache-Control', 'no-store')
        .type('html')
        .send(renderMessagePage(TITLES[error.code] ?? 'Could not connect', error.message, true));
    }
  });
  return router;
}
