import type { Emu } from './context';
import { ApiError, invalid, required } from './errors';
import { resourceIdFor } from './push';
import type { AccessToken, Channel } from './state';

/** Google's default channel lifetime (params.ttl default), and the cap applied to requests. */
export const DEFAULT_TTL_S = 604_800;
export const MAX_TTL_S = 30 * 86_400;

export function createChannel(
  emu: Emu,
  token: AccessToken,
  resourceKey: string,
  resourceUri: string,
  body: Record<string, unknown>,
  eventTypes: string[] = [],
): Record<string, unknown> {
  const id = body.id;
  if (typeof id !== 'string' || !id) throw required('Required channel id');
  if (id.length > 64) throw invalid('Channel id must be at most 64 characters.');
  const type = String(body.type ?? '');
  if (type !== 'web_hook' && type !== 'webhook') throw invalid(`Unknown channel type: ${type}`);
  const address = body.address;
  if (typeof address !== 'string' || !address) throw required('Required channel address');
  let parsed: URL;
  try {
    parsed = new URL(address);
  } catch {
    throw invalid(`Invalid channel address: ${address}`);
  }
  if (parsed.protocol !== 'https:' && !(emu.options.allowHttpPush && parsed.protocol === 'http:')) {
    throw new ApiError(400, 'push.webhookUrlNotHttps', `WebHook callback must be HTTPS: ${address}`);
  }
  const channelToken = body.token;
  if (channelToken !== undefined && (typeof channelToken !== 'string' || channelToken.length > 256)) {
    throw invalid('Channel token must be at most 256 characters.');
  }
  const now = emu.clock.now();
  const existing = emu.state.channels.get(id);
  if (existing && !existing.stopped && existing.expiration > now) {
    throw new ApiError(400, 'channelIdNotUnique', `Channel id ${id} not unique`);
  }
  const params = (body.params ?? {}) as Record<string, unknown>;
  let ttlMs = DEFAULT_TTL_S * 1000;
  if (params.ttl !== undefined) {
    const ttl = Number(params.ttl);
    if (!Number.isFinite(ttl) || ttl <= 0) throw invalid(`Invalid ttl: ${String(params.ttl)}`);
    ttlMs = ttl * 1000;
  }
  let expiration = now + Math.min(ttlMs, MAX_TTL_S * 1000);
  if (body.expiration !== undefined && body.expiration !== null) {
    const requested = Number(body.expiration);
    if (Number.isFinite(requested) && requested > now) expiration = Math.min(requested, now + MAX_TTL_S * 1000);
  }
  const ch: Channel = {
    id,
    resourceId: resourceIdFor(resourceKey),
    resourceUri,
    resourceKey,
    ...(typeof channelToken === 'string' ? { token: channelToken } : {}),
    ...(eventTypes.length ? { eventTypes } : {}),
    address,
    expiration,
    sub: token.sub,
    clientId: token.clientId,
    messageNumber: 0,
    stopped: false,
    delivered: 0,
    failed: 0,
  };
  emu.state.channels.set(id, ch);
  // Like Google, the sync message may reach the receiver before the watch response does.
  emu.push.sync(ch);
  return {
    kind: 'api#channel',
    id: ch.id,
    resourceId: ch.resourceId,
    resourceUri: ch.resourceUri,
    ...(ch.token !== undefined ? { token: ch.token } : {}),
    expiration: String(ch.expiration),
  };
}

export function stopChannel(emu: Emu, token: AccessToken, body: Record<string, unknown>): void {
  const id = String(body.id ?? '');
  const ch = emu.state.channels.get(id);
  if (
    !ch ||
    ch.stopped ||
    ch.clientId !== token.clientId ||
    (body.resourceId !== undefined && body.resourceId !== ch.resourceId)
  ) {
    throw new ApiError(404, 'notFound', `Channel '${id}' not found for project '${token.clientId}'`);
  }
  ch.stopped = true;
}
