import type { Database, Statement } from 'better-sqlite3';
import { type Cursor, decodeCursor, encodeCursor, type SortField, type SortOrder } from './cursor.js';
import { foldName, TRIGRAM_MIN } from './names.js';

export interface ListQuery {
  limit: number;
  cursor?: string | undefined;
  /** Case-insensitive substring of the name. */
  q?: string | undefined;
  sort?: SortField | undefined;
  order?: SortOrder | undefined;
}

/** The columns a list reads: everything but the documents, which live in their own table. */
export interface ListRow {
  seq: number;
  id: string;
  name: string;
  name_key: string;
  summary: string;
  model_version: string;
  owner: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface RowPage {
  rows: ListRow[];
  nextCursor: string | null;
  prevCursor: string | null;
  /** 0-based position of the first row, as counted while paging (rows written meanwhile shift it). */
  start: number;
}

const LIST_COLUMNS =
  'e.seq, e.id, e.name, e.name_key, e.summary, e.model_version, e.owner, e.version, e.created_at, e.updated_at';

/**
 * A row as the list statements return it: the values of LIST_COLUMNS in that order. They run in
 * better-sqlite3's raw mode, which gives arrays: building the objects here, all of one shape,
 * took a 51-row page from 111 to 67 µs at 100,000 rows (objects made by the driver, with a
 * property per column name, were most of a page's time).
 */
type RawListRow = [number, string, string, string, string, string, string | null, number, string, string];

const listRow = (r: RawListRow): ListRow => ({
  seq: r[0],
  id: r[1],
  name: r[2],
  name_key: r[3],
  summary: r[4],
  model_version: r[5],
  owner: r[6],
  version: r[7],
  created_at: r[8],
  updated_at: r[9],
});

/**
 * Columns other than seq that a list can be sorted by, each with its index in (column, seq) order
 * holding every listed column and name_fold (migration 8), so a page or a walk never reads the table.
 */
const SORT_INDEX: Record<Exclude<SortField, 'createdAt'>, { column: keyof ListRow; index: string }> = {
  name: { column: 'name_key', index: 'estimations_name_rows' },
  updatedAt: { column: 'updated_at', index: 'estimations_updated_rows' },
};

/** The (name_key, seq) index alone: where a cursor's position falls in the name order. */
const NAME_KEY_INDEX = 'estimations_name';

/**
 * Below this many matches a search sorted by update time sorts the matches (at most this many
 * row reads); from it on it walks the update-time index and tests each name, which stops after
 * one page. The walk's cost is how far into that order the page's matches lie: small when
 * matches are spread out, up to one pass over the index when they are all among the least
 * recently updated. (A search sorted by name reads its matches in name order instead: see
 * nameMatchSql.)
 */
export const MATCH_SORT_LIMIT = 1000;

export const defaultOrder = (sort: SortField): SortOrder => (sort === 'name' ? 'asc' : 'desc');
const flip = (order: SortOrder): SortOrder => (order === 'asc' ? 'desc' : 'asc');

/** An FTS5 query matching the text as one literal phrase (quotes doubled), so user input is never syntax. */
const ftsPhrase = (text: string) => `"${text.replaceAll('"', '""')}"`;

type Search = { kind: 'none' } | { kind: 'trigram' | 'gram'; text: string };

function searchFor(q: string | undefined): Search {
  const text = foldName(q?.trim() ?? '');
  if (text === '') return { kind: 'none' };
  return { kind: [...text].length >= TRIGRAM_MIN ? 'trigram' : 'gram', text };
}

/**
 * The seqs of matching rows, as a subquery over an index: the trigram index, or the table of 1–2
 * character substrings. `after` ('<' or '>') keeps those beyond @after_seq.
 */
function matchSql(kind: 'trigram' | 'gram', after: string, direction: string, limit: string): string {
  const key = kind === 'trigram' ? 'rowid' : 'seq';
  const keyset = after ? ` AND ${key} ${after} @after_seq` : '';
  return kind === 'trigram'
    ? `SELECT rowid AS seq FROM estimations_fts WHERE estimations_fts MATCH @match${keyset} ORDER BY rowid ${direction}${limit}`
    : `SELECT seq FROM estimation_grams WHERE gram = @match${keyset} ORDER BY seq ${direction}${limit}`;
}

/**
 * The name ranks of matching rows in name order (the indexes keyed by name_rank, migration 9),
 * one page of them. `after` ('<' or '>') keeps those beyond the cursor's (name_key, seq): from
 * the rank of the first row past it, found in the name index (the boundary row itself may have
 * been renamed or deleted since).
 */
function nameMatchSql(kind: 'trigram' | 'gram', after: string, direction: string): string {
  const key = kind === 'trigram' ? 'rowid' : 'rank';
  const keyset = after
    ? ` AND ${key} ${after}= (SELECT name_rank FROM estimations INDEXED BY ${NAME_KEY_INDEX} WHERE (name_key, seq) ${after} (@after_value, @after_seq) ORDER BY name_key ${direction}, seq ${direction} LIMIT 1)`
    : '';
  return kind === 'trigram'
    ? `SELECT rowid FROM estimations_name_fts WHERE estimations_name_fts MATCH @match${keyset} ORDER BY rowid ${direction} LIMIT @limit`
    : `SELECT rank FROM estimation_name_grams WHERE gram = @match${keyset} ORDER BY rank ${direction} LIMIT @limit`;
}

/**
 * The list and search queries. Every shape is one of a few statements, prepared on first use:
 * creation order is seq order, so a newest-first search pages straight through an index in rowid
 * order and stops after one page, however many names match.
 */
export class ListQueries {
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly db: Database) {}

