/** Per-org message budget over a sliding sequence of windows (persisted in notifier_org_rate). */
export type RateWindow = {
  windowStartedAt: Date;
  /** Individual messages queued in this window. */
  sentInWindow: number;
  /** Everything that called for a message in this window, individual or summarized. */
  notificationsInWindow: number;
  /** Individual messages this window allows (0 while a storm goes on). */
  budget: number;
};

export type RateDecision = { mode: 'individual' | 'summary'; window: RateWindow; windowEndsAt: Date };

/**
 * Whether one more notification for an org goes out as its own Slack message or is folded into the
 * window's summary. Each window allows `limit` messages; a window that needed more than that was a
 * storm, and the next adjacent window then allows none, so a lasting storm becomes one summary per
 * window instead of `limit` messages plus a summary every window. The storm ends after a window
 * with at most `limit` notifications (or a quiet gap).
 */
export function decideRate(
  current: RateWindow | null,
  now: Date,
  options: { limit: number; windowMs: number },
): RateDecision {
  const { limit, windowMs } = options;
  let window = current;
  if (!window || now.getTime() >= window.windowStartedAt.getTime() + windowMs) {
    const adjacent = window !== null && now.getTime() < window.windowStartedAt.getTime() + 2 * windowMs;
    const stormGoesOn = adjacent && window !== null && window.notificationsInWindow > limit;
    window = { windowStartedAt: now, sentInWindow: 0, notificationsInWindow: 0, budget: stormGoesOn ? 0 : limit };
  }
  const individual = window.sentInWindow < window.budget;
  const next: RateWindow = {
    ...window,
    sentInWindow: window.sentInWindow + (individual ? 1 : 0),
    notificationsInWindow: window.notificationsInWindow + 1,
  };
  return {
    mode: individual ? 'individual' : 'summary',
    window: next,
    windowEndsAt: new Date(window.windowStartedAt.getTime() + windowMs),
  };
}
