import { randomBytes } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';

/** A saved estimation as stored. `spec`, `estimate` and `summary` are the JSON the service wrote. */
export interface StoredEstimation {
  id: string;
  name: string;
  spec: unknown;
  estimate: unknown;
  summary: unknown;
  modelVersion: string;
  owner: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export type StoredEstimationListItem = Omit<StoredEstimation, 'spec' | 'estimate'>;

export interface NewEstimation {
  name: string;
  spec: unknown;
  estimate: unknown;
  summary: unknown;
  modelVersion: string;
  owner?: string | null;
}

export interface EstimationChanges {
  name?: string;
  spec?: unknown;
  estimate?: unknown;
  summary?: unknown;
  modelVersion?: string;
}

export const SORT_FIELDS = ['createdAt', 'updatedAt', 'name'] as const;
export type SortField = (typeof SORT_FIELDS)[number];

export interface ListQuery {
  limit: number;
  cursor?: string | undefined;
  /** Case-insensitive substring of the name. */
  q?: string | undefined;
  sort?: SortField | undefined;
  order?: 'asc' | 'desc' | undefined;
  /** Only this owner's estimations; undefined means everyone's. */
  owner?: string | undefined;
}

export interface ListPage {
  items: StoredEstimationListItem[];
  nextCursor: string | null;
}

export class InvalidCursorError extends Error {}

/** What a write returns when the caller's expected version is stale. */
export const VERSION_CONFLICT = Symbol('version-conflict');

interface Row {
  seq: number;
  id: string;
  name: string;
  name_key: string;
  spec?: string;
  estimate?: string;
  summary: string;
  model_version: string;
  owner: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

const SORT_COLUMNS: Record<SortField, 'created_at' | 'updated_at' | 'name_key'> = {
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  name: 'name_key',
};

const LIST_COLUMNS =
  'seq, id, name, name_key, summary, model_version, owner, version, created_at, updated_at';

/** Case folding used for sorting by name; search folds through the FTS5 trigram tokenizer. */
const nameKey = (name: string) => name.toLocaleLowerCase('en-US');

/** Random, URL-safe, unguessable: 16 characters of base64url (96 bits). */
export const newId = () => randomBytes(12).toString('base64url');

function encodeCursor(sortValue: string, seq: number): string {
  return Buffer.from(JSON.stringify([sortValue, seq])).toString('base64url');
}

function decodeCursor(cursor: string): [string, number] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      Number.isSafeInteger(value[1])
    ) {
      return [value[0], value[1] as number];
    }
  } catch {
    // fall through to the error below
  }
  throw new InvalidCursorError('cursor is not one this service issued');
}

/** An FTS5 query matching the text as one literal phrase (quotes doubled), so user input is never syntax. */
const ftsPhrase = (text: string) => `"${text.replaceAll('"', '""')}"`;

/**
 * The one repository over the estimations table. It knows SQL and nothing about HTTP.
 * Statements are prepared once; list statements are prepared lazily per (sort, order, filter) shape.
 */
export class EstimationStore {
  private readonly insertStmt: Statement;
  private readonly getStmt: Statement;
  private readonly deleteStmt: Statement;
  private readonly listStatements = new Map<string, Statement>();
  /** count(*) walks a whole index (milliseconds at 100,000 rows); the unfiltered total is kept here. */
  private cachedTotal: number | undefined;

  constructor(private readonly db: Database) {
    this.insertStmt = db.prepare(
      `INSERT INTO estimations (id, name, name_key, spec, estimate, summary, model_version, owner, version, created_at, updated_at)
       VALUES (@id, @name, @name_key, @spec, @estimate, @summary, @model_version, @owner, 1, @now, @now)`,
    );
    this.getStmt = db.prepare('SELECT * FROM estimations WHERE id = ?');
    this.deleteStmt = db.prepare('DELETE FROM estimations WHERE id = ?');
  }

  create(input: NewEstimation, now: Date = new Date()): StoredEstimation {
    this.cachedTotal = undefined;
    const id = newId();
    this.insertStmt.run({
      id,
      name: input.name,
      name_key: nameKey(input.name),
      spec: JSON.stringify(input.spec),
      estimate: JSON.stringify(input.estimate),
      summary: JSON.stringify(input.summary),
      model_version: input.modelVersion,
      owner: input.owner ?? null,
      now: now.toISOString(),
    });
    const created = this.get(id);
    if (!created) throw new Error(`estimation ${id} vanished right after insert`);
    return created;
  }

  get(id: string): StoredEstimation | undefined {
    const row = this.getStmt.get(id) as Row | undefined;
    return row ? toRecord(row) : undefined;
  }

  /** Several by id, in the order asked; unknown ids are left out. */
  getMany(ids: readonly string[]): StoredEstimation[] {
    return ids.map((id) => this.get(id)).filter((r): r is StoredEstimation => r !== undefined);
  }

