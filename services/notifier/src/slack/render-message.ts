import type { IncidentFacts, Notification, SummaryNotification } from '../deliveries/notification';
import { escapeMrkdwn, formatDuration, slackDate, truncate } from './mrkdwn';

/** A Slack incoming-webhook payload: `text` is the notification/fallback, `blocks` the Block Kit body. */
export type SlackMessage = { text: string; blocks: Record<string, unknown>[] };

export type RenderContext = {
  orgId: string;
  adminBaseUrl: string;
  /** Set when the message goes to the operators' fallback webhook instead of the org's own. */
  routedBecause?: 'no_webhook' | 'webhook_broken';
};

const SEVERITY_LABEL = {
  critical: ':red_circle: Critical',
  warning: ':large_orange_circle: Warning',
  info: ':large_blue_circle: Info',
};
const KIND_LABEL: Record<IncidentFacts['kind'], string> = {
  'connection.revoked': 'Google access revoked',
  'channel.renewal-failing': 'Push channel renewal failing',
  'sync.paused': 'Sync paused',
  'sync.quota-exceeded': 'Google quota exceeded',
  'outbound.paused': 'Writes to Google paused',
  'sync.permanent-error': 'Sync failing permanently',
};

/** Renders what a delivery says as a Block Kit message. Pure: the same input gives the same message. */
export function renderSlackMessage(notification: Notification, context: RenderContext): SlackMessage {
  const message =
    notification.type === 'summary'
      ? renderSummary(notification, context)
      : notification.type === 'opened'
        ? renderOpened(notification.incident, context)
        : renderResolved(notification.incident, notification.resolvedAt, notification.occurrences, context);
  if (context.routedBecause) message.blocks.push(routingNote(context));
  return message;
}

/** What an admin gets when they ask to test the org's webhook. */
export function renderTestMessage(context: RenderContext): SlackMessage {
  return {
    text: `Test message: admin alerts of org ${context.orgId} will be posted here`,
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `:wave: Admin alerts of org \`${escapeMrkdwn(context.orgId)}\` (Google Calendar sync) will be posted in this channel.`,
        },
      },
      { type: 'actions', elements: [button('Open alert log', alertLogUrl(context))] },
    ],
  };
}

function renderOpened(incident: IncidentFacts, context: RenderContext): SlackMessage {
  const severity = SEVERITY_LABEL[incident.severity];
  const action = incident.action ?? defaultAction(incident, context);
  const actionUrl = action && safeLink(action.url, context.adminBaseUrl);
  const buttons = [
    ...(action && actionUrl
      ? [button(action.label, actionUrl, incident.severity === 'critical' ? 'danger' : 'primary')]
      : []),
    button('Open alert log', alertLogUrl(context)),
  ];
  return {
    text: truncate(`[${incident.severity.toUpperCase()}] ${incident.title} (org ${context.orgId})`, 300),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: truncate(incident.title, 150), emoji: true } },
      {
        type: 'section',
        fields: facts(incident, context, [
          `*Severity*\n${severity}`,
          `*What*\n${escapeMrkdwn(KIND_LABEL[incident.kind])}`,
        ]),
      },
      ...(incident.detail.trim()
        ? [{ type: 'section', text: { type: 'mrkdwn', text: truncate(escapeMrkdwn(incident.detail), 3000) } }]
        : []),
      { type: 'actions', elements: buttons },
      incidentContext(incident),
    ],
  };
}

function renderResolved(
  incident: IncidentFacts,
  resolvedAt: string,
  occurrences: number,
  context: RenderContext,
): SlackMessage {
  const lasted = formatDuration(Date.parse(resolvedAt) - Date.parse(incident.since));
  const repeats = occurrences > 1 ? ` · reported ${occurrences} times` : '';
  return {
    text: truncate(`Resolved: ${incident.title} (org ${context.orgId})`, 300),
    blocks: [
      {
        type: 'header',
        text: { type: 'plain_text', text: truncate(`✅ Resolved: ${incident.title}`, 150), emoji: true },
      },
      { type: 'section', fields: facts(incident, context, [`*Lasted*\n${lasted}${repeats}`]) },
      { type: 'actions', elements: [button('Open alert log', alertLogUrl(context))] },
      incidentContext(incident),
    ],
  };
}

