import { z } from 'zod';
import { adminAlertPayload } from '../topics/admin-alerts';

/**
 * notifier internal API (service-to-service, Bearer credential; the admin page's backend calls it):
 *   PUT    /internal/orgs/:orgId/slack-webhook   body: PutSlackWebhookRequest → SlackWebhookView
 *   GET    /internal/orgs/:orgId/slack-webhook   → SlackWebhookView (configured: false when none)
 *   DELETE /internal/orgs/:orgId/slack-webhook   → 204
 *   POST   /internal/orgs/:orgId/slack-webhook/test   → SlackWebhookTestResult (404 when none is set)
 *   GET    /internal/orgs/:orgId/incidents?status=open|resolved|all&limit=&before=   → IncidentList
 * The webhook URL is a secret: it is accepted, stored encrypted and never returned (only a masked hint).
 */
/** Path parameters of every route: the org the webhook or incidents belong to. */
export const orgParamsSchema = z.object({ orgId: z.string().min(1).max(200) });

export const putSlackWebhookRequestSchema = z.object({
  /** A Slack incoming-webhook URL, e.g. https://hooks.slack.com/services/T…/B…/…. */
  url: z.string().min(1).max(2000),
});
export type PutSlackWebhookRequest = z.infer<typeof putSlackWebhookRequestSchema>;

export const slackWebhookViewSchema = z.object({
  orgId: z.string(),
  configured: z.boolean(),
  /** `broken`: Slack answered that the webhook no longer exists or is not allowed; alerts go to the fallback. */
  status: z.enum(['active', 'broken']).nullable(),
  /** The URL with its secret part masked, to recognise which webhook is set. */
  urlHint: z.string().nullable(),
  /** Slack's error (e.g. `no_service`, `channel_is_archived`, `invalid_token`) when broken. */
  brokenReason: z.string().nullable(),
  brokenAt: z.iso.datetime({ offset: true }).nullable(),
  lastDeliveredAt: z.iso.datetime({ offset: true }).nullable(),
  updatedAt: z.iso.datetime({ offset: true }).nullable(),
});
export type SlackWebhookView = z.infer<typeof slackWebhookViewSchema>;

/**
 * A test message sent at once to the org's webhook. A `broken` answer marks the webhook broken;
 * a delivered test makes a broken webhook active again (the admin fixed the channel).
 */
export const slackWebhookTestResultSchema = z.object({
  delivered: z.boolean(),
  /** `delivered`, `retry` (Slack down or rate limiting: try again later), `broken` or `rejected`. */
  outcome: z.enum(['delivered', 'retry', 'broken', 'rejected']),
  /** Slack's answer when not delivered, e.g. `no_service`, `rate_limited: 429 rate_limited`. */
  reason: z.string().nullable(),
  webhook: slackWebhookViewSchema,
});
export type SlackWebhookTestResult = z.infer<typeof slackWebhookTestResultSchema>;

/** Where a Slack message about an incident stands. `summarized`: folded into a storm summary. */
export const notificationStateSchema = z.enum(['none', 'pending', 'delivered', 'summarized', 'failed']);
export type NotificationState = z.infer<typeof notificationStateSchema>;

export const incidentViewSchema = z.object({
  id: z.string(),
  orgId: z.string(),
  kind: adminAlertPayload.shape.kind,
  subject: z.string(),
  status: z.enum(['open', 'resolved']),
  severity: adminAlertPayload.shape.severity,
  title: z.string(),
  detail: z.string(),
  accountEmail: z.string().nullable(),
  calendarId: z.string().nullable(),
  connectionId: z.string().nullable(),
  action: z.object({ label: z.string(), url: z.string() }).nullable(),
  since: z.iso.datetime({ offset: true }),
  openedAt: z.iso.datetime({ offset: true }),
  lastSeenAt: z.iso.datetime({ offset: true }),
  resolvedAt: z.iso.datetime({ offset: true }).nullable(),
  /** Alerts received for this incident (1 = only the opening one); repeats are counted, not re-sent. */
  occurrences: z.number().int().min(1),
  notification: z.object({ opened: notificationStateSchema, resolved: notificationStateSchema }),
});
export type IncidentView = z.infer<typeof incidentViewSchema>;

export const listIncidentsQuerySchema = z.object({
  status: z.enum(['open', 'resolved', 'all']).default('all'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** Cursor: the `nextBefore` of the previous page (newest first). */
  before: z
    .string()
    .regex(/^\d{1,18}$/)
    .optional(),
});
export type ListIncidentsQuery = z.input<typeof listIncidentsQuerySchema>;

export const incidentListSchema = z.object({
  incidents: z.array(incidentViewSchema),
  /** Pass as `before` for the next page; null on the last page. */
  nextBefore: z.string().nullable(),
});
export type IncidentList = z.infer<typeof incidentListSchema>;

export const SLACK_WEBHOOK_PATH = (orgId: string) => `/internal/orgs/${encodeURIComponent(orgId)}/slack-webhook`;
export const SLACK_WEBHOOK_TEST_PATH = (orgId: string) => `${SLACK_WEBHOOK_PATH(orgId)}/test`;
export const INCIDENTS_PATH = (orgId: string) => `/internal/orgs/${encodeURIComponent(orgId)}/incidents`;
