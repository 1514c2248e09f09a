import {
  HttpError,
  type KeyRing,
  type Logger,
  orgParamsSchema,
  type Pool,
  type SlackWebhookTestResult,
  validate,
} from '@gcal-sync/shared';
import { type Router as ExpressRouter, Router } from 'express';
import { classifyWebhookResponse } from '../slack/classify-response';
import { postWebhook } from '../slack/post-webhook';
import { renderTestMessage } from '../slack/render-message';
import {
  findWebhook,
  markWebhookBroken,
  markWebhookWorking,
  openWebhook,
  toWebhookView,
} from '../webhooks/webhook-repository';

/**
 * Sends a test message right away (not through the queue) so the admin page can say at once
 * whether the webhook works, and records what Slack said on the webhook.
 */
export function webhookTestRoute(deps: {
  pool: Pool;
  ring: KeyRing;
  logger: Logger;
  adminBaseUrl: string;
  timeoutMs: number;
  onWorking: () => void;
}): ExpressRouter {
  const router = Router();
  router.post('/internal/orgs/:orgId/slack-webhook/test', validate('params', orgParamsSchema), async (req, res) => {
    const orgId = req.params.orgId as string;
    let row = await findWebhook(deps.pool, orgId);
    if (!row) throw new HttpError(404, 'no_webhook', 'no Slack webhook is set for this org');
    const webhook = openWebhook(deps.ring, row);
    const message = renderTestMessage({ orgId, adminBaseUrl: deps.adminBaseUrl });
    const verdict = classifyWebhookResponse(await postWebhook(webhook.url, message, deps.timeoutMs));
    let reason: string | null = null;
    if (verdict.outcome === 'delivered') {
      row = (await markWebhookWorking(deps.pool, orgId, webhook.version)) ?? row;
      deps.onWorking();
    } else if (verdict.outcome === 'broken') {
      reason = verdict.reason;
      await markWebhookBroken(deps.pool, orgId, webhook.version, verdict.reason);
      row = (await findWebhook(deps.pool, orgId)) ?? row;
    } else {
      reason = verdict.outcome === 'retry' ? `${verdict.reason}: ${verdict.detail}` : verdict.reason;
    }
    deps.logger.info({ orgId, outcome: verdict.outcome, reason, caller: res.locals.caller }, 'Slack webhook tested');
    const result: SlackWebhookTestResult = {
      delivered: verdict.outcome === 'delivered',
      outcome: verdict.outcome,
      reason,
      webhook: toWebhookView(orgId, row),
    };
    res.json(result);
  });
  return router;
}
