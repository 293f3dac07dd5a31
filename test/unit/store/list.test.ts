/**
 * Listing and search on a real SQLite file: every strategy the list uses (rowid order through an
 * index, sorting a few matches, walking the sort index past many) must give the same rows as a
 * plain filter-and-sort of all names.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/store/database.js';
import {
  EstimationStore,
  InvalidCursorError,
  type ListQuery,
  type StoredEstimationListItem,
} from '../../../src/store/estimations.js';
import { MATCH_SORT_LIMIT } from '../../../src/store/list.js';
import { foldName, nameSortKey } from '../../../src/store/names.js';

let dir: string;
let db: Database;
let store: EstimationStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fe-list-'));
  db = openDatabase(join(dir, 'list.db'));
  store = new EstimationStore(db);
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const base = Date.parse('2026-01-01T00:00:00Z');
const add = (name: string, i = 0) =>
  store.create(
    { name, spec: { n: i }, estimate: { n: i }, summary: { n: i }, modelVersion: 'm' },
    new Date(base + i * 1000),
  );

/** Every page of a query, following nextCursor. */
function walk(query: ListQuery): StoredEstimationListItem[][] {
  const pages: StoredEstimationListItem[][] = [];
  let cursor: string | undefined;
  do {
    const page = store.list({ ...query, cursor });
    pages.push(page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && pages.length < 1000);
  return pages;
}

const names = (pages: StoredEstimationListItem[][]) => pages.flat().map((i) => i.name);

/** What a list must show: matching names by key (then creation order), computed without SQL. */
function expected(all: string[], q: string, sort: 'name' | 'createdAt', order: 'asc' | 'desc'): string[] {
  const needle = foldName(q.trim()); // as the store takes a query: surrounding spaces are not part of it
  const rows = all.map((name, seq) => ({ name, seq })).filter((r) => foldName(r.name).includes(needle));
  const key = (r: { name: string; seq: number }) => (sort === 'name' ? nameSortKey(r.name) : '');
  rows.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.seq - b.seq));
  if (order === 'desc') rows.reverse();
  return rows.map((r) => r.name);
}

