import type { TestApp } from './app.js';

/**
 * A browser in miniature: keeps cookies between requests and posts forms with the CSRF token of
 * the last page it loaded, as the real pages do.
 */
export class Client {
  private cookies = new Map<string, string>();
  csrf = '';

  constructor(private readonly app: TestApp['app']) {}

  private remember(res: Awaited<ReturnType<TestApp['app']['inject']>>) {
    for (const c of res.cookies as Array<{ name: string; value: string; maxAge?: number }>) {
      if (c.value === '' || c.maxAge === 0) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1];
    if (token) this.csrf = token;
  }

  private get cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async get(url: string) {
    const res = await this.app.inject({ url, headers: { accept: 'text/html', cookie: this.cookieHeader } });
    this.remember(res);
    return res;
  }

  /** `accept` is what a page's own script asks for (application/json); a form post accepts HTML. */
  async post(url: string, fields: Record<string, string>, options: { csrf?: boolean; accept?: string } = {}) {
    const body = new URLSearchParams(options.csrf === false ? fields : { _csrf: this.csrf, ...fields });
    const res = await this.app.inject({
      method: 'POST',
      url,
      headers: {
        accept: options.accept ?? 'text/html',
        cookie: this.cookieHeader,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: body.toString(),
    });
    this.remember(res);
    return res;
  }
}