  page(query: ListQuery): RowPage {
    return this.pageAndCount(query, 0).page;
  }

  /**
   * One page and how many rows the list holds, a search's matches counted up to `cap`. A search
   * sorted by update time counts its matches anyway, to choose how to find them (see
   * MATCH_SORT_LIMIT), so one count answers both.
   */
  pageCounted(query: ListQuery, cap: number): RowPage & { matches: number; searched: boolean } {
    const { page, counted, searching } = this.pageAndCount(query, cap);
    return {
      ...page,
      matches: searching ? Math.min(counted ?? 0, cap) : this.total(),
      searched: searching,
    };
  }

  private pageAndCount(
    query: ListQuery,
    countUpTo: number,
  ): { page: RowPage; counted: number | undefined; searching: boolean } {
    const sort = query.sort ?? 'createdAt';
    const order = query.order ?? defaultOrder(sort);
    const search = searchFor(query.q);
    const cursor = query.cursor === undefined ? undefined : decodeCursor(query.cursor, sort, order);
    const limit = query.limit;
    // A search sorted by update time needs MATCH_SORT_LIMIT counted to pick its strategy.
    const cap = Math.max(countUpTo, sort === 'updatedAt' ? MATCH_SORT_LIMIT : 0);
    const counted = search.kind !== 'none' && cap > 0 ? this.countSearch(search, cap) : undefined;
    const few = counted !== undefined && counted < MATCH_SORT_LIMIT;
    const answer = (page: RowPage) => ({ page, counted, searching: search.kind !== 'none' });

    if (cursor?.before) {
      const rows = this.rows(sort, flip(order), search, cursor, limit + 1, few);
      if (rows.length > limit) {
        return answer(this.assemble(sort, order, rows.slice(0, limit).reverse(), cursor.start, true, limit));
      }
      // Nothing (or less than a page) before it any more: the first page is the previous one.
    }
    const after = cursor?.before ? undefined : cursor;
    const rows = this.rows(sort, order, search, after, limit + 1, few);
    return answer(
      this.assemble(sort, order, rows.slice(0, limit), after?.start ?? 0, rows.length > limit, limit),
    );
  }

  /** Rows matching a search, counted up to `cap` (an index walk of at most `cap` entries). */
  private countSearch(search: Exclude<Search, { kind: 'none' }>, cap: number): number {
    const stmt = this.statement(
      `count:${search.kind}`,
      () => `SELECT count(*) AS n FROM (${matchSql(search.kind, '', 'ASC', ' LIMIT @cap')})`,
    );
    return (stmt.get({ match: this.matchParam(search), cap }) as { n: number }).n;
  }

  /** Every saved estimation, from the count the triggers keep. */
  total(): number {
    const stmt = this.statement('total', () => 'SELECT total FROM estimation_count');
    return (stmt.get() as { total: number }).total;
  }

  private assemble(
    sort: SortField,
    order: SortOrder,
    rows: ListRow[],
    start: number,
    hasNext: boolean,
    limit: number,
  ): RowPage {
    const first = rows[0];
    const last = rows.at(-1);
    const boundary = (row: ListRow, at: number, before: boolean): Cursor => ({
      sort,
      order,
      value: sort === 'createdAt' ? '' : String(row[SORT_INDEX[sort].column]),
      seq: row.seq,
      start: at,
      before,
    });
    return {
      rows,
      start,
      nextCursor: hasNext && last ? encodeCursor(boundary(last, start + rows.length, false)) : null,
      prevCursor: start > 0 && first ? encodeCursor(boundary(first, Math.max(0, start - limit), true)) : null,
    };
  }

