import {
  HttpError,
  type KeyRing,
  type Logger,
  orgParamsSchema,
  type Pool,
  putSlackWebhookRequestSchema,
  validate,
} from '@gcal-sync/shared';
import { type Router as ExpressRouter, Router } from 'express';
import { deleteWebhook, findWebhook, saveWebhook, toWebhookView } from '../webhooks/webhook-repository';
import { checkWebhookUrl, type WebhookUrlRules } from '../webhooks/webhook-url';

/** Per-org Slack webhook: set (stored encrypted), read (masked, with broken state), remove. */
export function webhookRoutes(deps: {
  pool: Pool;
  ring: KeyRing;
  rules: WebhookUrlRules;
  logger: Logger;
  onSaved: () => void;
}): ExpressRouter {
  const router = Router();
  const path = '/internal/orgs/:orgId/slack-webhook';

  router.put(
    path,
    validate('params', orgParamsSchema),
    validate('body', putSlackWebhookRequestSchema),
    async (req, res) => {
      const orgId = req.params.orgId as string;
      const checked = checkWebhookUrl((req.body as { url: string }).url, deps.rules);
      if (!checked.ok) throw new HttpError(400, 'invalid_webhook_url', checked.message);
      const row = await saveWebhook(deps.pool, deps.ring, orgId, checked.url);
      deps.logger.info({ orgId, urlHint: row.url_hint, caller: res.locals.caller }, 'Slack webhook set');
      // Messages parked for lack of a working webhook may go now.
      deps.onSaved();
      res.json(toWebhookView(orgId, row));
    },
  );

  router.get(path, validate('params', orgParamsSchema), async (req, res) => {
    const orgId = req.params.orgId as string;
    res.json(toWebhookView(orgId, await findWebhook(deps.pool, orgId)));
  });

  router.delete(path, validate('params', orgParamsSchema), async (req, res) => {
    const orgId = req.params.orgId as string;
    if (await deleteWebhook(deps.pool, orgId)) {
      deps.logger.info({ orgId, caller: res.locals.caller }, 'Slack webhook removed');
    }
    res.status(204).end();
  });

  return router;
}
