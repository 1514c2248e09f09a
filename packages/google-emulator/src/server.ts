import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleCalendar } from './calendar-api';
import { Clock } from './clock';
import type { Emu, EmulatorOptions } from './context';
import { handleControl } from './control-api';
import { EmulatorControl } from './control-client';
import { Counters } from './counters';
import { Faults } from './faults';
import { sendJson } from './http';
import { jwks, pemCerts } from './id-token';
import { handleAuthorize, handleConsent, handleRevoke, handleToken, handleTokenInfo, handleUserinfo } from './oauth';
import { loadState, saveState } from './persistence';
import { Push } from './push';
import { Quota } from './quota';
import { createState } from './state';

export interface RunningEmulator {
  /** Origin, e.g. http://127.0.0.1:8088 (googleapis rootUrl is `${url}/`). */
  url: string;
  control: EmulatorControl;
  stop(): Promise<void>;
}

const quotaDefaults = { perProjectPerMinute: 10_000, perUserPerMinute: 600, rateLimitStatus: 403 as const };

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const clock = new Clock();
  const emu: Emu = {
    state: createState(),
    clock,
    options,
    push: undefined as unknown as Push,
    quota: new Quota(clock, { ...quotaDefaults, ...options.quotas }),
    faults: new Faults(),
    counters: new Counters(),
    origin: '',
  };
  emu.push = new Push(() => emu.state, clock, options.pushRetryBaseMs ?? 1000);
  if (options.stateFile) loadState(emu, options.stateFile);

  const reset = () => {
    emu.state = createState();
    clock.reset();
    emu.quota = new Quota(clock, { ...quotaDefaults, ...options.quotas });
    emu.faults.clear();
    emu.counters.reset();
    emu.push.controls = {};
    emu.push.stop();
    emu.push.log.length = 0;
  };

  const server = http.createServer((req, res) => {
    const raw = req.url ?? '/';
    const qi = raw.indexOf('?');
    const path = qi < 0 ? raw : raw.slice(0, qi);
    const url = new URL(raw, emu.origin);
    const done = (p: Promise<void> | void) => {
      if (p)
        p.catch((err: unknown) => {
          console.error('[google-emulator]', err);
          if (!res.headersSent)
            sendJson(res, 500, {
              error: {
                code: 500,
                message: 'Backend Error',
                errors: [{ domain: 'global', reason: 'backendError', message: 'Backend Error' }],
                status: 'INTERNAL',
              },
            });
        });
    };
    if (path.startsWith('/calendar/v3/'))
      return done(handleCalendar(emu, req, res, url, path.slice('/calendar/v3/'.length)));
    if (path.startsWith('/__emulator/'))
      return done(handleControl(emu, req, res, url, path.slice('/__emulator/'.length), reset));
    switch (path) {
      case '/o/oauth2/v2/auth':
      case '/o/oauth2/auth':
        if (req.method === 'GET') return handleAuthorize(emu, res, url);
        break;
      case '/o/oauth2/v2/auth/consent':
        if (req.method === 'POST') return done(handleConsent(emu, req, res));
        break;
      case '/token':
      case '/o/oauth2/token':
      case '/oauth2/v4/token':
        if (req.method === 'POST') return done(tokenWithFault(emu, req, res));
        break;
      case '/revoke':
      case '/o/oauth2/revoke':
        return done(handleRevoke(emu, req, res, url));
      case '/oauth2/v3/userinfo':
      case '/oauth2/v2/userinfo':
      case '/oauth2/v1/userinfo':
      case '/v1/userinfo':
        return handleUserinfo(emu, req, res, url);
      case '/tokeninfo':
      case '/oauth2/v3/tokeninfo':
        return done(handleTokenInfo(emu, req, res, url));
      case '/oauth2/v1/certs':
        return sendJson(res, 200, pemCerts(), { 'Cache-Control': 'public, max-age=3600' });
      case '/oauth2/v3/certs':
        return sendJson(res, 200, jwks(), { 'Cache-Control': 'public, max-age=3600' });
      case '/':
        return sendJson(res, 200, {
          name: '@gcal-sync/google-emulator',
          calendar: '/calendar/v3/',
          control: '/__emulator/',
        });
    }
    sendJson(res, 404, {
      error: {
        code: 404,
        message: 'Not Found',
        errors: [{ domain: 'global', reason: 'notFound', message: 'Not Found' }],
        status: 'NOT_FOUND',
      },
    });
  });
  server.keepAliveTimeout = 65_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address() as AddressInfo;
  emu.origin = `http://${addr.address.includes(':') ? `[${addr.address}]` : addr.address}:${addr.port}`;

  // With --state, also snapshot every few seconds so a killed process loses little.
  let savedSeq = emu.state.seq;
  const saver = options.stateFile
    ? setInterval(() => {
        if (emu.state.seq === savedSeq) return;
        savedSeq = emu.state.seq;
        saveState(emu, options.stateFile!);
      }, 5000)
    : undefined;
  saver?.unref();

  return {
    url: emu.origin,
    control: new EmulatorControl(emu.origin),
    stop: async () => {
      if (saver) clearInterval(saver);
      emu.push.stop();
      if (options.stateFile) saveState(emu, options.stateFile);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function tokenWithFault(emu: Emu, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const fault = emu.faults.take('oauth.token');
  if (fault?.latencyMs) await new Promise((r) => setTimeout(r, fault.latencyMs));
  if (fault?.error) {
    req.resume();
    sendJson(res, fault.error.code, { error: fault.error.reason, error_description: fault.error.message });
    return;
  }
  await handleToken(emu, req, res);
}
