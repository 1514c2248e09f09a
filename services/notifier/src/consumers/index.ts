import type { HandlerMap } from '@gcal-sync/shared';

/** This service's inbound contract: topic → handler. */
export function buildHandlers(): HandlerMap {
  return {};
}
