import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/store/database.js';
import { EstimationStore, InvalidCursorError, VERSION_CONFLICT } from '../../../src/store/estimations.js';

let dir: string;
let path: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fe-store-'));
  path = join(dir, 'store.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const sample = (name: string, owner?: string) => ({
  name,
  spec: { workload: { sources: 1, operators: 1, sinks: 1, recordsPerSecond: 1000, avgRecordBytes: 100 } },
  estimate: { modelVersion: 'm1', taskManagers: { count: 2 } },
  summary: { taskManagers: 2 },
  modelVersion: 'm1',
  owner: owner ?? null,
});

describe('EstimationStore on a real SQLite file', () => {
  it('lists each row with every field it was stored with, in every sort', () => {
    const db = openDatabase(path);
    const store = new EstimationStore(db);
    const created = store.create(sample('Orders pipeline', 'alice'), new Date('2026-01-01T00:00:00Z'));
    store.update(created.id, { name: 'Orders v2' }, 1, new Date('2026-01-02T00:00:00Z'));
    // The list reads its columns as arrays (list.ts listRow): each field must land in its place.
    const expected = {
      id: created.id,
      name: 'Orders v2',
      summaryJson: '{"taskManagers":2}',
      modelVersion: 'm1',
      owner: 'alice',
      version: 2,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-02T00:00:00.000Z',
    };
    for (const sort of ['createdAt', 'updatedAt', 'name'] as const) {
      expect(store.list({ limit: 5, sort }).items).toEqual([expected]);
      expect(store.list({ limit: 5, sort, q: 'v2' }).items).toEqual([expected]);
    }
    db.close();
  });

  it('creates, reads, updates and deletes, persisting across reopen', () => {
    let db = openDatabase(path);
    let store = new EstimationStore(db);
    const created = store.create(sample('Orders pipeline'), new Date('2026-01-01T00:00:00Z'));
    expect(created.id).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(created.createdAt).toBe('2026-01-01T00:00:00.000Z');
    expect(created.version).toBe(1);
    db.close();

    db = openDatabase(path);
    store = new EstimationStore(db);
    expect(store.get(created.id)?.spec).toEqual(sample('x').spec);
    const renamed = store.update(created.id, { name: 'Orders v2' }, 1, new Date('2026-01-02T00:00:00Z'));
    expect(renamed).toMatchObject({ name: 'Orders v2', version: 2, updatedAt: '2026-01-02T00:00:00.000Z' });
    expect(store.update(created.id, { name: 'stale' }, 1)).toBe(VERSION_CONFLICT);
    expect(store.get(created.id)?.name).toBe('Orders v2');
    expect(store.update('missing', { name: 'x' })).toBeUndefined();
    expect(store.delete(created.id, 1)).toBe(VERSION_CONFLICT);
    expect(store.delete(created.id, 2)).toBe(true);
    expect(store.get(created.id)).toBeUndefined();
    expect(store.delete(created.id)).toBe(false);
    db.close();
  });

  it('pages with a keyset cursor in order, without gaps or repeats', () => {
    const db = openDatabase(path);
    const store = new EstimationStore(db);
    const base = Date.parse('2026-01-01T00:00:00Z');
    // Some share a timestamp so the tiebreaker matters.
    for (let i = 0; i < 25; i++)
      store.create(sample(`job ${String(i).padStart(2, '0')}`), new Date(base + Math.floor(i / 3) * 1000));
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = store.list({ limit: 7, cursor });
      seen.push(...page.items.map((i) => i.name));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(25);
    expect(new Set(seen).size).toBe(25);
    expect(seen[0]).toBe('job 24');
    expect(seen.at(-1)).toBe('job 00');

    const byName = store.list({ limit: 5, sort: 'name', order: 'asc' });
    expect(byName.items.map((i) => i.name)).toEqual(['job 00', 'job 01', 'job 02', 'job 03', 'job 04']);
    const next = store.list({ limit: 5, sort: 'name', order: 'asc', cursor: byName.nextCursor ?? undefined });
    expect(next.items[0]?.name).toBe('job 05');
    db.close();
  });

  it('searches names case-insensitively by substring, short and long, with hostile input', () => {
    const db = openDatabase(path);
    const store = new EstimationStore(db);
    for (const name of [
      'Clickstream ENRICHMENT',
      'fraud detection',
      'Enrich CDC',
      '100% "quoted" _x_',
      'Überwachung',
    ]) {
      store.create(sample(name));
    }
    const names = (q: string) =>
      store
        .list({ limit: 50, q })
        .items.map((i) => i.name)
        .sort();
    expect(names('enrich')).toEqual(['Clickstream ENRICHMENT', 'Enrich CDC']);
    expect(names('cd')).toEqual(['Enrich CDC']);
    expect(names('%')).toEqual(['100% "quoted" _x_']);
    expect(names('"quoted"')).toEqual(['100% "quoted" _x_']);
    expect(names('_x_')).toEqual(['100% "quoted" _x_']);
    expect(names('überw')).toEqual(['Überwachung']);
    expect(names('nothing here')).toEqual([]);
    expect(names('AND OR NOT *')).toEqual([]);
    expect(store.listCounted({ q: 'enrich', limit: 1 }, 100).matches).toBe(2);
    expect(store.total()).toBe(5);
    db.close();
  });

  it('keeps the search index in step with renames and deletes', () => {
    const db = openDatabase(path);
    const store = new EstimationStore(db);
    const a = store.create(sample('alpha pipeline'));
    store.update(a.id, { name: 'omega pipeline' });
    expect(store.list({ limit: 10, q: 'alpha' }).items).toHaveLength(0);
    expect(store.list({ limit: 10, q: 'omega' }).items).toHaveLength(1);
    store.delete(a.id);
    expect(store.list({ limit: 10, q: 'omega' }).items).toHaveLength(0);
    db.close();
  });

  it('rejects a cursor it did not issue', () => {
    const db = openDatabase(path);
    const store = new EstimationStore(db);
    expect(() => store.list({ limit: 10, cursor: 'bm90LWEtY3Vyc29y' })).toThrow(InvalidCursorError);
    expect(() => store.list({ limit: 10, cursor: '!!!' })).toThrow(InvalidCursorError);
    db.close();
  });
});

describe('openDatabase', () => {
  it('uses WAL and full synchronous writes', () => {
    const db = openDatabase(path);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });
});
