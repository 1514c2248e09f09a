import type { EmulatorOptions } from './context';

/** Reads EMULATOR_* variables and `--state FILE` / `--port N` arguments. */
export function optionsFromEnv(env: NodeJS.ProcessEnv, argv: string[]): EmulatorOptions {
  const clients = env.EMULATOR_CLIENTS
    ? Object.fromEntries(
        env.EMULATOR_CLIENTS.split(',')
          .map((p) => p.trim())
          .filter(Boolean)
          .map((p) => {
            const i = p.indexOf(':');
            return i < 0 ? [p, ''] : [p.slice(0, i), p.slice(i + 1)];
          }),
      )
    : undefined;
  const arg = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  return {
    port: Number(arg('--port') ?? env.EMULATOR_PORT ?? 8088),
    host: env.EMULATOR_HOST ?? '127.0.0.1',
    autoConsent: env.EMULATOR_AUTO_CONSENT === '1',
    allowHttpPush: env.EMULATOR_ALLOW_HTTP_PUSH === '1',
    ...(clients ? { clients } : {}),
    ...(env.EMULATOR_DEFAULT_TZ ? { defaultTimeZone: env.EMULATOR_DEFAULT_TZ } : {}),
    ...((arg('--state') ?? env.EMULATOR_STATE_FILE) ? { stateFile: arg('--state') ?? env.EMULATOR_STATE_FILE } : {}),
  };
}