  private matchParam(search: Exclude<Search, { kind: 'none' }>): string {
    return search.kind === 'trigram' ? ftsPhrase(search.text) : search.text;
  }

  private rows(
    sort: SortField,
    order: SortOrder,
    search: Search,
    after: Cursor | undefined,
    limit: number,
    /** A search with fewer matches than MATCH_SORT_LIMIT (counted by page()). */
    few: boolean,
  ): ListRow[] {
    const cmp = order === 'asc' ? '>' : '<';
    const dir = order === 'asc' ? 'ASC' : 'DESC';
    const params: Record<string, unknown> = { limit };
    if (after) {
      params.after_value = after.value;
      params.after_seq = after.seq;
    }
    if (search.kind !== 'none') params.match = this.matchParam(search);

    if (sort === 'createdAt') {
      const shape = `c:${dir}:${search.kind}:${after !== undefined}`;
      const stmt = this.rowStatement(shape, () =>
        search.kind === 'none'
          ? `SELECT ${LIST_COLUMNS} FROM estimations e ${after ? `WHERE e.seq ${cmp} @after_seq` : ''} ORDER BY e.seq ${dir} LIMIT @limit`
          : `SELECT ${LIST_COLUMNS} FROM estimations e WHERE e.seq IN (${matchSql(search.kind, after ? cmp : '', dir, ' LIMIT @limit')}) ORDER BY e.seq ${dir}`,
      );
      return (stmt.all(params) as RawListRow[]).map(listRow);
    }

    if (sort === 'name' && search.kind !== 'none') {
      const stmt = this.rowStatement(
        `rank:${dir}:${search.kind}:${after !== undefined}`,
        () =>
          `SELECT ${LIST_COLUMNS} FROM estimations e INDEXED BY estimations_name_rank WHERE e.name_rank IN (${nameMatchSql(search.kind, after ? cmp : '', dir)}) ORDER BY e.name_rank ${dir}`,
      );
      return (stmt.all(params) as RawListRow[]).map(listRow);
    }

    const { column, index } = SORT_INDEX[sort];
    const keyset = after ? `(e.${column}, e.seq) ${cmp} (@after_value, @after_seq)` : '';
    const orderBy = `ORDER BY e.${column} ${dir}, e.seq ${dir} LIMIT @limit`;
    if (search.kind === 'none') {
      const stmt = this.rowStatement(
        `${column}:${dir}:none:${after !== undefined}`,
        () =>
          `SELECT ${LIST_COLUMNS} FROM estimations e INDEXED BY ${index} ${keyset ? `WHERE ${keyset}` : ''} ${orderBy}`,
      );
      return (stmt.all(params) as RawListRow[]).map(listRow);
    }
    // Sorted by update time. Few matches: take them from the index and sort them (CROSS JOIN
    // fixes that join order). Many: walk the update-time index and test each folded name, which
    // stops after one page.
    const shape = `${column}:${dir}:${search.kind}:${after !== undefined}:${few}`;
    const stmt = this.rowStatement(shape, () =>
      few
        ? `SELECT ${LIST_COLUMNS} FROM (${matchSql(search.kind, '', 'ASC', '')}) AS m CROSS JOIN estimations e ON e.seq = m.seq ${keyset ? `WHERE ${keyset}` : ''} ${orderBy}`
        : `SELECT ${LIST_COLUMNS} FROM estimations e INDEXED BY ${index} WHERE instr(e.name_fold, @text) > 0 ${keyset ? `AND ${keyset}` : ''} ${orderBy}`,
    );
    if (!few) {
      delete params.match;
      params.text = search.text;
    }
    return (stmt.all(params) as RawListRow[]).map(listRow);
  }

  /** A statement of list rows, in raw mode (see listRow). */
  private rowStatement(shape: string, sql: () => string): Statement {
    return this.statement(`rows:${shape}`, sql, true);
  }

  private statement(shape: string, sql: () => string, raw = false): Statement {
    let stmt = this.statements.get(shape);
    if (!stmt) {
      stmt = this.db.prepare(sql());
      if (raw) stmt.raw(true);
      this.statements.set(shape, stmt);
    }
    return stmt;
  }
}
