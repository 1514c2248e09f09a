import { listIncidentsQuerySchema, orgParamsSchema, type Pool, validate } from '@gcal-sync/shared';
import { type Router as ExpressRouter, Router } from 'express';
import type { z } from 'zod';
import { listIncidents } from '../incidents/incident-repository';

/** The alert log the admin page shows: open and recent incidents of an org, newest first. */
export function incidentRoutes(deps: { pool: Pool }): ExpressRouter {
  const router = Router();
  router.get(
    '/internal/orgs/:orgId/incidents',
    validate('params', orgParamsSchema),
    validate('query', listIncidentsQuerySchema),
    async (req, res) => {
      const query = req.query as unknown as z.output<typeof listIncidentsQuerySchema>;
      res.json(await listIncidents(deps.pool, req.params.orgId as string, query));
    },
  );
  return router;
}
