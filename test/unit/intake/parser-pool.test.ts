/**
 * The SQL parser's worker thread: it stops after its idle time without a script and comes back for
 * the next one. Real worker, real parser; only the idle timer is faked.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ParserPool } from '../../../src/intake/parser-pool.js';

const SCRIPT = `CREATE TABLE o (a BIGINT) WITH ('connector' = 'blackhole');
CREATE TABLE i (a BIGINT) WITH ('connector' = 'datagen');
INSERT INTO o SELECT a FROM i;`;

let pool: ParserPool | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await pool?.close();
});

describe('ParserPool', () => {
  // One test, as each worker start loads the grammar (about 2 s of CPU from the sources): the
  // idle time counts from the last script, the worker stops when it runs out, and comes back.
  it('keeps its worker while scripts come within the idle time, stops it after the idle time without one, and starts it again for the next', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    pool = new ParserPool({ timeoutMs: 60_000, idleMs: 1000 });
    expect(pool.running).toBe(false);
    const first = await pool.analyze(SCRIPT);
    expect(pool.running).toBe(true);
    vi.advanceTimersByTime(900);
    await pool.analyze(SCRIPT);
    // 1,800 ms after the first script, 900 after the second: still there.
    vi.advanceTimersByTime(900);
    expect(pool.running).toBe(true);
    vi.advanceTimersByTime(99);
    expect(pool.running).toBe(true);
    vi.advanceTimersByTime(1);
    expect(pool.running).toBe(false);
    // The same answer from the new worker (parseMs aside: that is a timing).
    expect({ ...(await pool.analyze(SCRIPT)), parseMs: 0 }).toEqual({ ...first, parseMs: 0 });
    expect(pool.running).toBe(true);
  }, 60_000);
});
