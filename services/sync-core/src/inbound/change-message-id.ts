import { createHash } from 'node:crypto';

/**
 * A deterministic message id for one version of one event: if a change is ever enqueued twice
 * (it should not be), or the relay re-publishes after a crash, consumers see the same id.
 * Formatted as an RFC 9562 version-5-style UUID so envelope validation accepts it.
 */
export function changeMessageId(parts: {
  connectionId: string;
  calendarId: string;
  eventId: string;
  version: number;
}): string {
  const hex = createHash('sha256')
    .update(`${parts.connectionId}\u0000${parts.calendarId}\u0000${parts.eventId}\u0000${parts.version}`)
    .digest('hex');
  const variant = ((Number.parseInt(hex[16] as string, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
