import { type ApiError, errorForStatus } from './errors';

export interface FaultSpec {
  /** Method name, e.g. `calendar.events.list`, `oauth.token`, or `*` for every method. */
  method: string;
  status?: number;
  reason?: string;
  message?: string;
  latencyMs?: number;
  /** How many calls it applies to; unlimited when absent. */
  times?: number;
}

interface ActiveFault extends FaultSpec {
  remaining: number;
}

/** Per-method injected failures and latency, consumed call by call. */
export class Faults {
  private list: ActiveFault[] = [];

  add(spec: FaultSpec): void {
    this.list.push({ ...spec, remaining: spec.times ?? Number.POSITIVE_INFINITY });
  }

  clear(): void {
    this.list = [];
  }

  /** Takes the first matching fault, returning latency to apply and/or an error to answer. */
  take(method: string): { latencyMs: number; error?: ApiError } | undefined {
    if (this.list.length === 0) return undefined;
    const idx = this.list.findIndex((f) => f.remaining > 0 && (f.method === method || f.method === '*'));
    if (idx < 0) return undefined;
    const f = this.list[idx]!;
    f.remaining -= 1;
    if (f.remaining <= 0) this.list.splice(idx, 1);
    return {
      latencyMs: f.latencyMs ?? 0,
      error: f.status ? errorForStatus(f.status, f.reason, f.message) : undefined,
    };
  }
}
