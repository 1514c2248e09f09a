import { type Logger, type Publisher, sha256Hex } from '@gcal-sync/shared';
import type { PushDecision } from './decide-push';
import type { PushHeaders } from './push-headers';
import type { ReportLimiter } from './report-limiter';

/**
 * Publishes `ping-unmatched` so the renewer can stop orphan channels (webhook-ingest never calls
 * Google). Fire and forget: the push was already answered 200, and a lost report is re-sent at the
 * channel's next ping after the limiter's interval.
 */
export function createUnmatchedReporter(deps: { publisher: Publisher; limiter: ReportLimiter; logger: Logger }) {
  return (push: PushHeaders, decision: PushDecision): void => {
    // Per kind too: a channel reported unknown at creation (its sync raced the `created` event)
    // must still be reported once it is retired.
    if (!deps.limiter.shouldReport(`${decision.kind}:${push.channelId}`)) return;
    deps.publisher
      .publish('channelLifecycle', {
        // The envelope needs an org; an unmatched channel has none we know of.
        orgId: 'unknown',
        connectionId: null,
        payload: {
          type: 'ping-unmatched',
          channelId: push.channelId,
          resourceId: push.resourceId,
          calendarId: null,
          resourceState: push.resourceState,
          tokenHash: push.token === undefined ? null : sha256Hex(push.token),
          receivedAt: new Date().toISOString(),
        },
      })
      .catch((error: unknown) => deps.logger.warn({ err: error, channelId: push.channelId }, 'ping report not sent'));
  };
}
