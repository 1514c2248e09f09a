import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Emu } from './context';
import type { Calendar, EmulatorState } from './state';

/** `--state FILE`: JSON snapshot of the in-memory state (Maps flattened to entry lists). */
export function saveState(emu: Emu, file: string): void {
  const s = emu.state;
  const data = {
    seq: s.seq,
    users: [...s.users.values()],
    calendars: [...s.calendars.values()].map((c) => ({
      ...c,
      events: [...c.events.entries()].map(([k, v]) => [
        k,
        { resource: v.resource, seq: v.seq, deletedAt: v.deletedAt },
      ]),
    })),
    grants: [...s.grants.entries()],
    refreshTokens: [...s.refreshTokens.values()],
    accessTokens: [...s.accessTokens.values()],
    channels: [...s.channels.values()],
  };
  writeFileSync(`${file}.tmp`, JSON.stringify(data));
  renameSync(`${file}.tmp`, file);
}

export function loadState(emu: Emu, file: string): void {
  if (!existsSync(file)) return;
  const data = JSON.parse(readFileSync(file, 'utf8')) as {
    seq: number;
    users: EmulatorState extends { users: Map<string, infer U> } ? U[] : never;
    calendars: (Omit<Calendar, 'events'> & { events: [string, unknown][] })[];
    grants: [string, string[]][];
    refreshTokens: EmulatorState extends { refreshTokens: Map<string, infer R> } ? R[] : never;
    accessTokens: EmulatorState extends { accessTokens: Map<string, infer A> } ? A[] : never;
    channels: EmulatorState extends { channels: Map<string, infer C> } ? C[] : never;
  };
  const s = emu.state;
  s.seq = data.seq;
  for (const u of data.users) {
    s.users.set(u.sub, u);
    s.subByEmail.set(u.email, u.sub);
  }
  for (const c of data.calendars) s.calendars.set(c.id, { ...c, events: new Map(c.events) } as Calendar);
  for (const [k, v] of data.grants) s.grants.set(k, v);
  for (const r of data.refreshTokens) s.refreshTokens.set(r.token, r);
  for (const a of data.accessTokens) s.accessTokens.set(a.token, a);
  for (const c of data.channels) s.channels.set(c.id, c);
}
