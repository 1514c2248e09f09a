import { baseServiceEnv, googleEnv, loadConfig } from '@gcal-sync/shared';
import { z } from 'zod';

export const configSchema = baseServiceEnv.extend(googleEnv.shape).extend({
  /** The oauth service's internal API, for access tokens. */
  OAUTH_SERVICE_URL: z.url(),
  /** This service's credential on the oauth service's internal API. */
  OAUTH_SERVICE_TOKEN: z.string().min(16),
});
export type Config = z.infer<typeof configSchema>;

export function loadServiceConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return loadConfig(configSchema, env);
}
