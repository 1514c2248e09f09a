/** The Google emulator's control API (/__emulator/...), over plain HTTP. */
export function emulatorControl(origin: string) {
  async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${origin}/__emulator/${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`emulator ${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }
  return {
    createUser: (email: string) => call<{ sub: string; primaryCalendarId: string }>('POST', 'users', { email }),
    createCalendar: (ownerEmail: string, summary: string) =>
      call<{ id: string }>('POST', 'calendars', { ownerEmail, summary }),
    /** A refresh token for the user, as the consent flow would have given the oauth service. */
    tokens: (email: string, clientId: string) =>
      call<{ refresh_token: string }>('POST', 'tokens', {
        email,
        clientId,
        scopes: [
          'https://www.googleapis.com/auth/calendar.events',
          'https://www.googleapis.com/auth/calendar.calendarlist.readonly',
          'openid',
          'email',
        ],
      }),
    createEvent: (calendarId: string, summary: string) =>
      call<{ id: string }>('POST', 'events/create', {
        calendarId,
        event: {
          summary,
          start: { dateTime: '2026-12-01T10:00:00Z' },
          end: { dateTime: '2026-12-01T11:00:00Z' },
        },
      }),
    advanceClock: (ms: number) => call<{ ms: number }>('POST', 'clock/advance', { ms }),
    channels: async () =>
      (
        await call<{
          items: {
            id: string;
            resourceId: string;
            resourceUri: string;
            address: string;
            token?: string;
            stopped: boolean;
            expired: boolean;
            expiration: string;
          }[];
        }>('GET', 'channels')
      ).items,
    addFault: (fault: { method: string; status?: number; times?: number; latencyMs?: number }) =>
      call('POST', 'faults', fault),
    clearFaults: () => call('POST', 'faults/clear', {}),
    revokeGrant: (email: string, clientId: string) => call('POST', 'grants/revoke', { email, clientId }),
    deliveries: async () =>
      (
        await call<{ items: { channelId: string; state: string; messageNumber: number; status: number | string }[] }>(
          'GET',
          'notifications/log',
        )
      ).items,
  };
}
export type EmulatorControl = ReturnType<typeof emulatorControl>;
