import type { IncomingHttpHeaders } from 'node:http';

export type ResourceState = 'sync' | 'exists' | 'not_exists';

/** What Google's push POST tells us, all of it in headers (the body of an events notification is empty). */
export type PushHeaders = {
  channelId: string;
  resourceId: string;
  resourceState: ResourceState;
  messageNumber: number;
  /** Absent when the channel was created without a token (ours always carry one). */
  token: string | undefined;
};

export type ParsedPush = { ok: true; push: PushHeaders } | { ok: false; error: string };

const STATES = new Set<string>(['sync', 'exists', 'not_exists']);

function single(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Reads Google's X-Goog-* headers (Node lowercases header names). Anything missing or malformed is a
 * request Google did not send: the caller answers 400, which Google would not retry anyway.
 */
export function parsePushHeaders(headers: IncomingHttpHeaders): ParsedPush {
  const channelId = single(headers, 'x-goog-channel-id');
  const resourceId = single(headers, 'x-goog-resource-id');
  const state = single(headers, 'x-goog-resource-state');
  const number = single(headers, 'x-goog-message-number');
  const missing = [
    ['X-Goog-Channel-ID', channelId],
    ['X-Goog-Resource-ID', resourceId],
    ['X-Goog-Resource-State', state],
    ['X-Goog-Message-Number', number],
  ]
    .filter(([, v]) => !v)
    .map(([k]) => k);
  if (missing.length > 0) return { ok: false, error: `missing header(s): ${missing.join(', ')}` };
  if (channelId!.length > 64) return { ok: false, error: 'X-Goog-Channel-ID longer than 64 characters' };
  if (!STATES.has(state!)) return { ok: false, error: `unknown X-Goog-Resource-State "${state!.slice(0, 32)}"` };
  if (!/^\d{1,15}$/.test(number!)) return { ok: false, error: 'X-Goog-Message-Number must be a non-negative integer' };
  return {
    ok: true,
    push: {
      channelId: channelId!,
      resourceId: resourceId!,
      resourceState: state as ResourceState,
      messageNumber: Number(number),
      token: single(headers, 'x-goog-channel-token'),
    },
  };
}
