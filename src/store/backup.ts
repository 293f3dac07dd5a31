import { existsSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';

/**
 * Makes an online, consistent copy of a live database with SQLite's backup API: writers may
 * keep going while it runs, and the copy is a single self-contained file (no WAL needed).
 * Returns the number of pages copied.
 */
export async function backupDatabase(sourcePath: string, targetPath: string): Promise<number> {
  if (!existsSync(sourcePath)) throw new Error(`No database at ${sourcePath}`);
  if (existsSync(targetPath)) throw new Error(`${targetPath} already exists; choose a new file name`);
  const source = new BetterSqlite3(sourcePath, { readonly: true, fileMustExist: true });
  try {
    const result = await source.backup(targetPath);
    const copy = new BetterSqlite3(targetPath);
    try {
      // The copy inherits WAL mode; a backup file should stand alone.
      copy.pragma('journal_mode = DELETE');
      const check = copy.pragma('integrity_check', { simple: true });
      if (check !== 'ok') throw new Error(`Backup failed its integrity check: ${String(check)}`);
    } finally {
      copy.close();
    }
    return result.totalPages;
  } finally {
    source.close();
  }
}
