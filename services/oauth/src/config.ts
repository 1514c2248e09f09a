import { baseServiceEnv, loadConfig } from '@gcal-sync/shared';
import type { z } from 'zod';

export const configSchema = baseServiceEnv.extend({});
export type Config = z.infer<typeof configSchema>;

export function loadServiceConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return loadConfig(configSchema, env);
}
