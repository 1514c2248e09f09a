import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How a fake webhook answers, like Slack's incoming-webhook endpoint does. */
export type HookBehaviour =
  | { mode: 'ok' }
  | { mode: 'rate_limited'; retryAfterSeconds: number }
  | { mode: 'down'; status: 500 | 503 }
  | { mode: 'gone'; status: 403 | 404 | 410; error: string };

export type ReceivedMessage = { hook: string; body: { text: string; blocks: { type: string }[] }; at: number };

/**
 * A local HTTP server behaving like Slack's webhooks at `/hook/<name>`: 200 `ok`, 429 with
 * Retry-After, 5xx, or 404 `no_service` & co. Records accepted messages and every attempt.
 */
export async function startFakeSlack() {
  const behaviours = new Map<string, HookBehaviour>();
  const delivered: ReceivedMessage[] = [];
  const attempts: { hook: string; status: number }[] = [];

  const server = createServer(async (req, res) => {
    const hook = /^\/hook\/([\w-]+)$/.exec(req.url ?? '')?.[1];
    const raw = await readBody(req);
    if (req.method !== 'POST' || !hook) {
      res.writeHead(404).end('no_service');
      return;
    }
    const behaviour = behaviours.get(hook) ?? { mode: 'ok' };
    let body: ReceivedMessage['body'];
    try {
      body = JSON.parse(raw);
    } catch {
      attempts.push({ hook, status: 400 });
      res.writeHead(400).end('invalid_payload');
      return;
    }
    const answer = (status: number, text: string, headers: Record<string, string> = {}) => {
      attempts.push({ hook, status });
      res.writeHead(status, { 'content-type': 'text/html', ...headers }).end(text);
    };
    switch (behaviour.mode) {
      case 'ok':
        if (!body.text && !body.blocks) return answer(400, 'missing_text_or_fallback_or_attachments');
        delivered.push({ hook, body, at: Date.now() });
        return answer(200, 'ok');
      case 'rate_limited':
        return answer(429, 'rate_limited', { 'retry-after': String(behaviour.retryAfterSeconds) });
      case 'down':
        return answer(behaviour.status, 'rollup_error');
      case 'gone':
        return answer(behaviour.status, behaviour.error);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: (hook: string) => `http://127.0.0.1:${port}/hook/${hook}`,
    set: (hook: string, behaviour: HookBehaviour) => behaviours.set(hook, behaviour),
    messages: (hook: string) => delivered.filter((m) => m.hook === hook),
    attempts: (hook: string) => attempts.filter((a) => a.hook === hook),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
