import { type Logger, type MessageOf, type Pool, withTransaction } from '@gcal-sync/shared';
import { applyAlert } from '../incidents/apply-alert';
import {
  incidentFacts,
  insertIncident,
  lastResolvedAt,
  linkDelivery,
  lockOpenIncident,
  recordRepeat,
  resolveIncident,
} from '../incidents/incident-repository';
import { markProcessed } from '../incidents/processed-messages';
import { enqueueNotification, type OrgRateLimit } from './enqueue-notification';

/**
 * admin-alerts → incident log + queued Slack message, in one transaction that commits before the
 * handler resolves (so before the offset commit). Sending happens later in the delivery worker:
 * a slow or down Slack never holds the partition, and nothing is acknowledged unrecorded.
 */
export function handleAdminAlert(deps: {
  pool: Pool;
  rate: OrgRateLimit;
  logger: Logger;
  /** Called after a commit that queued a message, to wake the delivery worker. */
  onQueued: () => void;
  now?: () => Date;
}) {
  const now = deps.now ?? (() => new Date());
  return async (message: MessageOf<'adminAlerts'>): Promise<void> => {
    const { orgId, payload: alert } = message;
    const occurredAt = new Date(message.occurredAt);
    const key = { orgId, kind: alert.kind, subject: alert.subject };
    const queued = await withTransaction(deps.pool, async (tx) => {
      if (!(await markProcessed(tx, message.messageId))) return false;
      const open = await lockOpenIncident(tx, key);
      const decision = applyAlert({
        status: alert.status,
        occurredAt,
        open,
        lastResolvedAt: open ? null : await lastResolvedAt(tx, key),
      });
      switch (decision.type) {
        case 'open': {
          const incident = await insertIncident(tx, { orgId, connectionId: message.connectionId, alert, occurredAt });
          const deliveryId = await enqueueNotification(tx, {
            orgId,
            notification: { type: 'opened', incident: incidentFacts(incident) },
            now: now(),
            rate: deps.rate,
          });
          await linkDelivery(tx, incident.id, 'opened', deliveryId);
          return true;
        }
        case 'repeat':
          await recordRepeat(tx, decision.incidentId, alert, occurredAt);
          return false;
        case 'resolve': {
          const incident = await resolveIncident(tx, decision.incidentId, occurredAt);
          const deliveryId = await enqueueNotification(tx, {
            orgId,
            notification: {
              type: 'resolved',
              incident: incidentFacts(incident),
              resolvedAt: (incident.resolved_at ?? occurredAt).toISOString(),
              occurrences: incident.occurrences,
            },
            now: now(),
            rate: deps.rate,
          });
          await linkDelivery(tx, incident.id, 'resolved', deliveryId);
          return true;
        }
        case 'ignore':
          deps.logger.info(
            { orgId, kind: alert.kind, subject: alert.subject, reason: decision.reason, messageId: message.messageId },
            'admin alert ignored',
          );
          return false;
      }
    });
    if (queued) deps.onQueued();
  };
}
