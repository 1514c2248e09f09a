import type { MessageHandler, ServiceRuntime } from '@gcal-sync/shared';
import { Router } from 'express';
import type { Config } from '../config';

export type Inbound = {
  onNotification: MessageHandler<'googleNotifications'>;
  onConnectionLifecycle: MessageHandler<'connectionLifecycle'>;
  /** Read API (mounted behind internal auth). */
  router: Router;
  stop(): Promise<void>;
};

/** Google → app: incremental sync, mirror, change events. */
export async function createInbound(_deps: { runtime: ServiceRuntime; config: Config }): Promise<Inbound> {
  return {
    onNotification: async () => {},
    onConnectionLifecycle: async () => {},
    router: Router(),
    stop: async () => {},
  };
}
