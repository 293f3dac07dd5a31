import type { Database } from 'better-sqlite3';
import { foldName, nameSortKey, shortGrams } from './names.js';

/**
 * Ordered schema migrations, tracked with PRAGMA user_version (the Signal Desktop pattern):
 * migration N brings the schema from version N-1 to N. Never edit a released migration; add one.
 */
export const migrations: ReadonlyArray<(db: Database) => void> = [
  // 1: saved estimations.
  (db) => {
    db.exec(`
      CREATE TABLE estimations (
        seq           INTEGER PRIMARY KEY,
        id            TEXT    NOT NULL UNIQUE,
        name          TEXT    NOT NULL,
        spec          TEXT    NOT NULL,
        estimate      TEXT    NOT NULL,
        summary       TEXT    NOT NULL,
        model_version TEXT    NOT NULL,
        created_at    TEXT    NOT NULL,
        updated_at    TEXT    NOT NULL
      );
      CREATE INDEX estimations_created ON estimations (created_at, seq);
      CREATE INDEX estimations_updated ON estimations (updated_at, seq);
    `);
  },
  // 2: owners (optional authentication), optimistic-concurrency versions, name sorting and
  //    substring search by name through an FTS5 trigram index.
  (db) => {
    db.exec(`
      ALTER TABLE estimations ADD COLUMN owner TEXT;
      ALTER TABLE estimations ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
      ALTER TABLE estimations ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
      UPDATE estimations SET name_key = lower(name);
      CREATE INDEX estimations_name ON estimations (name_key, seq);
      CREATE INDEX estimations_owner ON estimations (owner, created_at, seq);

      CREATE VIRTUAL TABLE estimations_fts USING fts5(
        name, content='estimations', content_rowid='seq', tokenize='trigram'
      );
      INSERT INTO estimations_fts (rowid, name) SELECT seq, name FROM estimations;
      CREATE TRIGGER estimations_fts_insert AFTER INSERT ON estimations BEGIN
        INSERT INTO estimations_fts (rowid, name) VALUES (new.seq, new.name);
      END;
      CREATE TRIGGER estimations_fts_delete AFTER DELETE ON estimations BEGIN
        INSERT INTO estimations_fts (estimations_fts, rowid, name) VALUES ('delete', old.seq, old.name);
      END;
      CREATE TRIGGER estimations_fts_update AFTER UPDATE OF name ON estimations BEGIN
        INSERT INTO estimations_fts (estimations_fts, rowid, name) VALUES ('delete', old.seq, old.name);
        INSERT INTO estimations_fts (rowid, name) VALUES (new.seq, new.name);
      END;
    `);
  },
  // 3: calibrations — immutable observations of running jobs (evidence the model learns from),
  //    optionally linked to a saved estimation. Updates are refused by the database itself.
  (db) => {
    db.exec(`
      CREATE TABLE calibrations (
        seq           INTEGER PRIMARY KEY,
        id            TEXT    NOT NULL UNIQUE,
        owner         TEXT,
        created_at    TEXT    NOT NULL,
        source_kind   TEXT    NOT NULL,
        source_host   TEXT,
        job_id        TEXT    NOT NULL,
        job_name      TEXT    NOT NULL,
        model_version TEXT    NOT NULL,
        estimation_id TEXT,
        observation   TEXT    NOT NULL,
        result        TEXT    NOT NULL
      );
      CREATE INDEX calibrations_owner ON calibrations (owner, seq);
      CREATE INDEX calibrations_estimation ON calibrations (estimation_id, seq);
      CREATE TRIGGER calibrations_immutable BEFORE UPDATE ON calibrations BEGIN
        SELECT RAISE(ABORT, 'calibrations are immutable observations');
      END;
    `);
  },
  // 4: a list or search reads small rows and indexes only. The spec and the estimate (tens of KB)
  //    move to estimation_documents, read only when one estimation is opened. Names gain a
  //    folded form (name_fold) that search runs on — trigram index for 3+ characters,
  //    estimation_grams for 1–2 — and a natural sort key (name_key: "job 2" before "job 10").
  //    The creation order is seq (rows are numbered as they are inserted), so the created_at
  //    index goes; the row count is kept by triggers so showing it never scans.
  (db) => {
    db.exec(`
      CREATE TABLE estimation_documents (
        seq      INTEGER PRIMARY KEY,
        spec     TEXT    NOT NULL,
        estimate TEXT    NOT NULL
      );
      INSERT INTO estimation_documents (seq, spec, estimate) SELECT seq, spec, estimate FROM estimations;

      DROP TRIGGER estimations_fts_insert;
      DROP TRIGGER estimations_fts_delete;
      DROP TRIGGER estimations_fts_update;
      DROP TABLE estimations_fts;
      DROP INDEX estimations_created;
      DROP INDEX estimations_owner;
      DROP INDEX estimations_name;
      ALTER TABLE estimations DROP COLUMN spec;
      ALTER TABLE estimations DROP COLUMN estimate;
      ALTER TABLE estimations ADD COLUMN name_fold TEXT NOT NULL DEFAULT '';

      CREATE TABLE estimation_grams (
        gram TEXT    NOT NULL,
        seq  INTEGER NOT NULL,
        PRIMARY KEY (gram, seq)
      ) WITHOUT ROWID;
    `);
    const rows = db.prepare('SELECT seq, name FROM estimations').all() as Array<{
      seq: number;
      name: string;
    }>;
    const setKeys = db.prepare('UPDATE estimations SET name_key = ?, name_fold = ? WHERE seq = ?');
    const addGram = db.prepare('INSERT INTO estimation_grams (gram, seq) VALUES (?, ?)');
    for (const { seq, name } of rows) {
      const folded = foldName(name);
      setKeys.run(nameSortKey(name), folded, seq);
      for (const gram of shortGrams(folded)) addGram.run(gram, seq);
    }
    db.exec(`
      CREATE INDEX estimations_name ON estimations (name_key, seq);

      -- Contentless: the index keeps no copy of the names. case_sensitive 1 because name_fold is
      -- already folded the way queries are (see names.ts), so the index and instr() agree.
      CREATE VIRTUAL TABLE estimations_fts USING fts5(
        name_fold, content='', contentless_delete=1, tokenize='trigram case_sensitive 1'
      );
      INSERT INTO estimations_fts (rowid, name_fold) SELECT seq, name_fold FROM estimations;

      CREATE TABLE estimation_count (
        one   INTEGER PRIMARY KEY CHECK (one = 1),
        total INTEGER NOT NULL
      );
      INSERT INTO estimation_count (one, total) SELECT 1, count(*) FROM estimations;

      CREATE TRIGGER estimations_insert AFTER INSERT ON estimations BEGIN
        INSERT INTO estimations_fts (rowid, name_fold) VALUES (new.seq, new.name_fold);
        UPDATE estimation_count SET total = total + 1;
      END;
      CREATE TRIGGER estimations_delete AFTER DELETE ON estimations BEGIN
        DELETE FROM estimations_fts WHERE rowid = old.seq;
        DELETE FROM estimation_documents WHERE seq = old.seq;
        UPDATE estimation_count SET total = total - 1;
      END;
      CREATE TRIGGER estimations_rename AFTER UPDATE OF name_fold ON estimations BEGIN
        DELETE FROM estimations_fts WHERE rowid = old.seq;
        INSERT INTO estimations_fts (rowid, name_fold) VALUES (new.seq, new.name_fold);
      END;
    `);
  },
  // 5: the Flink SQL script an estimation was made from (intake), as stored: secrets masked. NULL
  //    for one described by hand or from a plan. A document, so lists never read it.
  (db) => {
    db.exec('ALTER TABLE estimation_documents ADD COLUMN sql TEXT');
  },
  // 6: a calibration replays the same owner's earlier calibrations of its Flink job (the
  //    autoscaler's pending scale-downs, CalibrationStore.ofJob); without this index that read
  //    scanned every calibration.
  (db) => {
    db.exec('CREATE INDEX calibrations_job ON calibrations (job_id, owner, seq)');
  },
  // 7: the Flink plan (JSON text) an estimation was made from (intake), as stored: secrets masked.
  //    NULL for one described by hand or from SQL. A document, so lists never read it.
  (db) => {
    db.exec('ALTER TABLE estimation_documents ADD COLUMN plan TEXT');
  },
  // 8: a page sorted by name or by update time reads its rows from an index that holds every
  //    column a list shows, in sort order: one page is a few neighbouring index pages instead of
  //    one table page per row (at 100,000 rows the table is 50 MB, far beyond the page cache,
  //    and those reads were most of a page's time). name_fold rides along so a search walking
  //    either order tests names without reading the table. The update-time index it replaces
  //    goes; the small name index stays for walks that test the sort key alone.
  (db) => {
    db.exec(`
      CREATE INDEX estimations_name_rows ON estimations (
        name_key, seq, name_fold, id, name, summary, model_version, owner, version, created_at, updated_at
      );
      CREATE INDEX estimations_updated_rows ON estimations (
        updated_at, seq, name_fold, id, name, name_key, summary, model_version, owner, version, created_at
      );
      DROP INDEX estimations_updated;
    `);
  },
  // 9: a search sorted by name reads its matches in name order. Each row gets its rank in the name
  //    order (name_rank, kept with gaps by name-order.ts), and a second trigram index and a second
  //    short-substring table are keyed by it, so a MATCH returns ranks in order and a page stops
  //    after one page of matches instead of walking the name index (up to every row when the
  //    matches sit late in the order).
  (db) => {
    // 2^32 apart (name-order.ts RANK_SPACING, written out: a migration never changes), closer
    // only if that would not fit below 2^53 (over two million rows).
    const { n } = db.prepare('SELECT count(*) AS n FROM estimations').get() as { n: number };
    const spacing = Math.min(2 ** 32, Math.floor(2 ** 53 / (n + 2)));
    db.exec(`
      ALTER TABLE estimations ADD COLUMN name_rank INTEGER NOT NULL DEFAULT 0;
      UPDATE estimations SET name_rank = r.name_rank
        FROM (SELECT seq, row_number() OVER (ORDER BY name_key, seq) * ${spacing} AS name_rank FROM estimations) AS r
        WHERE r.seq = estimations.seq;
      CREATE INDEX estimations_name_rank ON estimations (name_rank);

      CREATE VIRTUAL TABLE estimations_name_fts USING fts5(
        name_fold, content='', contentless_delete=1, tokenize='trigram case_sensitive 1'
      );
      INSERT INTO estimations_name_fts (rowid, name_fold) SELECT name_rank, name_fold FROM estimations;
      CREATE TABLE estimation_name_grams (
        gram TEXT    NOT NULL,
        rank INTEGER NOT NULL,
        PRIMARY KEY (gram, rank)
      ) WITHOUT ROWID;
      -- Every short substring again, keyed by rank: looked up in a small table of ranks rather
      -- than the estimations table (at 100,000 rows, 7 million lookups), and inserted in key
      -- order so that each one appends to the new table's b-tree.
      CREATE TEMP TABLE ranks (seq INTEGER PRIMARY KEY, rank INTEGER NOT NULL);
      INSERT INTO temp.ranks (seq, rank) SELECT seq, name_rank FROM estimations;
      INSERT INTO estimation_name_grams (gram, rank)
        SELECT g.gram, r.rank FROM estimation_grams g JOIN temp.ranks r ON r.seq = g.seq ORDER BY g.gram, r.rank;
      DROP TABLE temp.ranks;

      CREATE TRIGGER estimations_name_insert AFTER INSERT ON estimations BEGIN
        INSERT INTO estimations_name_fts (rowid, name_fold) VALUES (new.name_rank, new.name_fold);
      END;
      CREATE TRIGGER estimations_name_delete AFTER DELETE ON estimations BEGIN
        DELETE FROM estimations_name_fts WHERE rowid = old.name_rank;
      END;
      CREATE TRIGGER estimations_name_move AFTER UPDATE OF name_rank, name_fold ON estimations BEGIN
        DELETE FROM estimations_name_fts WHERE rowid = old.name_rank;
        INSERT INTO estimations_name_fts (rowid, name_fold) VALUES (new.name_rank, new.name_fold);
      END;
    `);
  },
  // 10: both trigram indexes as one b-tree each. FTS5 writes every insert as a new small segment
  //    and merges segments of a level when `automerge` of them (default 4) pile up, so a query
  //    reads each trigram's postings from many segments: at 100,000 rows a newest-first match
  //    cost 0.27 ms and counting 1,000 matches 0.36 ms, 0.06 and 0.12 ms once merged. 'optimize'
  //    merges what a file has now; automerge 2 keeps about half as many segments from then on
  //    (https://sqlite.org/fts5.html#the_automerge_configuration_option).
  (db) => {
    for (const index of ['estimations_fts', 'estimations_name_fts']) {
      db.exec(`
        INSERT INTO ${index} (${index}, rank) VALUES ('automerge', 2);
        INSERT INTO ${index} (${index}) VALUES ('optimize');
      `);
    }
  },
];

export class FutureSchemaError extends Error {}

/** Applies every pending migration in one transaction; refuses a database from a newer release. */
export function migrate(db: Database, steps: ReadonlyArray<(db: Database) => void> = migrations): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > steps.length) {
    throw new FutureSchemaError(
      `Database schema version ${current} is newer than this release supports (${steps.length}); upgrade Flink Estimator.`,
    );
  }
  const apply = db.transaction(() => {
    for (let version = current; version < steps.length; version++) {
      steps[version]?.(db);
    }
    db.pragma(`user_version = ${steps.length}`);
  });
  apply.immediate();
  return steps.length;
}
