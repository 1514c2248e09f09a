import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { Clock } from './clock';
import type { Channel, EmulatorState } from './state';

/** Test controls over notification delivery. */
export interface DeliveryControls {
  /** Drop the next N notifications (never sent). */
  dropNext?: number;
  /** Delay every notification by this many ms. */
  delayMs?: number;
  /** Send every notification twice. */
  duplicate?: boolean;
  /** Hold each notification until the next one on the same channel, then send them swapped. */
  reorder?: boolean;
}

export interface DeliveryRecord {
  channelId: string;
  state: string;
  messageNumber: number;
  status: number | 'error' | 'dropped';
  attempt: number;
  at: string;
}

const RETRY_STATUSES = new Set([500, 502, 503, 504]);
const MAX_ATTEMPTS = 5;

export function resourceIdFor(resourceKey: string): string {
  return createHash('sha1').update(resourceKey).digest('base64url').slice(0, 27);
}

/** Delivers web_hook notifications the way Google does (headers, retries, message numbers). */
export class Push {
  controls: DeliveryControls = {};
  readonly log: DeliveryRecord[] = [];
  private held = new Map<string, () => void>();
  private pending = new Set<NodeJS.Timeout>();

  constructor(
    private readonly state: () => EmulatorState,
    private readonly clock: Clock,
    private readonly retryBaseMs: number,
  ) {}

  /** Fires `exists` on every live channel watching `resourceKey`. */
  notify(resourceKey: string, eventType?: string): void {
    const now = this.clock.now();
    for (const ch of this.state().channels.values()) {
      if (ch.resourceKey !== resourceKey || ch.stopped || ch.expiration <= now) continue;
      if (eventType !== undefined && ch.eventTypes?.length && !ch.eventTypes.includes(eventType)) continue;
      this.send(ch, 'exists');
    }
  }

  /** Sends the initial `sync` message of a new channel. */
  sync(ch: Channel): void {
    this.send(ch, 'sync');
  }

  private send(ch: Channel, state: 'sync' | 'exists'): void {
    ch.messageNumber = state === 'sync' ? 1 : ch.messageNumber + 1 + Math.floor(Math.random() * 3);
    const number = ch.messageNumber;
    if (state === 'exists' && this.controls.dropNext && this.controls.dropNext > 0) {
      this.controls.dropNext -= 1;
      this.record(ch, state, number, 'dropped', 0);
      return;
    }
    const go = () => {
      const copies = this.controls.duplicate ? 2 : 1;
      for (let i = 0; i < copies; i += 1)
        this.schedule(this.controls.delayMs ?? 0, () => this.attempt(ch, state, number, 1));
    };
    if (this.controls.reorder && state === 'exists') {
      const previous = this.held.get(ch.id);
      if (previous) {
        this.held.delete(ch.id);
        go();
        previous();
      } else {
        this.held.set(ch.id, go);
      }
      return;
    }
    go();
  }

  /** Releases notifications held back by `reorder`. */
  flushHeld(): void {
    const held = [...this.held.values()];
    this.held.clear();
    for (const h of held) h();
  }

  private schedule(ms: number, fn: () => void): void {
    if (ms <= 0) {
      fn();
      return;
    }
    const t = setTimeout(() => {
      this.pending.delete(t);
      fn();
    }, ms);
    this.pending.add(t);
  }

  private record(
    ch: Channel,
    state: string,
    messageNumber: number,
    status: DeliveryRecord['status'],
    attempt: number,
  ): void {
    this.log.push({
      channelId: ch.id,
      state,
      messageNumber,
      status,
      attempt,
      at: new Date(this.clock.now()).toISOString(),
    });
    if (this.log.length > 10_000) this.log.splice(0, this.log.length - 10_000);
  }

  private attempt(ch: Channel, state: string, number: number, attempt: number): void {
    if (ch.stopped || (state !== 'sync' && ch.expiration <= this.clock.now())) return;
    const url = new URL(ch.address);
    const headers: Record<string, string> = {
      'User-Agent': 'APIs-Google; (+https://developers.google.com/webmasters/APIs-Google.html)',
      'Content-Length': '0',
      'X-Goog-Channel-ID': ch.id,
      'X-Goog-Channel-Expiration': new Date(ch.expiration).toUTCString(),
      'X-Goog-Resource-ID': ch.resourceId,
      'X-Goog-Resource-URI': ch.resourceUri,
      'X-Goog-Resource-State': state,
      'X-Goog-Message-Number': String(number),
    };
    if (ch.token !== undefined) headers['X-Goog-Channel-Token'] = ch.token;
    const lib = url.protocol === 'https:' ? https : http;
    const req = lib.request(url, { method: 'POST', headers, timeout: 10_000, rejectUnauthorized: false }, (res) => {
      res.resume();
      const status = res.statusCode ?? 0;
      this.record(ch, state, number, status, attempt);
      if (status >= 200 && status < 300) {
        ch.delivered += 1;
      } else if (RETRY_STATUSES.has(status) && attempt < MAX_ATTEMPTS) {
        this.schedule(this.retryBaseMs * 2 ** (attempt - 1), () => this.attempt(ch, state, number, attempt + 1));
      } else {
        ch.failed += 1;
      }
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => {
      this.record(ch, state, number, 'error', attempt);
      ch.failed += 1;
    });
    req.end();
  }

  stop(): void {
    for (const t of this.pending) clearTimeout(t);
    this.pending.clear();
    this.held.clear();
  }
}