function renderSummary(summary: SummaryNotification, context: RenderContext): SlackMessage {
  const backlog = summary.cause === 'backlog';
  const total = summary.opened + summary.resolved;
  const counts = [
    `*${summary.opened}* opened`,
    `*${summary.resolved}* resolved`,
    ...(['critical', 'warning', 'info'] as const)
      .filter((s) => summary.bySeverity[s])
      .map((s) => `${SEVERITY_LABEL[s]}: ${summary.bySeverity[s]}`),
  ].join(' · ');
  const kinds = Object.entries(summary.byKind)
    .sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0))
    .map(([kind, n]) => `• ${escapeMrkdwn(KIND_LABEL[kind as IncidentFacts['kind']] ?? kind)}: ${n}`)
    .join('\n');
  const samples = summary.samples
    .map(
      (s) =>
        `• ${s.status === 'resolved' ? '✅ ' : ''}${escapeMrkdwn(truncate(s.title, 150))} — \`${escapeMrkdwn(truncate(s.subject, 100))}\``,
    )
    .join('\n');
  const more = total - summary.samples.length;
  return {
    text: backlog
      ? `${total} alert updates for org ${context.orgId} while Slack was unreachable (${summary.opened} opened, ${summary.resolved} resolved)`
      : `${total} more alert updates for org ${context.orgId} (${summary.opened} opened, ${summary.resolved} resolved)`,
    blocks: [
      {
        type: 'header',
        text: {
          type: 'plain_text',
          text: truncate(
            backlog
              ? `🕒 ${total} alert updates for org ${context.orgId} while Slack was unreachable`
              : `🚨 Alert storm: ${total} updates for org ${context.orgId}`,
            150,
          ),
          emoji: true,
        },
      },
      { type: 'section', text: { type: 'mrkdwn', text: counts } },
      ...(kinds ? [{ type: 'section', text: { type: 'mrkdwn', text: truncate(kinds, 3000) } }] : []),
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: truncate(`${samples}${more > 0 ? `\n…and ${more} more` : ''}`, 3000),
        },
      },
      { type: 'actions', elements: [button('Open alert log', alertLogUrl(context), 'primary')] },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: backlog
              ? 'Sent as one message because they piled up while Slack could not be reached; the alert log has each of them.'
              : `Individual messages are paused for this org while alerts arrive faster than the rate limit; summary up to ${slackDate(summary.windowEndsAt)}.`,
          },
        ],
      },
    ],
  };
}

function facts(incident: IncidentFacts, context: RenderContext, leading: string[]) {
  const fields = [
    ...leading,
    `*Org*\n\`${escapeMrkdwn(context.orgId)}\``,
    ...(incident.accountEmail ? [`*Account*\n${escapeMrkdwn(incident.accountEmail)}`] : []),
    ...(incident.calendarId ? [`*Calendar*\n\`${escapeMrkdwn(truncate(incident.calendarId, 200))}\``] : []),
    `*Since*\n${slackDate(incident.since)}`,
  ];
  return fields.slice(0, 10).map((text) => ({ type: 'mrkdwn', text: truncate(text, 2000) }));
}

function incidentContext(incident: IncidentFacts) {
  return {
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: truncate(
          `Incident #${incident.incidentId} · \`${escapeMrkdwn(incident.kind)}\` · \`${escapeMrkdwn(incident.subject)}\``,
          3000,
        ),
      },
    ],
  };
}

function routingNote(context: RenderContext) {
  const why =
    context.routedBecause === 'webhook_broken'
      ? `the Slack webhook of org \`${escapeMrkdwn(context.orgId)}\` is broken; ask its admins to set a new one`
      : `org \`${escapeMrkdwn(context.orgId)}\` has no Slack webhook configured`;
  return { type: 'context', elements: [{ type: 'mrkdwn', text: `Sent to the fallback channel because ${why}.` }] };
}

function button(label: string, url: string, style?: 'primary' | 'danger') {
  return {
    type: 'button',
    text: { type: 'plain_text', text: truncate(label, 75), emoji: true },
    url,
    ...(style ? { style } : {}),
  };
}

// The admin page is one page scoped to the signed-in org (oauth serves it at ADMIN_BASE_URL), so
// links carry no org id; `#alerts` points at its alert log section.
function defaultAction(incident: IncidentFacts, context: RenderContext) {
  if (incident.kind !== 'connection.revoked') return null;
  return { label: 'Reconnect Google account', url: trimSlash(context.adminBaseUrl) };
}

function alertLogUrl(context: RenderContext): string {
  return `${trimSlash(context.adminBaseUrl)}#alerts`;
}

/** Producers may send a path (on the admin page) or an absolute http(s) URL; anything else is dropped. */
export function safeLink(url: string, adminBaseUrl: string): string | null {
  try {
    // A path is relative to the admin page (which may live under a path prefix itself).
    const resolved = new URL(url.startsWith('/') ? `${trimSlash(adminBaseUrl)}${url}` : url);
    if (resolved.protocol !== 'https:' && resolved.protocol !== 'http:') return null;
    return resolved.toString().length <= 3000 ? resolved.toString() : null;
  } catch {
    return null;
  }
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
