/**
 * Credentials in pasted SQL and plans. Connector options such as `'password' = '…'`,
 * `'properties.sasl.jaas.config' = '…'`, `SET 's3.secret-key' = '…'` and `user:password@` in URLs
 * are masked before anything else sees the text: the parser, its error messages, the notes, the
 * logs and the store only ever get the masked copy.
 *
 * Option names are matched by their last dot-separated segment, as Flink's own
 * `GlobalConfiguration.isSensitive` does with its list of sensitive keys ("password", "secret",
 * "fs.azure.account.key", "apikey", "auth-params", "service-key", "token", "basic-auth",
 * "jaas.config", "http-headers"), so `properties.ssl.truststore.password` and `s3.secret-key` are
 * secrets, while `key.format` and `key.fields` (Kafka's key serialisation) are not.
 */

const SECRET_LAST_SEGMENTS = new Set([
  'password',
  'passwd',
  'secret',
  'secret-key',
  'secretkey',
  'secret-access-key',
  'token',
  'access-token',
  'auth-token',
  'session-token',
  'apikey',
  'api-key',
  'key',
  'private-key',
  'credentials',
  'auth-params',
  'service-key',
  'basic-auth',
  'http-headers',
]);

/** Whole-name suffixes whose last segment alone is too generic ("config"). */
const SECRET_SUFFIXES = ['sasl.jaas.config', 'jaas.config'];

/** Whether a connector or configuration option holds a credential. */
export function isSecretOption(name: string): boolean {
  const key = name.trim().toLowerCase();
  if (SECRET_SUFFIXES.some((suffix) => key === suffix || key.endsWith(`.${suffix}`))) return true;
  const last = key.split('.').at(-1) ?? key;
  return SECRET_LAST_SEGMENTS.has(last);
}

