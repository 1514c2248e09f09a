import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../e2e/free-port';

const localEnv = require('./local-env.cjs') as {
  SERVICES: string[];
  serviceEnv(service: string, options: Record<string, unknown>): Record<string, string>;
  tokenOf(service: string): string;
};

export const REPO_ROOT = resolve(__dirname, '../..');
export const SERVICES = localEnv.SERVICES;
export const tokenOf = localEnv.tokenOf;

export type StackOptions = {
  databaseUrl: string;
  kafkaBrokers: string[];
  topicPrefix: string;
  googleOrigin?: string;
  otlpEndpoint?: string;
  /** Extra env per service (overrides). */
  env?: Record<string, Record<string, string>>;
  services?: string[];
};

export type RunningService = { name: string; port: number; url: string; process: ChildProcess; logFile: string };

export type Stack = {
  services: Record<string, RunningService>;
  logDir: string;
  /** Last lines of a service's log (for failure messages). */
  logTail(name: string, lines?: number): string;
  stop(): Promise<void>;
};

/**
 * Boots the services from their built dist as child processes (each its own process, so each has
 * its own OpenTelemetry service.name and Prometheus registry), waits for every /readyz, and
 * returns their URLs. A service that exits or never gets ready fails the start with its log tail.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const names = options.services ?? SERVICES;
  const ports: Record<string, number> = {};
  for (const name of SERVICES) ports[name] = await freePort();
  const logDir = mkdtempSync(join(tmpdir(), 'gcal-stack-'));
  const services: Record<string, RunningService> = {};
  const logTail = (name: string, lines = 30) => {
    try {
      return readFileSync(join(logDir, `${name}.log`), 'utf8')
        .trim()
        .split('\n')
        .slice(-lines)
        .join('\n');
    } catch {
      return '(no log)';
    }
  };
  const stop = async () => {
    await stopAll();
    if (process.env.KEEP_STACK_LOGS !== '1') rmSync(logDir, { recursive: true, force: true });
  };
  const stopAll = async () => {
    await Promise.all(
      Object.values(services).map(
        (s) =>
          new Promise<void>((done) => {
            if (s.process.exitCode !== null || s.process.signalCode !== null) return done();
            const timer = setTimeout(() => s.process.kill('SIGKILL'), 15_000);
            s.process.once('exit', () => {
              clearTimeout(timer);
              done();
            });
            s.process.kill('SIGTERM');
          }),
      ),
    );
  };
  try {
    for (const name of names) {
      const env = {
        ...localEnv.serviceEnv(name, {
          ports,
          databaseUrl: options.databaseUrl,
          kafkaBrokers: options.kafkaBrokers.join(','),
          topicPrefix: options.topicPrefix,
          googleOrigin: options.googleOrigin,
          otlpEndpoint: options.otlpEndpoint,
          logLevel: 'info',
        }),
        ...(options.env?.[name] ?? {}),
      };
      const logFile = join(logDir, `${name}.log`);
      const out = createWriteStream(logFile);
      const child = spawn(process.execPath, ['dist/bin.js'], {
        cwd: join(REPO_ROOT, 'services', name),
        env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout?.pipe(out);
      child.stderr?.pipe(out);
      const port = ports[name] ?? 0;
      services[name] = { name, port, url: `http://127.0.0.1:${port}`, process: child, logFile };
    }
    await Promise.all(names.map((name) => waitReady(services[name] as RunningService, logTail)));
    return { services, logDir, logTail, stop };
  } catch (error) {
    // Keep the logs: the error names the directory.
    await stopAll();
    throw new Error(`${(error as Error).message}\n(logs in ${logDir})`);
  }
}

async function waitReady(service: RunningService, logTail: (name: string) => string, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (service.process.exitCode !== null) {
      throw new Error(`${service.name} exited with ${service.process.exitCode}:\n${logTail(service.name)}`);
    }
    try {
      const res = await fetch(`${service.url}/readyz`, { signal: AbortSignal.timeout(2_000) });
      last = `${res.status} ${await res.text()}`;
      if (res.ok) return;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${service.name} not ready after ${timeoutMs} ms (last: ${last}):\n${logTail(service.name)}`);
}
