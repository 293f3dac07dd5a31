/**
 * Fetching URLs a user gives, safely: only hosts listed in CALIBRATION_ALLOWED_HOSTS, never a
 * redirect (it could lead anywhere, credentials included), a timeout and a size cap on every
 * response, and a bounded number of calls in flight across all calibrations. A token goes only to
 * the host it was given for, and is never stored or logged.
 */
import type { z } from 'zod';

export interface FetchPolicy {
  /** Host names (or host:port) that may be fetched; empty turns URL sources off. */
  allowedHosts: readonly string[];
  timeoutMs: number;
  maxResponseBytes: number;
}

export const defaultFetchPolicy: Omit<FetchPolicy, 'allowedHosts'> = {
  timeoutMs: 10_000,
  maxResponseBytes: 8 * 1024 * 1024,
};

/** Why a source could not be read: `forbidden` → 403, `unavailable` (the upstream failed) → 422. */
export class SourceError extends Error {
  constructor(
    message: string,
    readonly reason: 'forbidden' | 'unavailable' | 'invalid',
    readonly path = 'source.url',
  ) {
    super(message);
  }
}

/** Parses CALIBRATION_ALLOWED_HOSTS ("flink-jm.prod:8081, prometheus.monitoring"). */
export function parseAllowedHosts(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h !== '');
}

/** The base URL if its host is allowed; otherwise a `forbidden` SourceError naming the variable. */
export function checkUrl(raw: string, allowedHosts: readonly string[], path = 'source.url'): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new SourceError(`Not a URL: ${JSON.stringify(raw)}`, 'invalid', path);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new SourceError('Only http and https URLs can be calibrated from', 'invalid', path);
  if (url.username || url.password)
    throw new SourceError('Credentials do not belong in the URL; pass them as `token`', 'invalid', path);
  if (allowedHosts.length === 0)
    throw new SourceError(
      'Calibrating from a URL is turned off on this server: CALIBRATION_ALLOWED_HOSTS is empty. Upload a snapshot instead, or ask the operator to list the host in CALIBRATION_ALLOWED_HOSTS.',
      'forbidden',
      path,
    );
  const host = url.hostname.toLowerCase();
  if (!allowedHosts.includes(host) && !allowedHosts.includes(url.host.toLowerCase()))
    throw new SourceError(
      `The host ${url.host} is not listed in CALIBRATION_ALLOWED_HOSTS; this server fetches only listed hosts.`,
      'forbidden',
      path,
    );
  url.search = '';
  url.hash = '';
  return url;
}

/** A counting semaphore: at most `limit` calls run at once, the rest wait their turn. */
export class Limiter {
  private running = 0;
  private readonly queue: Array<() => void> = [];
  constructor(readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.queue.push(resolve));
    this.running++;
    try {
      return await task();
    } finally {
      this.running--;
      this.queue.shift()?.();
    }
  }
}

async function readCapped(response: Response, maxBytes: number, what: string): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes)
    throw new SourceError(`${what}: response larger than ${maxBytes} bytes`, 'unavailable');
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new SourceError(`${what}: response larger than ${maxBytes} bytes`, 'unavailable');
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A JSON client bound to one base URL; its token is sent to that origin and nowhere else. */
export class SafeClient {
  readonly host: string;
  constructor(
    private readonly base: URL,
    private readonly policy: FetchPolicy,
    private readonly limiter: Limiter,
    private readonly token?: string,
  ) {
    this.host = base.host;
  }

  private url(path: string): URL {
    const prefix = this.base.pathname.replace(/\/+$/, '');
    const url = new URL(`${prefix}${path}`, this.base.origin);
    if (url.origin !== this.base.origin)
      throw new SourceError('Refusing a request to another origin', 'forbidden');
    return url;
  }

  /** GET (or form POST) `path` and validate the JSON; a 404 gives undefined when `optional`. */
  async json<S extends z.ZodType>(
    path: string,
    schema: S,
    options: { optional?: boolean; form?: Record<string, string> } = {},
  ): Promise<z.output<S> | undefined> {
    const url = this.url(path);
    const what = `${options.form ? 'POST' : 'GET'} ${url.pathname}`;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    const text = await this.limiter.run(async () => {
      let response: Response;
      try {
        response = await fetch(url, {
          method: options.form ? 'POST' : 'GET',
          headers: options.form
            ? { ...headers, 'content-type': 'application/x-www-form-urlencoded' }
            : headers,
          ...(options.form ? { body: new URLSearchParams(options.form).toString() } : {}),
          redirect: 'manual',
          signal: AbortSignal.timeout(this.policy.timeoutMs),
        });
      } catch (error) {
        const cause =
          error instanceof Error && error.name === 'TimeoutError'
            ? `no answer within ${this.policy.timeoutMs} ms`
            : 'unreachable';
        throw new SourceError(`${what} on ${this.host}: ${cause}`, 'unavailable');
      }
      if (response.status >= 300 && response.status < 400) {
        await response.body?.cancel();
        throw new SourceError(
          `${what} on ${this.host} answered a redirect (${response.status}); redirects are never followed`,
          'unavailable',
        );
      }
      if (response.status === 404 && options.optional) {
        await response.body?.cancel();
        return undefined;
      }
      const body = await readCapped(response, this.policy.maxResponseBytes, `${what} on ${this.host}`);
      if (!response.ok)
        throw new SourceError(`${what} on ${this.host} answered ${response.status}`, 'unavailable');
      return body;
    });
    if (text === undefined) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new SourceError(`${what} on ${this.host} did not answer JSON`, 'unavailable');
    }
    const result = schema.safeParse(parsed);
    if (!result.success) {
      const issue = result.error.issues[0];
      throw new SourceError(
        `${what} on ${this.host} answered an unexpected shape (${issue?.path.join('.') || 'body'}: ${issue?.message})`,
        'unavailable',
      );
    }
    return result.data;
  }
}
