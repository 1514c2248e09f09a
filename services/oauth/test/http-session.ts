/**
 * A cookie-keeping HTTP client that follows redirects one hop at a time, so a test can walk the
 * connect flow (admin page → Google consent → callback) like a browser without one.
 */
export class HttpSession {
  private readonly cookies = new Map<string, string>();

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    const origin = new URL(url).origin;
    const jar = this.cookies.get(origin);
    if (jar) headers.set('cookie', jar);
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const set of res.headers.getSetCookie()) {
      const [pair] = set.split(';');
      const [name, ...value] = (pair ?? '').split('=');
      const current = new Map(
        (this.cookies.get(origin) ?? '')
          .split('; ')
          .filter(Boolean)
          .map((c) => c.split('=') as [string, string]),
      );
      if (/max-age=0|expires=Thu, 01 Jan 1970/i.test(set)) current.delete(name!.trim());
      else current.set(name!.trim(), value.join('='));
      this.cookies.set(origin, [...current].map(([k, v]) => `${k}=${v}`).join('; '));
    }
    return res;
  }

  /** Follows redirects (any origin) until a non-redirect answer; returns it with the URLs visited. */
  async follow(url: string, init: RequestInit = {}): Promise<{ res: Response; visited: string[] }> {
    const visited = [url];
    let res = await this.request(url, init);
    while (res.status >= 300 && res.status < 400 && res.headers.get('location')) {
      const next = new URL(res.headers.get('location')!, visited[visited.length - 1]).toString();
      visited.push(next);
      res = await this.request(next);
    }
    return { res, visited };
  }

  async login(serviceUrl: string, token: string): Promise<void> {
    const res = await this.request(`${serviceUrl}/admin/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token }).toString(),
    });
    if (res.status !== 303) throw new Error(`login failed: ${res.status}`);
  }
}
