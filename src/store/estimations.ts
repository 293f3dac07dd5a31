import { randomBytes } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';
import type { ListQuery, ListRow, RowPage } from './list.js';
import { ListQueries } from './list.js';
import { NameOrder } from './name-order.js';
import { foldName, nameSortKey, shortGrams } from './names.js';

/**
 * A saved estimation in a list: what a list page shows. `summaryJson` is the summary as the JSON
 * text stored, so an answer that writes JSON can carry it as it is (service.ts listJson).
 */
export interface StoredEstimationListItem {
  id: string;
  name: string;
  summaryJson: string;
  modelVersion: string;
  owner: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** A saved estimation as stored. `spec`, `estimate` and `summary` are the JSON the service wrote. */
export interface StoredEstimation extends Omit<StoredEstimationListItem, 'summaryJson'> {
  spec: unknown;
  estimate: unknown;
  summary: unknown;
  /** The SQL script it was made from, secrets already masked by the caller; null when none. */
  sql: string | null;
  /** The Flink plan (JSON) it was made from, secrets already masked by the caller; null when none. */
  plan: unknown;
}

export interface NewEstimation {
  name: string;
  spec: unknown;
  estimate: unknown;
  summary: unknown;
  modelVersion: string;
  owner?: string | null;
  sql?: string | null;
  plan?: unknown;
}

export interface EstimationChanges {
  name?: string;
  spec?: unknown;
  estimate?: unknown;
  summary?: unknown;
  modelVersion?: string;
  /** A new script (null clears it); undefined keeps the stored one. */
  sql?: string | null;
  /** A new plan (null clears it); undefined keeps the stored one. */
  plan?: unknown;
}

export type { SortField, SortOrder } from './cursor.js';
export { InvalidCursorError } from './cursor.js';
export type { ListQuery } from './list.js';

export interface ListPage {
  items: StoredEstimationListItem[];
  nextCursor: string | null;
  /** The page before this one; null on the first page. */
  prevCursor: string | null;
  /** 0-based position of the first item, as counted while paging. */
  start: number;
}

/** What a write returns when the caller's expected version is stale. */
export const VERSION_CONFLICT = Symbol('version-conflict');

interface Row extends ListRow {
  name_fold: string;
  name_rank: number;
  spec: string;
  estimate: string;
  sql: string | null;
  plan: string | null;
}

type Current = Pick<Row, 'seq' | 'name_fold' | 'name_rank' | 'version'>;

/** Random, URL-safe, unguessable: 16 characters of base64url (96 bits). */
export const newId = () => randomBytes(12).toString('base64url');

/**
 * The one repository over the estimations tables. It knows SQL and nothing about HTTP.
 * A row holds what a list shows; its spec and estimate live in estimation_documents, read only
 * when one estimation is opened. Statements are prepared once.
 */
export class EstimationStore {
  private readonly insertStmt: Statement;
  private readonly insertDocumentsStmt: Statement;
  private readonly getStmt: Statement;
  private readonly currentStmt: Statement;
  private readonly deleteStmt: Statement;
  private readonly addGramStmt: Statement;
  private readonly dropGramStmt: Statement;
  private readonly lists: ListQueries;
  private readonly order: NameOrder;

  constructor(private readonly db: Database) {
    this.insertStmt = db.prepare(
      `INSERT INTO estimations (id, name, name_key, name_fold, name_rank, summary, model_version, owner, version, created_at, updated_at)
       VALUES (@id, @name, @name_key, @name_fold, @name_rank, @summary, @model_version, @owner, 1, @now, @now)`,
    );
    this.insertDocumentsStmt = db.prepare(
      'INSERT INTO estimation_documents (seq, spec, estimate, sql, plan) VALUES (@seq, @spec, @estimate, @sql, @plan)',
    );
    this.getStmt = db.prepare(
      'SELECT e.*, d.spec, d.estimate, d.sql, d.plan FROM estimations e JOIN estimation_documents d ON d.seq = e.seq WHERE e.id = ?',
    );
    this.currentStmt = db.prepare('SELECT seq, name_fold, name_rank, version FROM estimations WHERE id = ?');
    this.deleteStmt = db.prepare('DELETE FROM estimations WHERE seq = ?');
    this.addGramStmt = db.prepare('INSERT OR IGNORE INTO estimation_grams (gram, seq) VALUES (?, ?)');
    this.dropGramStmt = db.prepare('DELETE FROM estimation_grams WHERE gram = ? AND seq = ?');
    this.lists = new ListQueries(db);
    this.order = new NameOrder(db);
  }

