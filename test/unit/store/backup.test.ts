import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backupDatabase } from '../../../src/store/backup.js';
import { openDatabase } from '../../../src/store/database.js';
import { EstimationStore } from '../../../src/store/estimations.js';

const run = promisify(execFile);
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fe-backup-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const row = (i: number) => ({
  name: `job ${i}`,
  spec: { i },
  estimate: { i },
  summary: {},
  modelVersion: 'm',
});

describe('online backup', () => {
  it('copies every committed row while the source stays open for writes', async () => {
    const source = join(dir, 'live.db');
    const db = openDatabase(source);
    const store = new EstimationStore(db);
    for (let i = 0; i < 200; i++) store.create(row(i));
    const target = join(dir, 'copy.db');
    await backupDatabase(source, target);
    store.create(row(999)); // the live database keeps working
    db.close();

    const copy = new BetterSqlite3(target, { readonly: true });
    expect((copy.prepare('SELECT count(*) AS n FROM estimations').get() as { n: number }).n).toBe(200);
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
    copy.close();
  });

  it('refuses to overwrite an existing file', async () => {
    const source = join(dir, 'live.db');
    openDatabase(source).close();
    await expect(backupDatabase(source, source)).rejects.toThrow(/already exists/);
  });

  it('runs as `npm run backup -- <file>` against DATABASE_PATH', async () => {
    const source = join(dir, 'live.db');
    const db = openDatabase(source);
    new EstimationStore(db).create(row(1));
    const target = join(dir, 'cli-copy.db');
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/backup.ts', target], {
      env: { ...process.env, DATABASE_PATH: source },
    });
    db.close();
    expect(stdout).toContain(`to ${target}`);
    const copy = new BetterSqlite3(target, { readonly: true });
    expect((copy.prepare('SELECT name FROM estimations').get() as { name: string }).name).toBe('job 1');
    copy.close();
  });
});
