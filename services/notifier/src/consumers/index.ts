import type { HandlerMap, MessageOf } from '@gcal-sync/shared';

/** This service's inbound contract: topic → handler. */
export function buildHandlers(deps: { adminAlert: (message: MessageOf<'adminAlerts'>) => Promise<void> }): HandlerMap {
  return { adminAlerts: (message) => deps.adminAlert(message) };
}