  create(input: NewEstimation, now: Date = new Date()): StoredEstimation {
    const id = newId();
    const insert = this.db.transaction(() => {
      const folded = foldName(input.name);
      const key = nameSortKey(input.name);
      const rank = this.order.rankFor(key);
      const { lastInsertRowid } = this.insertStmt.run({
        id,
        name: input.name,
        name_key: key,
        name_fold: folded,
        name_rank: rank,
        summary: JSON.stringify(input.summary),
        model_version: input.modelVersion,
        owner: input.owner ?? null,
        now: now.toISOString(),
      });
      const seq = Number(lastInsertRowid);
      this.insertDocumentsStmt.run({
        seq,
        spec: JSON.stringify(input.spec),
        estimate: JSON.stringify(input.estimate),
        sql: input.sql ?? null,
        plan: planText(input.plan),
      });
      this.setGrams(seq, undefined, folded);
      this.order.addGrams(rank, folded);
    });
    insert.immediate();
    // What was written, without reading tens of KB of JSON back.
    const at = now.toISOString();
    return {
      id,
      name: input.name,
      spec: input.spec,
      estimate: input.estimate,
      summary: input.summary,
      modelVersion: input.modelVersion,
      owner: input.owner ?? null,
      sql: input.sql ?? null,
      plan: input.plan ?? null,
      version: 1,
      createdAt: at,
      updatedAt: at,
    };
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
    const params: Record<string, unknown> = { now: now.toISOString() };
    const folded = changes.name === undefined ? undefined : foldName(changes.name);
    const key = changes.name === undefined ? undefined : nameSortKey(changes.name);
    if (changes.name !== undefined) {
      sets.push('name = @name', 'name_key = @name_key', 'name_fold = @name_fold', 'name_rank = @name_rank');
      params.name = changes.name;
      params.name_key = key;
      params.name_fold = folded;
    }
    if (changes.summary !== undefined) {
      sets.push('summary = @summary');
      params.summary = JSON.stringify(changes.summary);
    }
    if (changes.modelVersion !== undefined) {
      sets.push('model_version = @model_version');
      params.model_version = changes.modelVersion;
    }
    const documents: string[] = [];
    for (const field of ['spec', 'estimate'] as const) {
      if (changes[field] !== undefined) {
        documents.push(`${field} = @${field}`);
        params[field] = JSON.stringify(changes[field]);
      }
    }
    if (changes.sql !== undefined) {
      documents.push('sql = @sql');
      params.sql = changes.sql;
    }
    if (changes.plan !== undefined) {
      documents.push('plan = @plan');
      params.plan = planText(changes.plan);
    }
    const apply = this.db.transaction(() => {
      const current = this.currentStmt.get(id) as Current | undefined;
      if (!current) return undefined;
      if (expectedVersion !== undefined && current.version !== expectedVersion) return VERSION_CONFLICT;
      params.seq = current.seq;
      const rank = key === undefined ? undefined : this.order.rankFor(key, current.seq);
      if (rank !== undefined) {
        params.name_rank = rank;
        // Finding a free rank may have spread the neighbours, this row among them.
        this.order.dropGrams(this.order.rankOf(current.seq), current.name_fold);
      }
      this.db.prepare(`UPDATE estimations SET ${sets.join(', ')} WHERE seq = @seq`).run(params);
      if (documents.length > 0) {
        this.db
          .prepare(`UPDATE estimation_documents SET ${documents.join(', ')} WHERE seq = @seq`)
          .run(params);
      }
      if (folded !== undefined) this.setGrams(current.seq, current.name_fold, folded);
      if (folded !== undefined && rank !== undefined) this.order.addGrams(rank, folded);
      return this.get(id);
    });
    return apply.immediate();
  }

  /** True when a row was deleted. With `expectedVersion`, deletes only that version. */
  delete(id: string, expectedVersion?: number): boolean | typeof VERSION_CONFLICT {
    const apply = this.db.transaction(() => {
      const current = this.currentStmt.get(id) as Current | undefined;
      if (!current) return false;
      if (expectedVersion !== undefined && current.version !== expectedVersion) return VERSION_CONFLICT;
      this.setGrams(current.seq, current.name_fold, undefined);
      this.order.dropGrams(current.name_rank, current.name_fold);
      // Triggers remove the documents and both trigram entries and keep the count.
      return this.deleteStmt.run(current.seq).changes > 0;
    });
    return apply.immediate();
  }

  /**
   * Keyset-paginated listing, newest first by default, with search by any part of the name.
   * Each page reads one page of rows through an index (see list.ts), at any depth and for any
   * query; the bench holds it to its target at 100,000 rows.
   */
  list(query: ListQuery): ListPage {
    return listPage(this.lists.page(query));
  }

  /** A page and how many rows the list holds, a search's matches counted up to `cap`. */
  listCounted(query: ListQuery, cap: number): ListPage & { matches: number; searched: boolean } {
    const page = this.lists.pageCounted(query, cap);
    return { ...listPage(page), matches: page.matches, searched: page.searched };
  }

  /** Every saved estimation: a count kept by triggers, so reading it never scans. */
  total(): number {
    return this.lists.total();
  }

  /** Cheap liveness check for /readyz. */
  ping(): boolean {
    return (this.db.prepare('SELECT 1 AS ok').get() as { ok: number }).ok === 1;
  }

  /** The 1–2 character substrings table follows the folded name (no SQL trigger can compute them). */
  private setGrams(seq: number, before: string | undefined, after: string | undefined): void {
    const old = new Set(before === undefined ? [] : shortGrams(before));
    const next = new Set(after === undefined ? [] : shortGrams(after));
    for (const gram of old) if (!next.has(gram)) this.dropGramStmt.run(gram, seq);
    for (const gram of next) if (!old.has(gram)) this.addGramStmt.run(gram, seq);
  }
}

const listPage = (page: RowPage): ListPage => ({
  items: page.rows.map(toListItem),
  nextCursor: page.nextCursor,
  prevCursor: page.prevCursor,
  start: page.start,
});

function toListItem(row: ListRow): StoredEstimationListItem {
  return {
    id: row.id,
    name: row.name,
    summaryJson: row.summary,
    modelVersion: row.model_version,
    owner: row.owner,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toRecord(row: Row): StoredEstimation {
  const { summaryJson, ...item } = toListItem(row);
  return {
    ...item,
    summary: JSON.parse(summaryJson),
    spec: JSON.parse(row.spec),
    estimate: JSON.parse(row.estimate),
    sql: row.sql,
    plan: row.plan === null ? null : JSON.parse(row.plan),
  };
}

/** A plan as its column holds it: JSON text, NULL for none. */
const planText = (plan: unknown) => (plan === undefined || plan === null ? null : JSON.stringify(plan));
