// The Flink dialect alone: the package's root re-exports all eight dialects, 20 MB of generated
// grammars that the sources (tsx, vitest) would load and transform for one (1.6 MB). The build's
// bundle (sql-worker.bundle.mjs) tree-shakes to the same module either way.
import { FlinkSQL } from 'dt-sql-parser/dist/parser/flink/index.js';
import { recordFormat, sinkKind } from './connectors.js';
import { Draft } from './draft.js';
import { maskSqlSecrets } from './secrets.js';
import {
  type Ctx,
  optionsOf,
  parallelismOption,
  type TableInfo,
  tableFromCreate,
  tableKey,
  unquote,
} from './sql-catalog.js';
import { constructAt, patchGaps, scrubMessage, type TokenLike } from './sql-gaps.js';
import { QueryAnalyzer, type QueryEnv } from './sql-query.js';
import { SqlSettings } from './sql-settings.js';
import type { IntakeSyntaxError, SqlIntakeOutcome } from './types.js';

/**
 * Flink SQL script → pipeline draft, on dt-sql-parser's FlinkSQL grammar (antlr4ng). The script's
 * secrets are masked first (layout kept, so positions stay exact), known grammar gaps are patched
 * from the token stream, and a syntax error anywhere stops the analysis: the user gets every error
 * with its line, column and construct rather than a pipeline guessed from a partial tree.
 */

const flink = new FlinkSQL();

