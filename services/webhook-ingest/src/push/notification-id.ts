import { createHash } from 'node:crypto';

/**
 * The message id of a push notification, derived from (channel id, message number): a redelivery
 * that reaches another replica, or arrives after the dedupe window, still gets the same id, so
 * consumers that deduplicate by message id drop it. Formatted as an RFC 9562 version-8 UUID.
 */
export function notificationMessageId(channelId: string, messageNumber: number): string {
  const hex = createHash('sha256').update(`google-push\0${channelId}\0${messageNumber}`).digest('hex');
  const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
