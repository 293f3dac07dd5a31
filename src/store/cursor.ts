/**
 * Keyset cursors: where a page ends (or begins), never an offset, so a page costs the same at row
 * 20 and at row 99,980. A cursor also carries the position of the page it leads to, counted while
 * paging, so a page can say "21–40" without counting the rows before it.
 */

export type SortField = 'createdAt' | 'updatedAt' | 'name';
export type SortOrder = 'asc' | 'desc';

export interface Cursor {
  sort: SortField;
  order: SortOrder;
  /** The sort column's value at the boundary row ('' for createdAt, which is seq order). */
  value: string;
  seq: number;
  /** 0-based position of the first row of the page this cursor leads to. */
  start: number;
  /** True: the page before the boundary row ("previous"); false: the page after it. */
  before: boolean;
}

export class InvalidCursorError extends Error {}

const SORT_CODES: Record<SortField, string> = { createdAt: 'c', updatedAt: 'u', name: 'n' };
const ORDER_CODES: Record<SortOrder, string> = { asc: 'a', desc: 'd' };

export function encodeCursor(cursor: Cursor): string {
  const shape = `${SORT_CODES[cursor.sort]}${ORDER_CODES[cursor.order]}${cursor.before ? 'b' : 'f'}`;
  return Buffer.from(JSON.stringify([shape, cursor.value, cursor.seq, cursor.start])).toString('base64url');
}

/**
 * The cursor, if this service issued it for the same sort and order: a cursor from another sort
 * would silently skip or repeat rows, so it is refused like a forged one.
 */
export function decodeCursor(text: string, sort: SortField, order: SortOrder): Cursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 4 &&
      typeof value[0] === 'string' &&
      typeof value[1] === 'string' &&
      Number.isSafeInteger(value[2]) &&
      Number.isSafeInteger(value[3]) &&
      value[3] >= 0 &&
      value[0].slice(0, 2) === `${SORT_CODES[sort]}${ORDER_CODES[order]}` &&
      (value[0][2] === 'b' || value[0][2] === 'f') &&
      value[0].length === 3
    ) {
      return { sort, order, value: value[1], seq: value[2], start: value[3], before: value[0][2] === 'b' };
    }
  } catch {
    // fall through to the error below
  }
  throw new InvalidCursorError('cursor is not one this service issued for this sort and order');
}
