import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ServerProcess, startServer } from '../support/server.js';

let dir: string;
let databasePath: string;
const servers: ServerProcess[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fe-lifecycle-'));
  databasePath = join(dir, 'live.db');
});
afterEach(async () => {
  for (const s of servers.splice(0)) {
    if (s.child.exitCode === null && s.child.signalCode === null) {
      s.child.kill('SIGKILL');
      await s.exited;
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

const spec = {
  workload: { sources: 1, operators: 2, sinks: 1, recordsPerSecond: 20000, avgRecordBytes: 300 },
};

async function save(url: string, name: string): Promise<string | undefined> {
  try {
    const res = await fetch(`${url}/api/v1/estimations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name, spec }),
    });
    if (res.status !== 201) return undefined;
    return ((await res.json()) as { id: string }).id;
  } catch {
    return undefined; // the connection died with the server: not acknowledged
  }
}

describe('crash safety', () => {
  it('loses no acknowledged save when SIGKILLed mid-write, and the file stays intact', async () => {
    const first = await startServer({ DATABASE_PATH: databasePath });
    servers.push(first);
    const acknowledged: string[] = [];
    let stop = false;
    let enough: () => void = () => {};
    const reachedEnough = new Promise<void>((resolve) => {
      enough = resolve;
    });
    const writers = Array.from({ length: 8 }, async (_, w) => {
      for (let i = 0; !stop; i++) {
        const id = await save(first.url, `writer ${w} save ${i}`);
        if (id) acknowledged.push(id);
        if (acknowledged.length >= 60) enough();
      }
    });
    await reachedEnough;
    first.child.kill('SIGKILL'); // writes are still in flight from the other writers
    await first.exited;
    stop = true;
    await Promise.all(writers);
    expect(acknowledged.length).toBeGreaterThanOrEqual(60);

    const db = new BetterSqlite3(databasePath);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();

    const second = await startServer({ DATABASE_PATH: databasePath });
    servers.push(second);
    for (const id of acknowledged) {
      const res = await fetch(`${second.url}/api/v1/estimations/${id}`);
      expect(res.status, `acknowledged save ${id} is missing after restart`).toBe(200);
    }
  });
});

/**
 * Sends the headers of a POST with `Expect: 100-continue`, waits until the server has parsed
 * them (it answers 100 Continue), and returns a function that sends the body and resolves with
 * the final status. That makes "a request in flight" an observable fact instead of a race.
 */
function startRequestInFlight(url: string, body: string): Promise<() => Promise<number>> {
  const { hostname, port } = new URL(url);
  return new Promise((resolveStarted, reject) => {
    const req = request({
      hostname,
      port,
      method: 'POST',
      path: '/api/v1/estimates',
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        expect: '100-continue',
      },
    });
    const finished = new Promise<number>((resolve, rejectFinished) => {
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', rejectFinished);
    });
    req.on('error', reject);
    req.on('continue', () =>
      resolveStarted(() => {
        req.end(body);
        return finished;
      }),
    );
    req.flushHeaders();
  });
}

describe('graceful shutdown', () => {
  it('finishes in-flight requests on SIGTERM, then exits 0', async () => {
    const server = await startServer({ DATABASE_PATH: databasePath });
    servers.push(server);
    const body = JSON.stringify(spec);
    const inFlight = await Promise.all(
      Array.from({ length: 5 }, () => startRequestInFlight(server.url, body)),
    );
    server.child.kill('SIGTERM');
    const statuses = await Promise.all(inFlight.map((finish) => finish()));
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    const { code } = await server.exited;
    expect(code).toBe(0);
    expect(server.output()).toContain('shutting down');
  });

  it('stops with one clear line when a variable is invalid', async () => {
    await expect(startServer({ DATABASE_PATH: databasePath, PORT: 'eighty' })).rejects.toThrow(
      /flink-estimator: Invalid configuration: PORT/,
    );
  });
});
