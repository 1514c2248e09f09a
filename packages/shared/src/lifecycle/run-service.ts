import { ConfigError } from '../config/load-config';

export type Service = { stop(): Promise<void> };

/**
 * What every service's bin.ts does: load config (exit 1 naming each bad variable), start,
 * and stop gracefully on SIGTERM/SIGINT (exit 1 if shutdown hangs past the grace period).
 */
export async function runService<C>(
  name: string,
  loadConfig: () => C,
  start: (config: C) => Promise<Service>,
  options: { graceMs?: number; afterStop?: () => Promise<void> } = {},
) {
  const graceMs = options.graceMs ?? 25_000;
  let config: C;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${name}: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  let service: Service;
  try {
    service = await start(config);
  } catch (error) {
    process.stderr.write(`${name}: failed to start: ${(error as Error).message}\n`);
    process.exit(1);
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`${name}: ${signal} received, shutting down\n`);
    const timer = setTimeout(() => {
      process.stderr.write(`${name}: shutdown exceeded ${graceMs} ms\n`);
      process.exit(1);
    }, graceMs);
    timer.unref();
    await service.stop();
    await options.afterStop?.();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}