describe('search', () => {
  const NAMES = ['Orders enrichment', 'orders CDC', 'Clicks 2', 'Clicks 10', 'Überwachung', 'x', 'ab tests'];

  it('finds any part of the name from one character up, through every index', () => {
    NAMES.forEach(add);
    for (const q of ['x', 'c', 'ab', 'CD', 'ders', 'ÜBER', 'u\u0308ber', 'icks 1', 'nothing']) {
      for (const sort of ['name', 'createdAt'] as const) {
        expect(names(walk({ limit: 2, q, sort })), `${q} by ${sort}`).toEqual(
          expected(NAMES, q, sort, sort === 'name' ? 'asc' : 'desc'),
        );
      }
    }
    // Input is text, never query syntax.
    expect(names(walk({ limit: 5, q: '"AND OR *' }))).toEqual([]);
  });

  it('gives the same pages sorting few matches as walking the index past many', () => {
    // More matches than MATCH_SORT_LIMIT for "job" and "jo", few for the numbered ones.
    const all = Array.from({ length: MATCH_SORT_LIMIT + 50 }, (_, i) => `job ${(i * 7919) % 1500}`);
    db.transaction(() => all.forEach(add))();
    for (const q of ['job', 'jo', 'b 1', '12', '7']) {
      for (const order of ['asc', 'desc'] as const) {
        const pages = walk({ limit: 100, q, sort: 'name', order });
        expect(names(pages), `${q} ${order}`).toEqual(expected(all, q, 'name', order));
      }
    }
  });

  it('counts the matches of a page once, and only where the page needs them', () => {
    const all = Array.from({ length: MATCH_SORT_LIMIT + 50 }, (_, i) => `job ${(i * 7919) % 1500}`);
    db.transaction(() => all.forEach(add))();
    // Every match count the store runs, by statement: better-sqlite3 prepares through db.prepare.
    let counts = 0;
    const prepare = db.prepare.bind(db);
    db.prepare = ((sql: string) => {
      const stmt = prepare(sql);
      if (!sql.includes('count(*)')) return stmt;
      const get = stmt.get.bind(stmt);
      stmt.get = ((...args: unknown[]) => {
        counts += 1;
        return get(...args);
      }) as typeof stmt.get;
      return stmt;
    }) as typeof db.prepare;
    const counted = (query: ListQuery, cap: number) => {
      counts = 0;
      const { matches, searched } = store.listCounted(query, cap);
      return { matches, searched, counts };
    };
    const few = expected(all, 'b 1', 'name', 'asc').length;
    expect(few).toBeLessThan(MATCH_SORT_LIMIT);
    // A page asking for its count counts once, whatever the sort.
    expect(counted({ limit: 10, q: 'job', sort: 'name' }, 1001)).toEqual({
      matches: 1001,
      searched: true,
      counts: 1,
    });
    expect(counted({ limit: 10, q: 'b 1', sort: 'updatedAt' }, 1001)).toEqual({
      matches: few,
      searched: true,
      counts: 1,
    });
    expect(counted({ limit: 10, q: 'job', sort: 'createdAt' }, 1001)).toEqual({
      matches: 1001,
      searched: true,
      counts: 1,
    });
    // Capped below the strategy's own count, the answer is still capped where asked.
    expect(counted({ limit: 10, q: 'job', sort: 'name' }, 20)).toEqual({
      matches: 20,
      searched: true,
      counts: 1,
    });
    // No search (or one that folds to nothing): the kept total, no count.
    expect(counted({ limit: 10 }, 1001)).toEqual({ matches: all.length, searched: false, counts: 0 });
    expect(counted({ limit: 10, q: '  ' }, 1001)).toEqual({
      matches: all.length,
      searched: false,
      counts: 0,
    });
    // A list without a count asked for counts only where the strategy needs it.
    counts = 0;
    store.list({ limit: 10, q: 'job', sort: 'createdAt' });
    expect(counts).toBe(0);
    store.list({ limit: 10, q: 'job', sort: 'updatedAt' });
    expect(counts).toBe(1);
    // Sorted by name, the matches come in name order from their own index: nothing to choose.
    counts = 0;
    store.list({ limit: 10, q: 'job', sort: 'name' });
    store.list({ limit: 10, q: 'jo', sort: 'name', order: 'desc' });
    expect(counts).toBe(0);
  });

  it('follows renames and deletes in both the trigram and the short-substring index', () => {
    const a = add('alpha');
    add('beta');
    store.update(a.id, { name: 'omega' });
    expect(names(walk({ limit: 10, q: 'alp' }))).toEqual([]);
    expect(names(walk({ limit: 10, q: 'al' }))).toEqual([]);
    expect(names(walk({ limit: 10, q: 'om' }))).toEqual(['omega']);
    expect(names(walk({ limit: 10, q: 'a' }))).toEqual(['beta', 'omega']);
    store.delete(a.id);
    expect(names(walk({ limit: 10, q: 'ome' }))).toEqual([]);
    expect(names(walk({ limit: 10, q: 'o' }))).toEqual([]);
    expect(db.prepare('SELECT count(*) AS n FROM estimation_grams').get()).toEqual({ n: 7 });
  });
});

