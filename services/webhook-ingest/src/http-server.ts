import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningServer } from '@gcal-sync/shared';

/**
 * One HTTP server: `POST <pushPath>` goes straight to the push handler, everything else
 * (/healthz, /readyz, /metrics, /robots.txt) to the express app. Closes gracefully like the shared
 * kit's server: stop accepting, let in-flight pushes get their Kafka ack and answer.
 */
export async function startWebhookServer(options: {
  /** The express app (any Node request listener). */
  app: (req: IncomingMessage, res: ServerResponse) => void;
  pushPath: string;
  push: (req: IncomingMessage, res: ServerResponse) => void;
  port: number;
  host?: string;
}): Promise<RunningServer> {
  const server = createServer((req, res) => {
    const path = req.url?.split('?', 1)[0];
    if (req.method === 'POST' && path === options.pushPath) options.push(req, res);
    else options.app(req, res);
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}