  /**
   * Applies changes. With `expectedVersion`, the write happens only if the stored version still
   * matches (optimistic concurrency for If-Match); otherwise VERSION_CONFLICT is returned.
   */
  update(
    id: string,
    changes: EstimationChanges,
    expectedVersion?: number,
    now: Date = new Date(),
  ): StoredEstimation | undefined | typeof VERSION_CONFLICT {
    const sets: string[] = ['version = version + 1', 'updated_at = @now'];
    const params: Record<string, unknown> = { id, now: now.toISOString() };
    if (changes.name !== undefined) {
      sets.push('name = @name', 'name_key = @name_key');
      params.name = changes.name;
      params.name_key = nameKey(changes.name);
    }
    for (const [field, column] of [
      ['spec', 'spec'],
      ['estimate', 'estimate'],
      ['summary', 'summary'],
    ] as const) {
      if (changes[field] !== undefined) {
        sets.push(`${column} = @${column}`);
        params[column] = JSON.stringify(changes[field]);
      }
    }
    if (changes.modelVersion !== undefined) {
      sets.push('model_version = @model_version');
      params.model_version = changes.modelVersion;
    }
    let where = 'id = @id';
    if (expectedVersion !== undefined) {
      where += ' AND version = @expected';
      params.expected = expectedVersion;
    }
    const apply = this.db.transaction(() => {
      const result = this.db.prepare(`UPDATE estimations SET ${sets.join(', ')} WHERE ${where}`).run(params);
      if (result.changes === 0) return this.get(id) ? VERSION_CONFLICT : undefined;
      return this.get(id);
    });
    return apply.immediate();
  }

  /** True when a row was deleted. With `expectedVersion`, deletes only that version. */
  delete(id: string, expectedVersion?: number): boolean | typeof VERSION_CONFLICT {
    this.cachedTotal = undefined;
    if (expectedVersion === undefined) return this.deleteStmt.run(id).changes > 0;
    const apply = this.db.transaction(() => {
      const current = this.get(id);
      if (!current) return false;
      if (current.version !== expectedVersion) return VERSION_CONFLICT;
      return this.deleteStmt.run(id).changes > 0;
    });
    return apply.immediate();
  }

  /** Keyset-paginated listing, newest first by default; stays fast at 100,000 rows. */
  list(query: ListQuery): ListPage {
    const sort = query.sort ?? 'createdAt';
    const order = query.order ?? (sort === 'name' ? 'asc' : 'desc');
    const column = SORT_COLUMNS[sort];
    const q = query.q?.trim() ?? '';
    // The trigram index needs three characters; shorter searches scan names in sort order.
    const search = q === '' ? 'none' : [...q].length >= 3 ? 'fts' : 'like';
    const params: Record<string, unknown> = { limit: query.limit + 1 };
    if (query.cursor !== undefined) {
      const [value, seq] = decodeCursor(query.cursor);
      params.after_value = value;
      params.after_seq = seq;
    }
    if (search === 'fts') params.q = ftsPhrase(q);
    if (search === 'like') params.q = `%${nameKey(q).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    if (query.owner !== undefined) params.owner = query.owner;

    const shape = `${column}:${order}:${search}:${query.cursor !== undefined}:${query.owner !== undefined}`;
    let stmt = this.listStatements.get(shape);
    if (!stmt) {
      const cmp = order === 'asc' ? '>' : '<';
      const dir = order === 'asc' ? 'ASC' : 'DESC';
      const where: string[] = [];
      if (query.cursor !== undefined) {
        where.push(`(${column} ${cmp} @after_value OR (${column} = @after_value AND seq ${cmp} @after_seq))`);
      }
      if (search === 'fts')
        where.push('seq IN (SELECT rowid FROM estimations_fts WHERE estimations_fts MATCH @q)');
      if (search === 'like') where.push("name_key LIKE @q ESCAPE '\\'");
      if (query.owner !== undefined) where.push('owner = @owner');
      stmt = this.db.prepare(
        `SELECT ${LIST_COLUMNS} FROM estimations ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY ${column} ${dir}, seq ${dir} LIMIT @limit`,
      );
      this.listStatements.set(shape, stmt);
    }
    const rows = stmt.all(params) as Row[];
    const hasMore = rows.length > query.limit;
    const page = hasMore ? rows.slice(0, query.limit) : rows;
    const last = page.at(-1);
    return {
      items: page.map(toListItem),
      nextCursor: hasMore && last ? encodeCursor(String(last[column]), last.seq) : null,
    };
  }

  /** Number of rows matching a name search (for "N saved" on the page). */
  count(q?: string, owner?: string): number {
    const text = q?.trim() ?? '';
    if (text === '' && owner === undefined && this.cachedTotal !== undefined) return this.cachedTotal;
    const where: string[] = [];
    const params: Record<string, unknown> = {};
    if (text.length >= 3) {
      where.push('seq IN (SELECT rowid FROM estimations_fts WHERE estimations_fts MATCH @q)');
      params.q = ftsPhrase(text);
    } else if (text !== '') {
      where.push("name_key LIKE @q ESCAPE '\\'");
      params.q = `%${nameKey(text).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    }
    if (owner !== undefined) {
      where.push('owner = @owner');
      params.owner = owner;
    }
    const sql = `SELECT count(*) AS n FROM estimations ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`;
    const n = (this.db.prepare(sql).get(params) as { n: number }).n;
    if (text === '' && owner === undefined) this.cachedTotal = n;
    return n;
  }

  /** Cheap liveness check for /readyz. */
  ping(): boolean {
    return (this.db.prepare('SELECT 1 AS ok').get() as { ok: number }).ok === 1;
  }
}

function toListItem(row: Row): StoredEstimationListItem {
  return {
    id: row.id,
    name: row.name,
    summary: JSON.parse(row.summary),
    modelVersion: row.model_version,
    owner: row.owner,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toRecord(row: Row): StoredEstimation {
  return {
    ...toListItem(row),
    spec: JSON.parse(row.spec ?? 'null'),
    estimate: JSON.parse(row.estimate ?? 'null'),
  };
}
