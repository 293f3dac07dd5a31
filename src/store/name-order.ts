import type { Database, Statement } from 'better-sqlite3';
import { shortGrams } from './names.js';

/**
 * Name ranks: every row's place in the name order, (name_key, seq), as an integer (name_rank)
 * that a second trigram index (estimations_name_fts) and a second short-substring table
 * (estimation_name_grams) use as their key. A name-sorted search then reads its matches already
 * in name order and stops after one page, as a newest-first search does in seq order, instead of
 * walking the name index and testing every name.
 *
 * Ranks keep gaps so that a new or renamed row usually takes a free number between its
 * neighbours without moving them. When a gap is used up, the rows of the smallest aligned range of
 * ranks around it that can hold them RANK_SPACING apart are spread out again (an order-maintenance
 * list with local relabelling, as in Bender et al., "Two simplified algorithms for maintaining
 * order in a list", 2002): a few rows, rarely.
 */

/** Ranks are 1 … RANK_END - 1: exact integers in a JavaScript number and in SQLite. */
export const RANK_END = 2 ** 53;
/** The distance between neighbours after a migration or a relabelling. */
export const RANK_SPACING = 2 ** 32;
/**
 * The most a new rank moves past its predecessor: names added one after another into the same
 * gap ("job 1", "job 2", … before "lake") take RANK_SPACING / RANK_STEP ranks before the gap
 * needs spreading, where halving the gap would run out after 32.
 */
export const RANK_STEP = 2 ** 20;

interface Ranked {
  seq: number;
  name_fold: string;
  name_rank: number;
}

export class NameOrder {
  private readonly before: Statement;
  private readonly after: Statement;
  private readonly countIn: Statement;
  private readonly rowsIn: Statement;
  private readonly setRank: Statement;
  private readonly rankStmt: Statement;
  private readonly addGram: Statement;
  private readonly dropGram: Statement;

  constructor(db: Database) {
    // The neighbours of position (key, seq) in name order, leaving out the row itself (`self`).
    this.before = db.prepare(
      `SELECT name_rank FROM estimations INDEXED BY estimations_name
       WHERE (name_key, seq) < (@key, @seq) AND seq != @self ORDER BY name_key DESC, seq DESC LIMIT 1`,
    );
    this.after = db.prepare(
      `SELECT name_rank FROM estimations INDEXED BY estimations_name
       WHERE (name_key, seq) > (@key, @seq) AND seq != @self ORDER BY name_key, seq LIMIT 1`,
    );
    this.countIn = db.prepare(
      'SELECT count(*) AS n FROM estimations WHERE name_rank >= @lo AND name_rank < @hi',
    );
    this.rowsIn = db.prepare(
      `SELECT seq, name_fold, name_rank FROM estimations
       WHERE name_rank >= @lo AND name_rank < @hi ORDER BY name_rank`,
    );
    // Triggers move the row's entry in estimations_name_fts with its rank.
    this.setRank = db.prepare('UPDATE estimations SET name_rank = ? WHERE seq = ?');
    this.rankStmt = db.prepare('SELECT name_rank FROM estimations WHERE seq = ?');
    this.addGram = db.prepare('INSERT OR IGNORE INTO estimation_name_grams (gram, rank) VALUES (?, ?)');
    this.dropGram = db.prepare('DELETE FROM estimation_name_grams WHERE gram = ? AND rank = ?');
  }

  /**
   * A free rank for a row at (key, seq) in name order: a new row (seq undefined: it will get the
   * largest seq) or the renamed row `seq`. Spreads out its neighbours first when they have no
   * rank free between them. Run inside the write's transaction.
   */
  rankFor(key: string, seq?: number): number {
    const at = { key, seq: seq ?? Number.MAX_SAFE_INTEGER, self: seq ?? -1 };
    for (let attempt = 0; attempt < 2; attempt++) {
      const low = (this.before.get(at) as { name_rank: number } | undefined)?.name_rank ?? 0;
      const high = (this.after.get(at) as { name_rank: number } | undefined)?.name_rank ?? RANK_END;
      const gap = high - low;
      if (gap >= 2) return low + Math.min(Math.floor(gap / 2), RANK_STEP);
      this.spread(Math.max(low, 1));
    }
    throw new Error('no name rank is free even after spreading the whole range');
  }

  /** A row's rank now (spreading may have moved it since it was read). */
  rankOf(seq: number): number {
    return (this.rankStmt.get(seq) as { name_rank: number }).name_rank;
  }

  /** The short-substring entries of a row in name order (grams of its folded name, at its rank). */
  addGrams(rank: number, folded: string): void {
    for (const gram of shortGrams(folded)) this.addGram.run(gram, rank);
  }

  dropGrams(rank: number, folded: string): void {
    for (const gram of shortGrams(folded)) this.dropGram.run(gram, rank);
  }

  /**
   * Gives the rows of the smallest aligned range of ranks around `at` that holds them
   * RANK_SPACING apart (or the whole range) evenly spaced ranks, in the order they had (a row
   * being renamed moves with them; its new rank comes after). Every rank moves twice, through a
   * negative one, so no two rows ever share one in the indexes.
   */
  private spread(at: number): void {
    for (let bits = 33; bits <= 53; bits++) {
      const size = 2 ** bits;
      const lo = bits === 53 ? 0 : Math.floor(at / size) * size;
      const hi = bits === 53 ? RANK_END : lo + size;
      const { n } = this.countIn.get({ lo, hi }) as { n: number };
      // The range's first number stays free (lo + spacing onwards), so a row may precede them all.
      const spacing = Math.floor((hi - lo) / (n + 2));
      if (spacing < RANK_SPACING && bits < 53) continue;
      if (spacing < 2) break;
      const rows = this.rowsIn.all({ lo, hi }) as Ranked[];
      rows.forEach((row, i) => {
        this.dropGrams(row.name_rank, row.name_fold);
        this.setRank.run(-(i + 1), row.seq);
      });
      rows.forEach((row, i) => {
        const rank = lo + spacing * (i + 1);
        this.setRank.run(rank, row.seq);
        this.addGrams(rank, row.name_fold);
      });
      return;
    }
  }
}
