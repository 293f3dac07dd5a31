/**
 * The fetch policy for URL sources (src/calibration/safety.ts): a timeout and a size cap on every
 * response, a bounded number of calls in flight, and a token that goes to its own origin only.
 * A real HTTP server on loopback plays the upstream.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { checkUrl, Limiter, SafeClient, SourceError } from '../../../src/calibration/safety.js';

interface Upstream {
  url: string;
  seen: { path: string; headers: IncomingHttpHeaders }[];
  close: () => Promise<void>;
}

let upstream: Upstream | undefined;
afterEach(async () => {
  await upstream?.close();
  upstream = undefined;
});

async function serve(answer: (path: string, res: ServerResponse) => void): Promise<Upstream> {
  const seen: Upstream['seen'] = [];
  const open = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    seen.push({ path: req.url ?? '', headers: req.headers });
    open.add(res);
    res.on('close', () => open.delete(res));
    answer(req.url ?? '', res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise((resolve) => {
        for (const res of open) res.destroy();
        server.close(() => resolve());
      }),
  };
}

const client = (url: string, policy: { timeoutMs?: number; maxResponseBytes?: number }, token?: string) =>
  new SafeClient(
    checkUrl(url, ['127.0.0.1']),
    {
      allowedHosts: ['127.0.0.1'],
      timeoutMs: policy.timeoutMs ?? 5_000,
      maxResponseBytes: policy.maxResponseBytes ?? 1024,
    },
    new Limiter(2),
    token,
  );

const failure = async (promise: Promise<unknown>): Promise<SourceError> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SourceError) return error;
    throw error;
  }
  throw new Error('expected a SourceError');
};

describe('the fetch policy for URL sources', () => {
  it('gives up on an upstream that never answers, saying after how long', async () => {
    upstream = await serve(() => {
      // Never answers: the client's timeout must end the call.
    });
    const error = await failure(client(upstream.url, { timeoutMs: 200 }).json('/overview', z.unknown()));
    expect(error.reason).toBe('unavailable');
    expect(error.message).toBe(`GET /overview on ${new URL(upstream.url).host}: no answer within 200 ms`);
  });

  it('refuses a response larger than the cap, declared or streamed', async () => {
    const big = JSON.stringify({ padding: 'x'.repeat(2000) });
    upstream = await serve((path, res) => {
      if (path === '/declared') res.writeHead(200, { 'content-length': Buffer.byteLength(big) });
      else res.writeHead(200); // chunked: no length to check before reading
      res.end(big);
    });
    const c = client(upstream.url, { maxResponseBytes: 1024 });
    for (const path of ['/declared', '/streamed']) {
      const error = await failure(c.json(path, z.unknown()));
      expect(error.reason).toBe('unavailable');
      expect(error.message).toContain('response larger than 1024 bytes');
    }
    // Within the cap the same client reads the answer.
    await upstream.close();
    upstream = await serve((_path, res) => res.end('{"jobs":[]}'));
    expect(await client(upstream.url, {}).json('/jobs', z.object({ jobs: z.array(z.unknown()) }))).toEqual({
      jobs: [],
    });
  });

  it('sends the token to its own origin only, never to a path that names another host', async () => {
    upstream = await serve((_path, res) => res.end('{}'));
    const c = client(upstream.url, {}, 'secret-token');
    await c.json('/overview', z.unknown());
    expect(upstream.seen.map((r) => r.headers.authorization)).toEqual(['Bearer secret-token']);
    const error = await failure(c.json('//elsewhere.example/overview', z.unknown()));
    expect(error.reason).toBe('forbidden');
    expect(upstream.seen).toHaveLength(1);
  });
});

describe('Limiter', () => {
  it('runs at most its limit at once and every task in turn', async () => {
    const limiter = new Limiter(2);
    let running = 0;
    let most = 0;
    const release: (() => void)[] = [];
    const started: number[] = [];
    const tasks = [0, 1, 2, 3, 4].map((i) =>
      limiter.run(async () => {
        running++;
        most = Math.max(most, running);
        started.push(i);
        await new Promise<void>((resolve) => release.push(resolve));
        running--;
        return i;
      }),
    );
    // Let the first two start; the other three wait their turn.
    await Promise.resolve();
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    while (started.length < 5 || release.length > 0) {
      const next = release.shift();
      if (next) next();
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    expect(await Promise.all(tasks)).toEqual([0, 1, 2, 3, 4]);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(most).toBe(2);
  });
});
