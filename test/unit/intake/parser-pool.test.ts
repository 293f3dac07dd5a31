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
  it('stops its worker after the idle time without a script, and starts it again for the next', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    pool = new ParserPool({ timeoutMs: 60_000, idleMs: 1000 });
    expect(pool.running).toBe(false);
    const first = await pool.analyze(SCRIPT);
    expect(pool.running).toBe(true);
    vi.advanceTimersByTime(999);
    expect(pool.running).toBe(true);
    vi.advanceTimersByTime(1);
    expect(pool.running).toBe(false);
    // The same answer from the new worker (parseMs aside: that is a timing).
    expect({ ...(await pool.analyze(SCRIPT)), parseMs: 0 }).toEqual({ ...first, parseMs: 0 });
    expect(pool.running).toBe(true);
  }, 60_000);

  it('keeps the worker while scripts keep coming within the idle time', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    pool = new ParserPool({ timeoutMs: 60_000, idleMs: 1000 });
    await pool.analyze(SCRIPT);
    vi.advanceTimersByTime(900);
    await pool.analyze(SCRIPT);
    vi.advanceTimersByTime(900);
    expect(pool.running).toBe(true);
  }, 60_000);
});
