import {
  type AccessTokenResponse,
  accessTokenRequestSchema,
  HttpError,
  internalAuth,
  type Pool,
  validate,
} from '@gcal-sync/shared';
import { Router } from 'express';
import { loadConnection } from '../connections/connection-views';
import type { AccessTokenVault } from '../vault/access-token-vault';

/** Service-to-service API (Bearer credentials from INTERNAL_API_TOKENS). */
export function internalRoutes(deps: { pool: Pool; vault: AccessTokenVault; callers: Record<string, string> }): Router {
  const router = Router();
  router.use('/internal', internalAuth(deps.callers));

  router.post(
    '/internal/connections/:connectionId/access-token',
    (req, _res, next) => {
      req.body ??= {};
      next();
    },
    validate('body', accessTokenRequestSchema),
    async (req, res) => {
      const body = req.body as { forceRefresh: boolean; rejectedToken?: string };
      const token = await deps.vault.get(String(req.params.connectionId), body);
      const response: AccessTokenResponse = {
        accessToken: token.accessToken,
        expiresAt: token.expiresAt.toISOString(),
        scopes: token.scopes,
        googleEmail: token.googleEmail,
      };
      res.set('Cache-Control', 'no-store').json(response);
    },
  );

  router.get('/internal/connections/:connectionId', async (req, res) => {
    const connection = await loadConnection(deps.pool, String(req.params.connectionId));
    if (!connection) throw new HttpError(404, 'connection_not_found', 'no such connection');
    res.json(connection);
  });
  return router;
}
