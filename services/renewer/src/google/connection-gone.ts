import { ConnectionRevokedError } from '@gcal-sync/shared';

/**
 * True when no token can be had for the connection any more: revoked (409 from the oauth service),
 * or unknown to it (404: disconnected and deleted). A channel of such a connection cannot be
 * stopped; it is forgotten, and stopped if it pings after a reconnection. The shared client reports
 * the 404 only in its message, hence the match.
 */
export function connectionGone(error: unknown): boolean {
  return (
    error instanceof ConnectionRevokedError ||
    (error instanceof Error && /oauth service answered 404/.test(error.message))
  );
}
