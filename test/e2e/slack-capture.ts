import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export type SlackPost = { path: string; body: unknown };
export type SlackCapture = { url: string; messages: SlackPost[]; close(): Promise<void> };

/** Stands in for Slack's incoming-webhook endpoint: records every POST and answers 200 `ok`, as Slack does. */
export async function startSlackCapture(): Promise<SlackCapture> {
  const messages: SlackPost[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'POST') {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // Slack accepts only JSON; keep the raw text so an assertion shows what came.
        }
        messages.push({ path: req.url ?? '', body });
      }
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    messages,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
