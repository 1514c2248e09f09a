/**
 * Opaque page and sync tokens. They carry the calendar, the change number they were cut at
 * and the calendar's sync epoch, so an invalidated calendar answers 410 for older tokens.
 */
export interface SyncTokenData {
  c: string;
  s: number;
  e: number;
  /** Issue time (virtual clock), for the too-old rule. */
  t?: number;
}

export interface PageTokenData {
  o: number;
  s: number;
  q: string;
}

function enc(obj: unknown): string {
  return Buffer.from(JSON.stringify(obj)).toString('base64url');
}

function dec<T>(token: string): T | undefined {
  try {
    return JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as T;
  } catch {
    return undefined;
  }
}

export const encodeSyncToken = (d: SyncTokenData) => `CP${enc(d)}`;
export const decodeSyncToken = (t: string) => (t.startsWith('CP') ? dec<SyncTokenData>(t.slice(2)) : undefined);
export const encodePageToken = (d: PageTokenData) => `EA${enc(d)}`;
export const decodePageToken = (t: string) => (t.startsWith('EA') ? dec<PageTokenData>(t.slice(2)) : undefined);