export function analyzeSql(rawSql: string): SqlIntakeOutcome {
  const started = performance.now();
  const masked = maskSqlSecrets(rawSql, true);
  const redactedSql = maskSqlSecrets(rawSql);
  // The lexer alone: getAllTokens() would run a whole parse without an error listener.
  const tokens = flink.createLexer(masked, () => {}).getAllTokens() as unknown as TokenLike[];
  const { text: sql, patches } = patchGaps(masked, tokens);
  const errors: IntakeSyntaxError[] = [];
  const tree = flink.parse(sql, (error) => {
    const lines = sql.split('\n');
    let offset = 0;
    for (let i = 0; i < error.startLine - 1 && i < lines.length; i++) offset += (lines[i]?.length ?? 0) + 1;
    offset += error.startColumn - 1;
    errors.push({
      path: 'sql',
      line: error.startLine,
      column: error.startColumn,
      construct: constructAt(tokens, offset),
      message: scrubMessage(error.message),
    });
  });
  if (errors.length > 0) return { ok: false, errors, redactedSql, parseMs: performance.now() - started };

  const draft = new Draft();
  const settings = new SqlSettings(draft);
  const env: QueryEnv = {
    flink,
    sql,
    draft,
    tables: new Map<string, TableInfo>(),
    views: new Map(),
    catalogs: new Map(),
    hints: tokens
      .filter((t) => t.channel !== 0 && (t.text ?? '').startsWith('/*+'))
      .map((t) => ({ start: t.start, text: t.text ?? '' })),
    patches,
  };
  const analyzer = new QueryAnalyzer(env);
  for (const patch of patches) {
    if (patch.kind === 'filter')
      draft.note({
        text: `${patch.text}: the grammar has no aggregate FILTER; read from the token stream as a filtered aggregate in the same operator.`,
        line: patch.line,
        column: patch.column,
        construct: 'FILTER (WHERE …)',
      });
    if (patch.kind === 'compile-plan')
      draft.note({
        text: `${patch.text}: the grammar has no COMPILE PLAN; the statement after FOR is read.`,
        line: patch.line,
        column: patch.column,
        construct: 'COMPILE PLAN',
      });
  }

  const insert = (ctx: Ctx<'enterInsertSimpleStatement'>) => {
    const query = ctx.queryStatement();
    const target = ctx.tablePath().getText();
    const stream = query ? analyzer.query(query) : undefined;
    if (!stream || stream.ids.length === 0) return;
    sink(target, stream.ids, ctx);
  };
  const sink = (
    target: string,
    inputs: string[],
    ctx: { start: { line: number; column: number } | null },
  ) => {
    const table = analyzer.table(target);
    const kind = sinkKind(table.options.connector, `table ${table.name}`);
    const { id, path } = draft.sink({
      name: table.name,
      kind: kind.kind,
      inputs,
      format: recordFormat(table.options),
      parallelism: parallelismOption(table.options, 'sink.parallelism'),
      kindQuestion: kind.question,
    });
    draft.note({
      text: `INSERT INTO ${table.name} → sink "${id}" (${kind.kind}${table.options.connector ? `, connector ${table.options.connector}` : ''}${parallelismOption(table.options, 'sink.parallelism') ? `, sink.parallelism ${table.options['sink.parallelism']}` : ''}).`,
      line: ctx.start?.line,
      column: (ctx.start?.column ?? 0) + 1,
      construct: 'INSERT INTO',
      path,
    });
  };

  for (const statement of tree.singleStatement()) {
    const s = statement.sqlStatement();
    if (!s) continue;
    const ddl = s.ddlStatement();
    const dml = s.dmlStatement() ?? s.explainStatement()?.dmlStatement() ?? null;
    const create = ddl?.createTable();
    const simple = create?.simpleCreateTable();
    if (simple) {
      const like = simple.likeDefinition();
      const parent = like ? env.tables.get(tableKey(like.tablePath().getText())) : undefined;
      const table = tableFromCreate(simple, parent);
      env.tables.set(table.key, table);
    }
    const ctas = create?.createTableAsSelect();
    if (ctas) {
      const name = unquote(ctas.tablePathCreate().getText());
      const key = tableKey(name);
      env.tables.set(key, {
        name: name.split('.').at(-1) ?? name,
        key,
        options: optionsOf(ctas.withOption().tablePropertyList()),
        rowtime: new Set(),
        proctime: new Set(),
        primaryKey: false,
        line: ctas.start?.line ?? 1,
      });
      const query = ctas.queryStatement();
      const stream = query ? analyzer.query(query) : undefined;
      if (stream && stream.ids.length > 0) sink(name, stream.ids, ctas);
    }
    const view = ddl?.createView();
    if (view) {
      const name = unquote(view.viewPathCreate().getText());
      env.views.set(tableKey(name), { ctx: view.queryStatement(), name: name.split('.').at(-1) ?? name });
    }
    const catalog = ddl?.createCatalog();
    if (catalog) {
      const options = optionsOf(catalog.withOption().tablePropertyList());
      if (options.type)
        env.catalogs.set(
          unquote(catalog.catalogPathCreate().getText()).toLowerCase(),
          options.type.toLowerCase(),
        );
      draft.note({
        text: `CREATE CATALOG ${unquote(catalog.catalogPathCreate().getText())} (type ${options.type ?? 'unknown'}): its tables are read and written with that connector.`,
        line: catalog.start?.line,
        construct: 'CREATE CATALOG',
      });
    }
    const set = s.setStatement()?.tableProperty();
    if (set)
      settings.apply(
        unquote(set.tablePropertyKey().getText()),
        unquote(set.tablePropertyValue()?.getText() ?? ''),
        set.start?.line ?? 1,
      );
    if (dml) {
      const ins = dml.insertStatement();
      const single = ins?.insertSimpleStatement() ?? s.explainStatement()?.insertSimpleStatement();
      if (single) insert(single);
      const many =
        ins?.insertMulStatement() ??
        ins?.insertMulStatementCompatibility() ??
        s.explainStatement()?.insertMulStatement();
      if (many) {
        draft.note({
          text: `A statement set of ${many.insertSimpleStatement().length} INSERT statements → one job with a sink for each.`,
          line: many.start?.line,
          construct: 'EXECUTE STATEMENT SET',
        });
        for (const one of many.insertSimpleStatement()) insert(one);
      }
      const query = dml.queryStatement();
      if (query) {
        const stream = analyzer.query(query);
        if (stream.ids.length > 0) {
          const { id, path } = draft.sink({ name: 'collect', kind: 'blackhole', inputs: stream.ids });
          draft.note({
            text: `A SELECT without INSERT INTO sends its rows to the client (a collect sink) → sink "${id}" (blackhole).`,
            line: query.start?.line,
            construct: 'SELECT',
            path,
          });
        }
      }
    }
  }
  draft.sql = settings.finish();
  const result = draft.finish();
  if (result.spec.pipeline.sinks.length === 0) {
    return {
      ok: false,
      errors: [
        {
          path: 'sql',
          line: 1,
          column: 1,
          construct: 'script',
          message: 'The script has no INSERT INTO, statement set or SELECT: there is no job to size.',
        },
      ],
      redactedSql,
      parseMs: performance.now() - started,
    };
  }
  return { ok: true, draft: result, redactedSql, parseMs: performance.now() - started };
}