describe('pages', () => {
  it('go forwards and back by cursor, with the position of each page', () => {
    for (let i = 0; i < 23; i++) add(`job ${i}`, i);
    const first = store.list({ limit: 10, sort: 'name' });
    expect(first).toMatchObject({ start: 0, prevCursor: null });
    const second = store.list({ limit: 10, sort: 'name', cursor: first.nextCursor ?? '' });
    const third = store.list({ limit: 10, sort: 'name', cursor: second.nextCursor ?? '' });
    expect(third.items.map((i) => i.name)).toEqual(['job 20', 'job 21', 'job 22']);
    expect([second.start, third.start, third.nextCursor]).toEqual([10, 20, null]);
    const back = store.list({ limit: 10, sort: 'name', cursor: third.prevCursor ?? '' });
    expect(back.items).toEqual(second.items);
    expect(back.start).toBe(10);
    const backAgain = store.list({ limit: 10, sort: 'name', cursor: back.prevCursor ?? '' });
    expect(backAgain).toEqual(first);
  });

  it('show the first page when a previous page has gone', () => {
    const rows = Array.from({ length: 15 }, (_, i) => add(`r${i}`, i));
    const first = store.list({ limit: 10 });
    const second = store.list({ limit: 10, cursor: first.nextCursor ?? '' });
    for (const row of rows.slice(10)) store.delete(row.id);
    const back = store.list({ limit: 10, cursor: second.prevCursor ?? '' });
    expect(back.start).toBe(0);
    expect(back.items.map((i) => i.name)).toEqual([
      'r9',
      'r8',
      'r7',
      'r6',
      'r5',
      'r4',
      'r3',
      'r2',
      'r1',
      'r0',
    ]);
  });

  it('refuse a cursor made for another sort or order, or not made here', () => {
    for (let i = 0; i < 3; i++) add(`n${i}`);
    const { nextCursor } = store.list({ limit: 1, sort: 'name' });
    expect(nextCursor).not.toBeNull();
    const cursor = nextCursor ?? '';
    expect(() => store.list({ limit: 1, sort: 'updatedAt', cursor })).toThrow(InvalidCursorError);
    expect(() => store.list({ limit: 1, sort: 'name', order: 'desc', cursor })).toThrow(InvalidCursorError);
    expect(() => store.list({ limit: 1, cursor: 'bm90LWEtY3Vyc29y' })).toThrow(InvalidCursorError);
  });

  it('sort by update time, most recent first', () => {
    const a = add('a', 0);
    add('b', 1);
    store.update(a.id, { name: 'a2' }, undefined, new Date(base + 10_000));
    expect(names(walk({ limit: 1, sort: 'updatedAt' }))).toEqual(['a2', 'b']);
  });
});

describe('counts', () => {
  it('keep the total in step with writes and count search matches only up to a cap', () => {
    const rows = ['one', 'two', 'three', 'ones'].map((n) => add(n));
    expect(store.total()).toBe(4);
    store.delete(rows[0]?.id ?? '');
    expect(store.total()).toBe(3);
    expect(store.listCounted({ q: 'o', limit: 1 }, 100).matches).toBe(2);
    expect(store.listCounted({ q: 'e', limit: 1 }, 100).matches).toBe(2);
    expect(store.listCounted({ q: 'e', limit: 1 }, 1).matches).toBe(1);
    expect(store.listCounted({ q: 'ne', limit: 1 }, 100).matches).toBe(1);
    expect(store.listCounted({ q: 'ones', limit: 1 }, 100).matches).toBe(1);
  });
});

