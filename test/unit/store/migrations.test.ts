/**
 * Upgrading a database file made by an earlier release: every row keeps its name, documents,
 * owner and version, and the new indexes find it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CalibrationStore } from '../../../src/store/calibrations.js';
import { openDatabase } from '../../../src/store/database.js';
import { EstimationStore } from '../../../src/store/estimations.js';
import { FutureSchemaError, migrate, migrations } from '../../../src/store/migrations.js';
import { foldName, nameSortKey, shortGrams } from '../../../src/store/names.js';

/** The file at `path` opened at schema version `version` (migrated no further). */
function openDatabaseAt(version: number) {
  const db = new BetterSqlite3(path);
  migrate(db, migrations.slice(0, version));
  return db;
}

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fe-migrate-'));
  path = join(dir, 'old.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A file at schema version 2 (documents inline in the row), with rows written the way that release wrote them. */
function makeVersion2File(rows: Array<{ id: string; name: string; owner: string | null; version: number }>) {
  const old = new BetterSqlite3(path);
  migrate(old, migrations.slice(0, 2));
  const insert = old.prepare(
    `INSERT INTO estimations (id, name, name_key, spec, estimate, summary, model_version, owner, version, created_at, updated_at)
     VALUES (@id, @name, lower(@name), @spec, @estimate, @summary, 'm2', @owner, @version, @at, @at)`,
  );
  rows.forEach((row, i) => {
    insert.run({
      ...row,
      spec: JSON.stringify({ spec: row.id }),
      estimate: JSON.stringify({ estimate: row.id, big: 'x'.repeat(2000) }),
      summary: JSON.stringify({ summary: row.id }),
      at: new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString(),
    });
  });
  old.close();
}

const ROWS = [
  { id: 'legacy-000000001', name: 'Orders 10', owner: null, version: 1 },
  { id: 'legacy-000000002', name: 'orders 9', owner: 'alice', version: 3 },
  { id: 'legacy-000000003', name: 'Clicks', owner: null, version: 2 },
];

describe('migrating a version-2 file', () => {
  it('keeps every row and its documents, and the new search and sort find them', () => {
    makeVersion2File(ROWS);
    const db = openDatabase(path);
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    const store = new EstimationStore(db);
    for (const row of ROWS) {
      expect(store.get(row.id)).toMatchObject({
        name: row.name,
        owner: row.owner,
        version: row.version,
        modelVersion: 'm2',
        spec: { spec: row.id },
        estimate: { estimate: row.id },
        summary: { summary: row.id },
      });
    }
    // The documents left the row: the list's table no longer has them.
    const columns = (db.pragma('table_info(estimations)') as Array<{ name: string }>).map((c) => c.name);
    expect(columns).not.toContain('spec');
    expect(columns).not.toContain('estimate');
    expect(store.total()).toBe(3);
    const listed = (q?: string) =>
      store.list({ limit: 10, sort: 'name', ...(q ? { q } : {}) }).items.map((i) => i.name);
    expect(listed()).toEqual(['Clicks', 'orders 9', 'Orders 10']);
    expect(listed('ORDERS')).toEqual(['orders 9', 'Orders 10']);
    expect(listed('ck')).toEqual(['Clicks']);
    expect(listed('1')).toEqual(['Orders 10']);
    // Newest first is insertion order, as created_at was.
    expect(store.list({ limit: 10 }).items.map((i) => i.id)).toEqual(ROWS.map((r) => r.id).reverse());
    // Writes after the upgrade keep every index in step.
    store.update('legacy-000000003', { name: 'Sessions' });
    expect(listed('cli')).toEqual([]);
    expect(listed('ss')).toEqual(['Sessions']);
    expect(store.delete('legacy-000000001')).toBe(true);
    expect(store.total()).toBe(2);
    expect(db.prepare('SELECT count(*) AS n FROM estimation_documents').get()).toEqual({ n: 2 });
    db.close();
  });

  it('upgrades a version-1 file in the same single pass', () => {
    const old = new BetterSqlite3(path);
    migrate(old, migrations.slice(0, 1));
    old
      .prepare(
        `INSERT INTO estimations (id, name, spec, estimate, summary, model_version, created_at, updated_at)
         VALUES ('legacy-id-000001', 'Legacy Job', '{"a":1}', '{"b":2}', '{}', 'm0', '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z')`,
      )
      .run();
    old.close();
    const db = openDatabase(path);
    const store = new EstimationStore(db);
    expect(store.get('legacy-id-000001')).toMatchObject({ spec: { a: 1 }, estimate: { b: 2 }, version: 1 });
    expect(store.list({ limit: 10, q: 'job' }).items.map((i) => i.id)).toEqual(['legacy-id-000001']);
    db.close();
  });

  it('leaves the file as it was when a migration fails part-way', () => {
    makeVersion2File(ROWS);
    const db = new BetterSqlite3(path);
    const failing = [
      ...migrations,
      () => {
        throw new Error('boom');
      },
    ];
    expect(() => migrate(db, failing)).toThrow('boom');
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    const columns = (db.pragma('table_info(estimations)') as Array<{ name: string }>).map((c) => c.name);
    expect(columns).toContain('estimate');
    db.close();
  });

  it('gives the documents of a version-4 file a script column that is null for every old row', () => {
    const old = new BetterSqlite3(path);
    migrate(old, migrations.slice(0, 4));
    old
      .prepare(
        `INSERT INTO estimations (seq, id, name, name_key, name_fold, summary, model_version, version, created_at, updated_at)
         VALUES (1, 'legacy-id-000004', 'before scripts', 'before scripts', 'before scripts', '{}', 'm4', 1, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`,
      )
      .run();
    old.prepare(`INSERT INTO estimation_documents (seq, spec, estimate) VALUES (1, '{"a":1}', '{}')`).run();
    old.close();
    const db = openDatabase(path);
    const store = new EstimationStore(db);
    expect(store.get('legacy-id-000004')).toMatchObject({
      name: 'before scripts',
      spec: { a: 1 },
      sql: null,
    });
    db.close();
  });

  it('indexes a version-5 file’s calibrations by job, so replaying a job’s history no longer scans them', () => {
    const old = new BetterSqlite3(path);
    migrate(old, migrations.slice(0, 5));
    const insert = old.prepare(
      `INSERT INTO calibrations (id, owner, created_at, source_kind, job_id, job_name, model_version, observation, result)
       VALUES (@id, @owner, @at, 'snapshot', @job, 'j', 'm5', '{}', @result)`,
    );
    const rows = [
      { id: 'c1', owner: 'alice', job: 'a'.repeat(32), at: '2026-01-01T00:00:00.000Z' },
      { id: 'c2', owner: 'alice', job: 'b'.repeat(32), at: '2026-01-01T00:01:00.000Z' },
      { id: 'c3', owner: 'alice', job: 'a'.repeat(32), at: '2026-01-01T00:02:00.000Z' },
      { id: 'c4', owner: null, job: 'a'.repeat(32), at: '2026-01-01T00:03:00.000Z' },
    ];
    for (const r of rows) insert.run({ ...r, result: JSON.stringify({ n: r.id }) });
    old.close();
    const db = openDatabase(path);
    expect(new CalibrationStore(db).ofJob('a'.repeat(32), 'alice')).toEqual([
      { createdAt: '2026-01-01T00:00:00.000Z', result: { n: 'c1' } },
      { createdAt: '2026-01-01T00:02:00.000Z', result: { n: 'c3' } },
    ]);
    const plan = db
      .prepare(
        'EXPLAIN QUERY PLAN SELECT created_at, result FROM calibrations WHERE job_id = ? AND owner IS ? ORDER BY seq DESC LIMIT 200',
      )
      .all('a'.repeat(32), 'alice') as Array<{ detail: string }>;
    const details = plan.map((p) => p.detail).join(' | ');
    expect(details).toContain('USING INDEX calibrations_job');
    expect(details).not.toContain('TEMP B-TREE'); // the index also gives the order
    db.close();
  });

  it('gives a version-7 file indexes holding every listed column, so a page sorted by name or update time never reads the table', () => {
    const old = new BetterSqlite3(path);
    migrate(old, migrations.slice(0, 7));
    old.close();
    const db = openDatabase(path);
    const store = new EstimationStore(db);
    const at = Date.parse('2026-01-01T00:00:00Z');
    for (const [i, name] of ['job 10', 'job 2', 'Alpha'].entries()) {
      store.create(
        { name, spec: {}, estimate: {}, summary: { i }, modelVersion: 'm' },
        new Date(at + i * 1000),
      );
    }
    expect(store.list({ limit: 2, sort: 'name' }).items.map((r) => r.name)).toEqual(['Alpha', 'job 2']);
    expect(store.list({ limit: 5, sort: 'updatedAt' }).items.map((r) => JSON.parse(r.summaryJson))).toEqual([
      { i: 2 },
      { i: 1 },
      { i: 0 },
    ]);
    const columns =
      'seq, id, name, name_key, summary, model_version, owner, version, created_at, updated_at, name_fold';
    for (const [orderBy, index] of [
      ['name_key DESC, seq DESC', 'estimations_name_rows'],
      ['updated_at, seq', 'estimations_updated_rows'],
    ]) {
      const plan = db
        .prepare(`EXPLAIN QUERY PLAN SELECT ${columns} FROM estimations ORDER BY ${orderBy} LIMIT 20`)
        .all() as Array<{ detail: string }>;
      const details = plan.map((p) => p.detail).join(' | ');
      expect(details).toContain(`USING COVERING INDEX ${index}`);
      expect(details).not.toContain('TEMP B-TREE');
    }
    db.close();
  });

  it('ranks a version-8 file’s rows in name order, so a name-sorted search reads its matches in order', () => {
    const old = new BetterSqlite3(path);
    migrate(old, migrations.slice(0, 8));
    old.close();
    // Rows written by the version-8 store: every index but the name ranks, which it did not have.
    const names = ['job 10', 'job 2', 'Überwachung', 'ab', 'x', 'Job 2', 'orders', 'CDC orders 1'];
    {
      const v8 = openDatabaseAt(8);
      const insert = v8.prepare(
        `INSERT INTO estimations (id, name, name_key, name_fold, summary, model_version, version, created_at, updated_at)
         VALUES (@id, @name, @key, @fold, '{}', 'm8', 1, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`,
      );
      const gram = v8.prepare('INSERT INTO estimation_grams (gram, seq) VALUES (?, ?)');
      for (const [i, name] of names.entries()) {
        const { lastInsertRowid } = insert.run({
          id: `legacy-00000000${i}`,
          name,
          key: nameSortKey(name),
          fold: foldName(name),
        });
        for (const g of shortGrams(foldName(name))) gram.run(g, lastInsertRowid);
        v8.prepare(`INSERT INTO estimation_documents (seq, spec, estimate) VALUES (?, '{}', '{}')`).run(
          lastInsertRowid,
        );
      }
      v8.close();
    }
    const db = openDatabase(path);
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    const store = new EstimationStore(db);
    const listed = (q: string, order: 'asc' | 'desc' = 'asc') =>
      store.list({ limit: 3, q, sort: 'name', order }).items.map((i) => i.name);
    expect(listed('job')).toEqual(['job 2', 'Job 2', 'job 10']);
    expect(listed('job', 'desc')).toEqual(['job 10', 'Job 2', 'job 2']);
    expect(listed('o')).toEqual(['CDC orders 1', 'job 2', 'Job 2']);
    expect(listed('ü')).toEqual(['Überwachung']);
    expect(listed('ders')).toEqual(['CDC orders 1', 'orders']);
    // Rows written after the upgrade take their places among the old ones.
    store.create({ name: 'job 3', spec: {}, estimate: {}, summary: {}, modelVersion: 'm' });
    store.update('legacy-000000006', { name: 'job 1' });
    expect(listed('job')).toEqual(['job 1', 'job 2', 'Job 2']);
    expect(listed('jo', 'desc')).toEqual(['job 10', 'job 3', 'Job 2']);
    const ranks = db.prepare('SELECT name FROM estimations ORDER BY name_rank').pluck().all();
    const byKey = db.prepare('SELECT name FROM estimations ORDER BY name_key, seq').pluck().all();
    expect(ranks).toEqual(byKey);
    db.close();
  });

  it('merges a version-9 file’s trigram indexes and keeps them merged more closely', () => {
    const v9 = openDatabaseAt(9);
    const old = new EstimationStore(v9);
    // One write a transaction, as the app writes: each leaves a segment in both indexes.
    for (let i = 0; i < 40; i++) {
      old.create({ name: `orders ${i}`, spec: {}, estimate: {}, summary: {}, modelVersion: 'm9' });
    }
    v9.close();
    const db = openDatabase(path);
    for (const index of ['estimations_fts', 'estimations_name_fts']) {
      expect(db.prepare(`SELECT v FROM ${index}_config WHERE k = 'automerge'`).pluck().get()).toBe(2);
      expect(() => db.exec(`INSERT INTO ${index} (${index}) VALUES ('integrity-check')`)).not.toThrow();
    }
    const store = new EstimationStore(db);
    expect(store.list({ limit: 3, q: 'ders 1' }).items.map((i) => i.name)).toEqual([
      'orders 19',
      'orders 18',
      'orders 17',
    ]);
    expect(store.list({ limit: 3, q: 'ders 1', sort: 'name' }).items.map((i) => i.name)).toEqual([
      'orders 1',
      'orders 10',
      'orders 11',
    ]);
    db.close();
  });

  it('refuses a file from a newer release', () => {
    const db = new BetterSqlite3(path);
    db.pragma(`user_version = ${migrations.length + 1}`);
    db.close();
    expect(() => openDatabase(path)).toThrow(FutureSchemaError);
  });
});