/** `scheme://user:password@host` and `?password=…`/`&password=…` in a URL-like string. */
const URL_CREDENTIALS = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@'"]*:)([^\s@'"/]+)(@)/gi;
const QUERY_CREDENTIALS = /([?&;](?:password|passwd|pwd|secret|token|apikey|api-key)=)([^&;\s'"]+)/gi;

const stars = (text: string) => text.replace(/[^\r\n]/g, '*');

/** Masks credentials inside a string value (URLs with user:password, password= parameters). */
export function maskUrlCredentials(text: string, mask: (secret: string) => string = () => '***'): string {
  return text
    .replace(URL_CREDENTIALS, (_m, head: string, secret: string, at: string) => `${head}${mask(secret)}${at}`)
    .replace(QUERY_CREDENTIALS, (_m, head: string, secret: string) => `${head}${mask(secret)}`);
}

/**
 * An entry of an option map as Flink prints it in a plan. An `OPTIONS` hint shows as
 * `hints=[[[OPTIONS options:{password=…, scan.startup.mode=latest-offset}]]]` (Calcite's
 * `RelHint.toString` of a Java `Map`) in every section of EXPLAIN's output and in the job graph's
 * operator descriptions (GET /jobs/:id/plan), unquoted. A value runs to the next `, name=` or to
 * the map's closing brace; it never spans a brace, so a non-secret entry whose value holds a map
 * (`hints=[[[OPTIONS options:{…`) stops before it and the entries inside are matched on their own.
 */
const PRINTED_OPTION = /([{,]\s*)([A-Za-z_][\w.-]*)=((?:(?!, [A-Za-z_][\w.-]*=)[^{}\r\n])*)/g;

/**
 * Masks the credentials in text Flink printed (EXPLAIN's output, a plan's descriptions): secret
 * entries of printed option maps and URL credentials. `preserveLayout` as in maskSqlSecrets (the
 * page shows the pasted text back with its lines intact).
 */
export function maskPlanText(text: string, preserveLayout = false): string {
  const mask = preserveLayout ? stars : () => '***';
  return maskUrlCredentials(
    text.replace(PRINTED_OPTION, (whole, head: string, name: string, value: string) =>
      isSecretOption(name) ? `${head}${name}=${mask(value)}` : whole,
    ),
    mask,
  );
}

interface Literal {
  /** Offset of the opening quote. */
  start: number;
  /** Offset just after the closing quote. */
  end: number;
  /** The unquoted content. */
  value: string;
}

/**
 * A tiny scanner of Flink SQL's lexical shape: string literals ('…' with '' as an escaped quote),
 * backquoted identifiers, `--` and `/* … *\/` comments. It finds `<name> = '<value>'` pairs without
 * a grammar, so masking never depends on the script parsing.
 */
function scan(sql: string): { literals: Literal[]; comments: Array<{ start: number; end: number }> } {
  const literals: Literal[] = [];
  const comments: Array<{ start: number; end: number }> = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    if (c === "'") {
      let j = i + 1;
      let value = '';
      while (j < sql.length) {
        if (sql[j] === "'") {
          if (sql[j + 1] === "'") {
            value += "'";
            j += 2;
            continue;
          }
          break;
        }
        value += sql[j];
        j++;
      }
      literals.push({ start: i, end: Math.min(j + 1, sql.length), value });
      i = j + 1;
    } else if (c === '`') {
      const j = sql.indexOf('`', i + 1);
      i = j < 0 ? sql.length : j + 1;
    } else if (c === '-' && sql[i + 1] === '-') {
      const j = sql.indexOf('\n', i);
      const end = j < 0 ? sql.length : j;
      comments.push({ start: i, end });
      i = end;
    } else if (c === '/' && sql[i + 1] === '*') {
      const j = sql.indexOf('*/', i + 2);
      const end = j < 0 ? sql.length : j + 2;
      comments.push({ start: i, end });
      i = end;
    } else {
      i++;
    }
  }
  return { literals, comments };
}

/** An unquoted option name (`SET table.exec.state.ttl = …`) right before `=` at `before`. */
function bareNameBefore(sql: string, before: number): string | undefined {
  const m = /([A-Za-z_][\w.-]*)\s*=\s*$/.exec(sql.slice(Math.max(0, before - 200), before));
  return m?.[1];
}

/** Inside a comment, `'name' = 'value'` pairs and URLs are masked the same way. */
const COMMENT_PAIR = /('([^']*)'\s*=\s*')([^']*)(')/g;

/**
 * Masks every credential in a script. With `preserveLayout`, each masked character becomes `*`
 * (newlines kept), so line and column numbers of everything else stay exact for the parser's
 * error positions; without it, each secret becomes `***` (the copy that is stored).
 */
export function maskSqlSecrets(sql: string, preserveLayout = false): string {
  const mask = preserveLayout ? stars : () => '***';
  const { literals, comments } = scan(sql);
  const edits: Array<{ start: number; end: number; text: string }> = [];
  literals.forEach((literal, index) => {
    const previous = literals[index - 1];
    const between = previous ? sql.slice(previous.end, literal.start) : '';
    const quotedName = previous && /^\s*=\s*$/.test(between) ? previous.value : undefined;
    const name = quotedName ?? bareNameBefore(sql, literal.start);
    if (name !== undefined && isSecretOption(name)) {
      edits.push({
        start: literal.start + 1,
        end: literal.end - 1,
        text: mask(sql.slice(literal.start + 1, literal.end - 1)),
      });
      return;
    }
    const masked = maskUrlCredentials(sql.slice(literal.start + 1, literal.end - 1), mask);
    if (masked !== sql.slice(literal.start + 1, literal.end - 1)) {
      edits.push({ start: literal.start + 1, end: literal.end - 1, text: masked });
    }
  });
  // An unquoted value after a secret name in a SET statement (`SET s3.secret-key = abc`); elsewhere
  // an unquoted right-hand side is a column, not a value.
  for (const m of sql.matchAll(/\bSET\s+([A-Za-z_][\w.-]*)\s*=\s*([^\s;'`]+)/gi)) {
    const [, name, value] = m;
    if (name === undefined || value === undefined || m.index === undefined || !isSecretOption(name)) continue;
    const start = m.index + m[0].length - value.length;
    if (comments.some((c) => start >= c.start && start < c.end)) continue;
    if (literals.some((l) => start >= l.start && start < l.end)) continue;
    edits.push({ start, end: start + value.length, text: mask(value) });
  }
  for (const comment of comments) {
    const body = sql.slice(comment.start, comment.end);
    const masked = maskUrlCredentials(
      body.replace(COMMENT_PAIR, (whole, head: string, name: string, value: string, tail: string) =>
        isSecretOption(name) ? `${head}${mask(value)}${tail}` : whole,
      ),
      mask,
    );
    if (masked !== body) edits.push({ start: comment.start, end: comment.end, text: masked });
  }
  edits.sort((a, b) => b.start - a.start);
  let out = sql;
  let floor = Number.POSITIVE_INFINITY;
  for (const edit of edits) {
    if (edit.end > floor) continue; // overlapping edits: the earlier-applied one already masked it
    out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
    floor = edit.start;
  }
  return out;
}

/** A JSON document (a plan) with every secret option value replaced by "***". */
export function redactJson(value: unknown): unknown {
  if (typeof value === 'string') return maskPlanText(value);
  if (Array.isArray(value)) return value.map(redactJson);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      out[key] = isSecretOption(key) && typeof inner === 'string' ? '***' : redactJson(inner);
    }
    return out;
  }
  return value;
}