describe('search in name order', () => {
  /** A few hundred varied names: numbers (natural order), Unicode, names under three characters. */
  function variedNames(): string[] {
    const words = ['orders', 'Clicks', 'Überwachung', 'données', '注文', 'top-N', 'ab', 'x', 'Ω', 'job'];
    const names: string[] = [];
    for (let i = 0; i < 300; i++) {
      const a = words[(i * 7) % words.length] ?? '';
      const b = words[(i * 3 + 1) % words.length] ?? '';
      names.push(
        i % 11 === 0
          ? a.slice(0, 2)
          : i % 5 === 0
            ? `${a} ${i % 40}`
            : i % 3 === 0
              ? `${b} ${a} v${(i * 13) % 17}`
              : `${a}${b} #${i}`,
      );
    }
    return names;
  }
  const QUERIES = [
    'o',
    'x',
    'ab',
    'Ü',
    'dé',
    '注',
    '注文',
    'Ω',
    '1',
    '12',
    'v1',
    'ord',
    'ORDERS',
    'clicks ',
    'ü',
    'zz',
  ];

  /** Rank order is name order: every row, by (name_key, seq). */
  function expectRanksInNameOrder() {
    const byRank = db.prepare('SELECT seq FROM estimations ORDER BY name_rank').pluck().all();
    const byName = db.prepare('SELECT seq FROM estimations ORDER BY name_key, seq').pluck().all();
    expect(byRank).toEqual(byName);
    const grams = (table: string) => db.prepare(`SELECT count(*) FROM ${table}`).pluck().get();
    expect(grams('estimation_name_grams')).toBe(grams('estimation_grams'));
  }

  function expectSameAsReference(all: string[]) {
    for (const q of QUERIES) {
      for (const order of ['asc', 'desc'] as const) {
        expect(names(walk({ limit: 7, q, sort: 'name', order })), `${q} ${order}`).toEqual(
          expected(all, q, 'name', order),
        );
      }
    }
  }

  it('gives the rows a plain filter and sort gives, page by page, through writes', () => {
    const all = variedNames();
    db.transaction(() => all.forEach(add))();
    expectRanksInNameOrder();
    expectSameAsReference(all);
    // Renames move a row in the order (and between the indexes); deletes leave it out.
    const rows = store.list({ limit: 100, sort: 'createdAt', order: 'asc' }).items;
    for (const [i, row] of rows.entries()) {
      if (i % 4 === 0) {
        const name = `renamed ${all[i]} ${i}`;
        store.update(row.id, { name });
        all[i] = name;
      }
    }
    const kept = all.filter((_, i) => i % 9 !== 1 || i >= 100);
    rows.forEach((row, i) => {
      if (i % 9 === 1) store.delete(row.id);
    });
    expectRanksInNameOrder();
    expectSameAsReference(kept);
  });

  it('spreads the ranks out when names keep landing in the same gap, keeping the order', () => {
    const all = ['a', 'z'];
    all.forEach(add);
    const rankOf = (name: string) =>
      db.prepare('SELECT name_rank FROM estimations WHERE name = ?').pluck().get(name) as number;
    const first = rankOf('a');
    // Each "m n" sorts just before the one added before it (halving the gap each time); each
    // "n n" just after (a step at a time), then renames land there too.
    db.transaction(() => {
      for (let i = 60; i >= 1; i--) {
        all.push(`m ${i}`);
        add(`m ${i}`);
      }
      for (let i = 1; i <= 60; i++) {
        all.push(`n ${i}`);
        add(`n ${i}`);
      }
    })();
    expect(rankOf('a')).not.toBe(first);
    const named = store.list({ limit: 100, q: 'n ', sort: 'name' }).items;
    for (const [i, row] of named.slice(0, 30).entries()) {
      const name = `m ${100 - i}`;
      store.update(row.id, { name });
      all[all.indexOf(row.name)] = name;
    }
    expectRanksInNameOrder();
    for (const q of ['m', 'm 1', 'n', 'n 5', '6', ' 6', '0']) {
      for (const order of ['asc', 'desc'] as const) {
        expect(names(walk({ limit: 9, q, sort: 'name', order })), `${q} ${order}`).toEqual(
          expected(all, q, 'name', order),
        );
      }
    }
  });

  it('reads one page of matches from the rank indexes, never walking the name index', () => {
    add('job 1');
    // The plan of every list statement the store prepares, as better-sqlite3 prepares it.
    const plans: string[] = [];
    const prepare = db.prepare.bind(db);
    db.prepare = ((text: string) => {
      if (!text.includes('e.name_rank IN')) return prepare(text);
      const rows = prepare(`EXPLAIN QUERY PLAN ${text}`).all({ match: 'x', limit: 1 }) as Array<{
        detail: string;
      }>;
      plans.push(rows.map((p) => p.detail).join(' | '));
      return prepare(text);
    }) as typeof db.prepare;
    const fresh = new EstimationStore(db);
    plans.length = 0;
    fresh.list({ limit: 10, q: 'job', sort: 'name', order: 'desc' });
    fresh.list({ limit: 10, q: 'jo', sort: 'name' });
    db.prepare = prepare;
    expect(plans).toHaveLength(2);
    expect(plans[0]).toMatch(/SCAN estimations_name_fts VIRTUAL TABLE/);
    expect(plans[1]).toMatch(/SEARCH estimation_name_grams USING PRIMARY KEY \(gram=\?\)/);
    for (const plan of plans) {
      expect(plan).toContain('SEARCH e USING INDEX estimations_name_rank (name_rank=?)');
      expect(plan.split(' | ')).not.toContain('SCAN e');
    }
  });
});
