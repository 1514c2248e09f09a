/** A cookie-keeping HTTP client that follows redirects one hop at a time, as a browser does. */
export class Browser {
  private readonly cookies = new Map<string, Map<string, string>>();

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    const origin = new URL(url).origin;
    const jar = this.cookies.get(origin);
    if (jar?.size) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const set of res.headers.getSetCookie()) {
      const [pair = ''] = set.split(';');
      const [name = '', ...value] = pair.split('=');
      const current = this.cookies.get(origin) ?? new Map<string, string>();
      current.set(name.trim(), value.join('='));
      this.cookies.set(origin, current);
    }
    return res;
  }

  /** GETs `url` and every redirect after it (at most 10); resolves with the last answer and its URL. */
  async follow(url: string): Promise<{ res: Response; url: string }> {
    let current = url;
    let res = await this.request(current);
    for (let hops = 0; hops < 10 && res.status >= 300 && res.status < 400 && res.headers.get('location'); hops++) {
      await res.arrayBuffer();
      current = new URL(res.headers.get('location') as string, current).toString();
      res = await this.request(current);
    }
    return { res, url: current };
  }
}
