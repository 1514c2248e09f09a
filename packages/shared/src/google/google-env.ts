import { z } from 'zod';

/**
 * Where Google lives. Production uses the defaults; local runs and tests point every URL at the
 * emulator. Code never knows which it talks to.
 */
export const googleEnv = z.object({
  GOOGLE_API_ROOT_URL: z.url().default('https://www.googleapis.com/'),
  GOOGLE_OAUTH_AUTH_URL: z.url().default('https://accounts.google.com/o/oauth2/v2/auth'),
  GOOGLE_OAUTH_TOKEN_URL: z.url().default('https://oauth2.googleapis.com/token'),
  GOOGLE_OAUTH_REVOKE_URL: z.url().default('https://oauth2.googleapis.com/revoke'),
  GOOGLE_USERINFO_URL: z.url().default('https://openidconnect.googleapis.com/v1/userinfo'),
});
export type GoogleEnv = z.infer<typeof googleEnv>;

/** All Google URLs for one origin that serves Google's paths (the emulator). */
export function googleEnvForOrigin(origin: string): Record<keyof GoogleEnv, string> {
  const base = origin.replace(/\/$/, '');
  return {
    GOOGLE_API_ROOT_URL: `${base}/`,
    GOOGLE_OAUTH_AUTH_URL: `${base}/o/oauth2/v2/auth`,
    GOOGLE_OAUTH_TOKEN_URL: `${base}/token`,
    GOOGLE_OAUTH_REVOKE_URL: `${base}/revoke`,
    GOOGLE_USERINFO_URL: `${base}/oauth2/v3/userinfo`,
  };
}
