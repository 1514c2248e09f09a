/** What webhook-ingest knows about one push channel: enough to verify a ping and route it. */
export type ChannelView = {
  channelId: string;
  resourceId: string;
  resource: 'events' | 'calendarList';
  calendarId: string | null;
  /** sha256 hex of the channel token; null when only a `stopped` event was ever seen. */
  tokenHash: string | null;
  orgId: string;
  connectionId: string | null;
  /** `retired` is final: a stopped channel never comes back (a replacement gets a new id). */
  status: 'live' | 'retired';
  /** Google's expiration (ISO), when known: rows of channels that expired unstopped are pruned after it. */
  expiration: string | null;
};

/** Merges two views of one channel; retirement wins, so late or replayed `created` events cannot revive it. */
export function mergeChannelViews(current: ChannelView | undefined, incoming: ChannelView): ChannelView {
  if (!current) return incoming;
  const status = current.status === 'retired' || incoming.status === 'retired' ? 'retired' : 'live';
  return {
    ...current,
    ...incoming,
    tokenHash: incoming.tokenHash ?? current.tokenHash,
    expiration: incoming.expiration ?? current.expiration,
    status,
  };
}
