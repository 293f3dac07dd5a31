/**
 * The three things stored beside a name so that listing and searching never compute on a name at
 * query time: a folded form to search in, a sort key that orders numbers by value, and the short
 * substrings (1–2 characters) the trigram index cannot find. Changing any of these functions
 * changes what is stored: it needs a migration that recomputes every row.
 */

/**
 * Case- and form-insensitive text: NFKC (so "ﬁ" and "fi", or a composed and a decomposed "ü", are
 * the same) then Unicode lower case. Names and queries go through the same fold, and the trigram
 * index is built case-sensitively over the folded text, so an indexed search and a plain substring
 * test (`instr`) always agree.
 */
export const foldName = (text: string): string => text.normalize('NFKC').toLowerCase();

/** A digit run's length, written as three digits: names are at most 200 characters. */
const runLength = (digits: string) => String(digits.length).padStart(3, '0');

/**
 * The key the name sort uses: the folded name with every run of digits replaced by its length
 * (three digits) and the digits without leading zeros, so that compared byte by byte (SQLite's
 * BINARY collation) "job 2" comes before "job 10". Where a number meets a letter the key starts
 * with "0", a digit, so numbers still sort before letters exactly as the raw text would.
 */
export function nameSortKey(name: string): string {
  return foldName(name).replace(/[0-9]+/g, (run) => {
    const digits = run.replace(/^0+(?=.)/, '');
    return `${runLength(digits)}${digits}`;
  });
}

/** Queries shorter than this use the short-substring table; the trigram index needs three characters. */
export const TRIGRAM_MIN = 3;

/**
 * Every distinct substring of one and two characters (code points) of a folded name: the table of
 * these answers 1- and 2-character searches by an index lookup instead of reading every name.
 */
export function shortGrams(folded: string): string[] {
  const chars = [...folded];
  const grams = new Set<string>();
  chars.forEach((char, i) => {
    grams.add(char);
    const next = chars[i + 1];
    if (next !== undefined) grams.add(char + next);
  });
  return [...grams];
}
