/**
 * What dt-sql-parser 4.5's FlinkSQL grammar cannot parse, handled before and after parsing.
 *
 * Two gaps are read reliably from the token stream and blanked out (replaced by spaces, so every
 * other position stays exact) before the parse: an aggregate's `FILTER (WHERE …)` and the
 * `SESSION` window table function (Flink 1.19+), whose name becomes `TUMBLE ` (same length) and
 * whose `PARTITION BY` is blanked; the position of each is remembered so the analysis reads the
 * session window back. `COMPILE PLAN '…' FOR` in front of a statement is blanked too.
 * Other gaps are named in the error the user sees (`constructAt`).
 */

export interface TokenLike {
  text: string | undefined;
  start: number;
  stop: number;
  line: number;
  column: number;
  channel: number;
}

export interface Patch {
  kind: 'filter' | 'session' | 'compile-plan';
  /** Offset where the construct starts in the script. */
  start: number;
  line: number;
  column: number;
  /** The construct's text as written (masked script). */
  text: string;
  /** SESSION: its PARTITION BY columns. */
  partitionBy?: string;
}

const upper = (t: TokenLike | undefined) => (t?.text ?? '').toUpperCase();

const blank = (text: string) => text.replace(/[^\r\n]/g, ' ');

/** The index of the token closing the parenthesis opened at `open`. */
function closing(tokens: TokenLike[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i]?.text;
    if (t === '(') depth++;
    else if (t === ')') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

export function patchGaps(sql: string, allTokens: TokenLike[]): { text: string; patches: Patch[] } {
  const tokens = allTokens.filter((t) => t.channel === 0);
  const patches: Patch[] = [];
  let text = sql;
  const replace = (start: number, end: number, by: string) => {
    text = text.slice(0, start) + by + text.slice(end);
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (!t) continue;
    const u = upper(t);
    // agg(...) FILTER (WHERE ...)
    if (
      u === 'FILTER' &&
      tokens[i - 1]?.text === ')' &&
      tokens[i + 1]?.text === '(' &&
      upper(tokens[i + 2]) === 'WHERE'
    ) {
      const end = closing(tokens, i + 1);
      const last = tokens[end];
      if (end < 0 || !last) continue;
      patches.push({
        kind: 'filter',
        start: t.start,
        line: t.line,
        column: t.column + 1,
        text: sql.slice(t.start, last.stop + 1),
      });
      replace(t.start, last.stop + 1, blank(sql.slice(t.start, last.stop + 1)));
      i = end;
    }
    // SESSION(TABLE t [PARTITION BY k], DESCRIPTOR(ts), INTERVAL …) and the named-argument form.
    if (u === 'SESSION' && tokens[i + 1]?.text === '(' && ['TABLE', 'DATA'].includes(upper(tokens[i + 2]))) {
      const end = closing(tokens, i + 1);
      const last = tokens[end];
      if (end < 0 || !last) continue;
      const patch: Patch = {
        kind: 'session',
        start: t.start,
        line: t.line,
        column: t.column + 1,
        text: sql.slice(t.start, last.stop + 1),
      };
      replace(t.start, t.stop + 1, 'TUMBLE ');
      for (let j = i + 2; j < end; j++) {
        if (upper(tokens[j]) === 'PARTITION' && upper(tokens[j + 1]) === 'BY') {
          let k = j + 2;
          while (k < end && tokens[k]?.text !== ',') k++;
          const from = tokens[j]?.start ?? 0;
          const to = (tokens[k - 1]?.stop ?? from) + 1;
          patch.partitionBy = sql.slice(tokens[j + 2]?.start ?? to, to).trim();
          replace(from, to, blank(sql.slice(from, to)));
          break;
        }
      }
      patches.push(patch);
    }
    // COMPILE PLAN 'file' [IF NOT EXISTS] FOR <statement>
    if (u === 'COMPILE' && upper(tokens[i + 1]) === 'PLAN') {
      let j = i + 2;
      while (j < tokens.length && upper(tokens[j]) !== 'FOR' && tokens[j]?.text !== ';') j++;
      const last = tokens[j];
      if (!last || upper(last) !== 'FOR') continue;
      patches.push({
        kind: 'compile-plan',
        start: t.start,
        line: t.line,
        column: t.column + 1,
        text: sql.slice(t.start, last.stop + 1),
      });
      replace(t.start, last.stop + 1, blank(sql.slice(t.start, last.stop + 1)));
      i = j;
    }
  }
  return { text, patches };
}

/** Leading words that name a statement, longest first. */
const STATEMENT_NAMES = [
  'EXECUTE STATEMENT SET',
  'BEGIN STATEMENT SET',
  'CREATE TEMPORARY VIEW',
  'CREATE TEMPORARY TABLE',
  'CREATE TEMPORARY FUNCTION',
  'CREATE TABLE',
  'CREATE VIEW',
  'CREATE CATALOG',
  'CREATE FUNCTION',
  'CREATE DATABASE',
  'INSERT INTO',
  'INSERT OVERWRITE',
  'EXPLAIN',
  'SET',
  'RESET',
  'SELECT',
  'WITH',
  'USE',
  'ALTER',
  'DROP',
];

/** The statement an offset lies in, by its leading words (e.g. "CREATE TABLE"). */
function statementAt(tokens: TokenLike[], index: number): { name: string; first: number; start: number } {
  let first = index;
  while (first > 0 && tokens[first - 1]?.text !== ';') first--;
  const start = first;
  // Inside a statement set, the INSERT is the statement.
  let words = tokens
    .slice(first, first + 4)
    .map(upper)
    .join(' ');
  for (let i = index; i >= first; i--) {
    if (upper(tokens[i]) === 'INSERT') {
      words = tokens
        .slice(i, i + 2)
        .map(upper)
        .join(' ');
      first = i;
      break;
    }
  }
  const name = STATEMENT_NAMES.find((n) => words.startsWith(n)) ?? (words.split(' ')[0] || 'statement');
  return { name: `${name} statement`, first, start };
}

/**
 * Functions whose SQL-standard forms the grammar cannot read (Flink's own parser, Calcite's, does):
 * `CHAR_LENGTH(s)` and `CHARACTER_LENGTH(s)` at all, and the keyword forms `EXTRACT(HOUR FROM ts)`,
 * `FLOOR(ts TO HOUR)`, `CEIL(ts TO DAY)`, `SUBSTRING(s FROM 1 FOR 2)`, `TRIM(BOTH ' ' FROM s)`,
 * `OVERLAY(s PLACING t FROM 1)`, `TRY_CAST(x AS INT)`.
 */
const SPECIAL_FORMS = new Set([
  'CHAR_LENGTH',
  'CHARACTER_LENGTH',
  'EXTRACT',
  'FLOOR',
  'CEIL',
  'SUBSTRING',
  'TRIM',
  'OVERLAY',
  'TRY_CAST',
]);

/** The special-form function the error is in: the token itself, or the call whose `(` is still open. */
function enclosingCall(tokens: TokenLike[], first: number, index: number): string | undefined {
  if (SPECIAL_FORMS.has(upper(tokens[index]))) return upper(tokens[index]);
  let depth = 0;
  for (let i = index - 1; i >= first; i--) {
    const text = tokens[i]?.text;
    if (text === ')') depth++;
    else if (text === '(') {
      if (depth === 0) return SPECIAL_FORMS.has(upper(tokens[i - 1])) ? upper(tokens[i - 1]) : undefined;
      depth--;
    }
  }
  return undefined;
}

/**
 * Names the construct at a syntax error: one of the grammar's known gaps when the tokens around
 * the error show it, otherwise the statement it is in.
 */
export function constructAt(allTokens: TokenLike[], offset: number): string {
  const tokens = allTokens.filter((t) => t.channel === 0);
  let index = tokens.findIndex((t) => t.stop >= offset);
  if (index < 0) index = tokens.length - 1;
  const { name, first, start } = statementAt(tokens, index);
  const window = tokens.slice(Math.max(first, index - 40), index + 1).map(upper);
  const at = upper(tokens[index]);
  // … OVER (…) <no alias>: the grammar requires `AS name` after an OVER window.
  for (let i = index - 1; i >= Math.max(first, index - 60); i--) {
    if (tokens[i]?.text === ')' && upper(tokens[i - 1]) !== 'OVER') {
      let depth = 0;
      let j = i;
      for (; j >= first; j--) {
        if (tokens[j]?.text === ')') depth++;
        else if (tokens[j]?.text === '(' && --depth === 0) break;
      }
      if (upper(tokens[j - 1]) === 'OVER' && i === index - 1 && at !== 'AS') {
        return 'an OVER aggregate without an alias (the grammar needs `… OVER (…) AS name`)';
      }
      break;
    }
  }
  // In MEASURES as well as DEFINE: the error comes before DEFINE when MEASURES holds the offset.
  if (
    (window.includes('LAST') || window.includes('FIRST')) &&
    at === ',' &&
    (window.includes('DEFINE') || window.includes('MEASURES'))
  ) {
    return 'LAST(x, n) / FIRST(x, n) with an offset in MATCH_RECOGNIZE (the grammar takes one argument)';
  }
  // ARRAY[…] and MAP[…]: the grammar has no bracketed value constructor; the error is at `[` or
  // at the first comma inside it.
  for (let i = index; i >= Math.max(first, index - 8); i--) {
    if (tokens[i]?.text === '[' && ['ARRAY', 'MAP'].includes(upper(tokens[i - 1]))) {
      return `${upper(tokens[i - 1]) === 'ARRAY' ? 'an' : 'a'} ${upper(tokens[i - 1])}[…] value constructor (the grammar has none)`;
    }
  }
  const call = enclosingCall(tokens, first, index);
  if (call !== undefined) {
    return `${call}(…) in its SQL-standard form (the grammar cannot read it)`;
  }
  if (name.startsWith('CREATE') && name.includes('TABLE') && at === 'LIKE') {
    return 'CREATE TABLE … WITH (…) LIKE without a column list (the grammar needs the column list)';
  }
  if (upper(tokens[start]) === 'WITH' && tokens.slice(start, index + 1).some((t) => upper(t) === 'INSERT')) {
    return 'WITH … INSERT INTO (write it as INSERT INTO t WITH … SELECT …)';
  }
  if (at === 'SESSION' || window.includes('SESSION')) return 'a SESSION window';
  return name;
}

/** Parser messages quote the offending token; long ones are cut so no pasted value is echoed whole. */
export function scrubMessage(message: string): string {
  return message.replace(/'([^']{40})[^']*'/g, "'$1…'").slice(0, 300);
}
