import type { FlinkSQL } from 'dt-sql-parser';
import { isPartitioned, recordFormat, sourceKind } from './connectors.js';
import type { Draft } from './draft.js';
import { formatSeconds } from './durations.js';
import { type Ctx, parallelismOption, type TableInfo, tableKey, unquote } from './sql-catalog.js';
import type { Patch } from './sql-gaps.js';
import { groupBy, rankOf, windowTvf } from './sql-grouping.js';
import { joinStreams } from './sql-joins.js';

export type Window = {
  type: string;
  sizeSeconds?: number;
  slideSeconds?: number;
  stepSeconds?: number;
  gapSeconds?: number;
  time: string;
};

/** What a FROM item or a query produces, as the pipeline sees it. */
export interface Stream {
  /** Nodes producing these rows (several after UNION ALL). */
  ids: string[];
  /** Names and aliases by which its columns can be qualified (lower case). */
  aliases: Set<string>;
  /** Base tables it reads (for their time attributes). */
  tables: TableInfo[];
  label: string;
  /** Rows assigned to windows by a window table function (window_start/window_end columns). */
  window?: Window;
  /** Rows that are window results (window aggregate or window join output). */
  windowed?: Window;
  /** Columns (lower case) that are time attributes: watermarked or PROCTIME() columns, window_time. */
  times: Set<string>;
  /** Names under which window_start and window_end of windowed rows are selected. */
  windowColumns?: { starts: Set<string>; ends: Set<string> };
  /** The select list computes ROW_NUMBER() OVER (…) AS alias, not yet filtered. */
  rowNumber?: {
    alias: string;
    partitionBy: string;
    orderBy: string;
    byTime: boolean;
    line: number;
    column: number;
  };
  /** The right side of FOR SYSTEM_TIME AS OF. */
  temporal?: { table: TableInfo; asOf: string };
  /** LATERAL TABLE(f(…)) or UNNEST(…). */
  correlate?: string;
}

export type Hints = Map<string, Map<string, string>>;

export interface QueryEnv {
  flink: FlinkSQL;
  sql: string;
  draft: Draft;
  tables: Map<string, TableInfo>;
  views: Map<string, { ctx: Ctx<'enterQueryStatement'>; stream?: Stream; name: string }>;
  catalogs: Map<string, string>;
  hints: Array<{ start: number; text: string }>;
  patches: Patch[];
}

const NOOP = { visitTerminal() {}, visitErrorNode() {}, enterEveryRule() {}, exitEveryRule() {} };

export interface Positioned {
  start: { start: number; line: number; column: number } | null;
  stop: { stop: number } | null;
}

export class QueryAnalyzer {
  private readonly scopes: Array<
    Map<string, { ctx: Ctx<'enterQueryStatement'>; stream?: Stream; name: string }>
  > = [];
  private readonly scans = new Map<string, Stream>();

  constructor(readonly env: QueryEnv) {}

  text(ctx: Positioned | null | undefined): string {
    if (!ctx?.start || !ctx.stop) return '';
    return this.env.sql.slice(ctx.start.start, ctx.stop.stop + 1);
  }

  at(ctx: Positioned | null | undefined): { line?: number; column?: number } {
    return ctx?.start ? { line: ctx.start.line, column: ctx.start.column + 1 } : {};
  }

  /** The stream a table, view or CTE name stands for. */
  scan(name: string, alias?: string): Stream {
    const key = tableKey(name);
    const aliases = new Set([key, ...(alias ? [alias.toLowerCase()] : [])]);
    for (const scope of [...this.scopes].reverse()) {
      const cte = scope.get(key);
      if (cte) return this.viewStream(cte, aliases);
    }
    const view = this.env.views.get(key);
    if (view) return this.viewStream(view, aliases);
    const known = this.scans.get(key);
    if (known) return { ...known, aliases };
    const table = this.table(name);
    const kind = sourceKind(table.options.connector, `table ${table.name}`);
    const topic = table.options.topic ?? table.options.stream ?? table.options.path;
    const rows = Number(table.options['rows-per-second']);
    const scanParallelism = parallelismOption(table.options, 'scan.parallelism');
    const { id, path } = this.env.draft.source({
      name: table.name,
      kind: kind.kind,
      format: recordFormat(table.options),
      parallelism: scanParallelism,
      recordsPerSecond: kind.kind === 'datagen' && rows > 0 ? rows : undefined,
      kindQuestion: kind.question,
      partitioned: isPartitioned(kind.kind),
      what: topic ? `${table.name} (${topic})` : table.name,
    });
    const stated = [
      table.options.connector ? `connector ${table.options.connector}` : undefined,
      topic ? `reading ${topic}` : undefined,
      recordFormat(table.options) ? `format ${recordFormat(table.options)}` : undefined,
      scanParallelism ? `scan.parallelism ${table.options['scan.parallelism']}` : undefined,
    ].filter(Boolean);
    this.env.draft.note({
      text: table.undeclared
        ? `Table ${table.name} is not created in this script (a catalog table?) → source "${id}" of kind ${kind.kind}.`
        : `CREATE TABLE ${table.name} (${stated.join(', ') || 'no connector option'}) → source "${id}" (${kind.kind}).`,
      line: table.line,
      construct: 'CREATE TABLE',
      path,
    });
    // FLINK-33265: the Kafka table source reads scan.parallelism from flink-connector-kafka 4.0
    // (Flink 2.0); the 3.x connector for 1.19/1.20 validates its options and refuses it.
    if (kind.kind === 'kafka' && scanParallelism)
      this.env.draft.note({
        text: `scan.parallelism on table ${table.name} needs flink-connector-kafka 4.0 or later (Flink 2.0): the 3.x connector for Flink 1.19/1.20 refuses the job with "Unsupported options found for 'kafka'". On those versions remove it (the source then runs at the job's parallelism); on 2.0 keep it and set flinkVersion "2.0".`,
        line: table.line,
        construct: 'CREATE TABLE',
        path: `${path}.parallelism`,
      });
    const stream: Stream = {
      ids: [id],
      aliases,
      tables: [table],
      label: table.name,
      times: new Set([...table.rowtime, ...table.proctime]),
    };
    this.scans.set(key, stream);
    return stream;
  }

  private viewStream(
    view: { ctx: Ctx<'enterQueryStatement'>; stream?: Stream; name: string },
    aliases: Set<string>,
  ): Stream {
    // Flink reuses a view's plan wherever it is read (table.optimizer.reuse-sub-plan-enabled, default true).
    view.stream ??= this.query(view.ctx);
    return { ...view.stream, aliases: new Set([...aliases, ...view.stream.aliases]), label: view.name };
  }

  table(name: string): TableInfo {
    const key = tableKey(name);
    const known = this.env.tables.get(key);
    if (known) return known;
    const segments = name.split('.').map((s) => s.replace(/`/g, '').toLowerCase());
    const catalogType = segments.length > 1 ? this.env.catalogs.get(segments[0] ?? '') : undefined;
    const info: TableInfo = {
      name: name.replace(/`/g, '').split('.').at(-1) ?? name,
      key,
      options: catalogType ? { connector: catalogType } : {},
      rowtime: new Set(),
      proctime: new Set(),
      primaryKey: false,
      line: 1,
      undeclared: true,
    };
    this.env.tables.set(key, info);
    return info;
  }

  hintsIn(ctx: Positioned | null | undefined): Hints {
    const hints: Hints = new Map();
    if (!ctx?.start || !ctx.stop) return hints;
    const from = ctx.start.start;
    const to = ctx.stop.stop;
    for (const hint of this.env.hints) {
      if (hint.start < from || hint.start > to) continue;
      for (const m of hint.text.matchAll(/([A-Za-z_]+)\s*\(([^)]*)\)/g)) {
        const args = new Map<string, string>();
        for (const pair of (m[2] ?? '').matchAll(/'([^']*)'\s*=\s*'([^']*)'/g))
          args.set((pair[1] ?? '').toLowerCase(), pair[2] ?? '');
        hints.set((m[1] ?? '').toUpperCase(), args);
      }
    }
    return hints;
  }

  query(ctx: Ctx<'enterQueryStatement'>): Stream {
    const withClause = ctx.withClause();
    if (withClause) {
      const scope = new Map<string, { ctx: Ctx<'enterQueryStatement'>; name: string }>();
      for (const item of withClause.withItem()) {
        const name = unquote(item.withItemName().getText());
        scope.set(name.toLowerCase(), { ctx: item.queryStatement(), name });
      }
      this.scopes.push(scope);
    }
    try {
      return this.queryBody(ctx);
    } finally {
      if (withClause) this.scopes.pop();
    }
  }

  private queryBody(ctx: Ctx<'enterQueryStatement'>): Stream {
    const parts = ctx.queryStatement();
    let stream: Stream;
    if (ctx.valuesClause()) {
      stream = this.values(ctx);
    } else if (parts.length === 2 && parts[0] && parts[1]) {
      const left = this.query(parts[0]);
      const right = this.query(parts[1]);
      const all = ctx.KW_ALL() !== null;
      const both: Stream = {
        ids: [...left.ids, ...right.ids],
        aliases: new Set([...left.aliases, ...right.aliases]),
        tables: [...left.tables, ...right.tables],
        label: `${left.label} and ${right.label}`,
        times: new Set([...left.times].filter((t) => right.times.has(t))),
      };
      if (left.windowed && right.windowed) both.windowed = left.windowed;
      if (ctx.KW_UNION() && all) {
        this.env.draft.note({
          text: `UNION ALL → both inputs feed the next node (Flink's union is no operator of its own).`,
          ...this.at(ctx),
          construct: 'UNION ALL',
        });
        stream = both;
      } else {
        const what = ctx.KW_UNION()
          ? 'UNION (without ALL) removes duplicates'
          : ctx.KW_INTERSECT()
            ? 'INTERSECT'
            : 'EXCEPT';
        const { id, path } = this.env.draft.operator({
          kind: 'aggregate',
          inputs: both.ids,
          name: what,
          keyedBy: 'every column',
        });
        this.env.draft.note({
          text: `${what} → an aggregate keyed by every column.`,
          ...this.at(ctx),
          construct: what,
          path,
        });
        stream = { ...both, ids: [id] };
      }
    } else if (parts.length === 1 && parts[0]) {
      stream = this.query(parts[0]);
    } else {
      const select = ctx.selectStatement();
      stream = select ? this.select(select) : this.values(ctx);
    }
    const limit = ctx.limitClause();
    const order = ctx.orderByClause();
    if (limit && order) {
      const n = Number(/\d+/.exec(this.text(limit))?.[0] ?? 1);
      const { id, path } = this.env.draft.operator({
        kind: 'top-n',
        inputs: stream.ids,
        name: `${this.text(order)} ${this.text(limit)}`,
        fields: { n, distinctKeys: 1 },
      });
      this.env.draft.note({
        text: `${this.text(order)} ${this.text(limit)} → a global top-${n} (one key: all rows).`,
        ...this.at(order),
        construct: 'ORDER BY … LIMIT',
        path,
      });
      stream = { ...stream, ids: [id] };
    }
    return stream;
  }

  values(ctx: Positioned): Stream {
    const { id, path } = this.env.draft.source({
      name: 'values',
      kind: 'datagen',
      partitioned: false,
      what: 'VALUES / literal rows',
    });
    this.env.draft.note({
      text: 'VALUES (literal rows) → a datagen source.',
      ...this.at(ctx),
      construct: 'VALUES',
      path,
    });
    return { ids: [id], aliases: new Set(), tables: [], label: 'values', times: new Set() };
  }

  select(ctx: Ctx<'enterSelectStatement'>): Stream {
    const clause = ctx.selectClause();
    const hints = this.hintsIn(clause);
    const where = ctx.whereClause();
    const whereText = where ? this.text(where).replace(/^\s*WHERE\s+/i, '') : '';
    const fromClause = ctx.fromClause();
    const fromResult = fromClause
      ? this.tableExpression(fromClause.tableExpression(), whereText, hints)
      : undefined;
    let stream = fromResult?.stream ?? this.values(ctx);
    const draft = this.env.draft;

    const match = ctx.matchRecognizeClause();
    if (match) {
      const partition = match.partitionByClause();
      const { id, path } = draft.operator({
        kind: 'aggregate',
        inputs: this.single(stream),
        name: 'MATCH_RECOGNIZE',
        keyedBy: partition ? this.text(partition) : 'no PARTITION BY: one key',
      });
      draft.note({
        text: `MATCH_RECOGNIZE (${partition ? this.text(partition) : 'no PARTITION BY'}) → keyed state of partial matches per partition, sized as an aggregate (the pipeline has no pattern-matching kind).`,
        ...this.at(match),
        construct: 'MATCH_RECOGNIZE',
        path,
      });
      stream = { ...stream, ids: [id], window: undefined, rowNumber: undefined };
    }

    if (where && !fromResult?.whereUsed) {
      const ranked = stream.rowNumber ? rankOf(this, stream, whereText) : undefined;
      if (ranked) stream = ranked;
      else {
        const { id } = draft.operator({ kind: 'filter', inputs: stream.ids, name: `WHERE ${whereText}` });
        stream = { ...stream, ids: [id] };
      }
    }
    stream = { ...stream, rowNumber: undefined };

    // OVER windows in the select list.
    const overs: Array<Ctx<'enterOverWindowItem'>> = [];
    this.env.flink.listen(
      { ...NOOP, enterOverWindowItem: (c: Ctx<'enterOverWindowItem'>) => void overs.push(c) },
      clause,
    );
    for (const over of overs) {
      const spec = over.windowSpec();
      const partitionBy = spec?.partitionByClause()
        ? this.text(spec.partitionByClause()).replace(/^PARTITION\s+BY\s+/i, '')
        : '';
      const orderBy = spec?.orderByClause()
        ? this.text(spec.orderByClause()).replace(/^ORDER\s+BY\s+/i, '')
        : '';
      const fn = this.text(over.primaryExpression());
      if (/^ROW_NUMBER\s*\(\s*\)$/i.test(fn)) {
        const column = orderBy.split(/\s+/)[0]?.split('.').at(-1)?.replace(/`/g, '').toLowerCase() ?? '';
        const byTime = stream.tables.some((t) => t.rowtime.has(column) || t.proctime.has(column));
        stream.rowNumber = {
          alias: unquote(over.identifier().getText()).toLowerCase(),
          partitionBy,
          orderBy,
          byTime,
          ...this.position(over),
        };
      } else {
        const { id, path } = draft.operator({
          kind: 'aggregate',
          inputs: this.single(stream),
          name: `${fn} OVER (…)`,
          keyedBy: partitionBy ? `PARTITION BY ${partitionBy}` : 'no PARTITION BY: one key',
        });
        draft.note({
          text: `${fn} OVER (${[partitionBy && `PARTITION BY ${partitionBy}`, orderBy && `ORDER BY ${orderBy}`].filter(Boolean).join(' ')} …) → an over aggregate, keyed by its partition and keeping the rows of its range; sized as an aggregate.`,
          ...this.at(over),
          construct: 'OVER',
          path,
        });
        stream = { ...stream, ids: [id] };
      }
    }

    const group = ctx.groupByClause();
    const distinct = clause.setQuantifier()?.KW_DISTINCT() !== null && clause.setQuantifier() !== null;
    if (group) stream = groupBy(this, ctx, group, stream, hints);
    else if (distinct) {
      const { id, path } = draft.operator({
        kind: 'aggregate',
        inputs: this.single(stream),
        name: 'SELECT DISTINCT',
        keyedBy: 'every selected column',
      });
      draft.note({
        text: 'SELECT DISTINCT → an aggregate keyed by every selected column.',
        ...this.at(clause),
        construct: 'SELECT DISTINCT',
        path,
      });
      stream = { ...stream, ids: [id], window: undefined };
    }
    return stream;
  }

  private position(ctx: Positioned): { line: number; column: number } {
    return { line: ctx.start?.line ?? 1, column: (ctx.start?.column ?? 0) + 1 };
  }

  /** One input id: a union feeding a two-input operator gets a node of its own. */
  single(stream: Stream): string[] {
    if (stream.ids.length <= 1) return stream.ids;
    const { id } = this.env.draft.operator({
      kind: 'project',
      inputs: stream.ids,
      name: `UNION ALL of ${stream.label}`,
    });
    stream.ids = [id];
    return stream.ids;
  }

  tableExpression(
    ctx: Ctx<'enterTableExpression'>,
    where: string,
    hints: Hints,
  ): { stream: Stream; whereUsed: boolean } {
    const tvf = ctx.windowTVFClause();
    if (tvf) return { stream: windowTvf(this, tvf.windowTVFExpression()), whereUsed: false };
    if (ctx.inlineDataValueClause()) return { stream: this.values(ctx), whereUsed: false };
    const refs = ctx.tableReference();
    if (refs.length > 0) {
      let stream = this.tableReference(refs[0] as Ctx<'enterTableReference'>);
      for (const ref of refs.slice(1))
        stream = joinStreams(this, stream, this.tableReference(ref), where, 'comma join', hints, ref);
      return { stream, whereUsed: refs.length > 1 };
    }
    const [l, r] = ctx.tableExpression();
    if (!l || !r) return { stream: this.values(ctx), whereUsed: false };
    const left = this.tableExpression(l, '', hints).stream;
    const right = this.tableExpression(r, '', hints).stream;
    const type = ctx.KW_LEFT()
      ? 'LEFT JOIN'
      : ctx.KW_RIGHT()
        ? 'RIGHT JOIN'
        : ctx.KW_FULL()
          ? 'FULL JOIN'
          : ctx.KW_CROSS()
            ? 'CROSS JOIN'
            : 'JOIN';
    const condition = [this.text(ctx.joinCondition()).replace(/^\s*ON\s+/i, ''), where]
      .filter(Boolean)
      .join(' AND ');
    return { stream: joinStreams(this, left, right, condition, type, hints, ctx), whereUsed: false };
  }

  private tableReference(ref: Ctx<'enterTableReference'>): Stream {
    const alias = ref.tableAlias()?.identifier().getText();
    const primary = ref.tablePrimary();
    const path = primary.tablePath() ?? primary.viewPath();
    if (path) {
      const name = path.getText();
      const period = primary.systemTimePeriod();
      if (period) {
        const table = this.table(name);
        return {
          ids: [],
          aliases: new Set([table.key, ...(alias ? [unquote(alias).toLowerCase()] : [])]),
          tables: [table],
          label: table.name,
          times: new Set(),
          temporal: { table, asOf: this.text(period.dateTimeExpression()) },
        };
      }
      return this.scan(name, alias ? unquote(alias) : undefined);
    }
    const atom = primary.atomExpressionTable();
    const subquery = atom?.queryStatement();
    if (subquery) {
      const stream = this.query(subquery);
      return {
        ...stream,
        aliases: new Set([...stream.aliases, ...(alias ? [unquote(alias).toLowerCase()] : [])]),
      };
    }
    const fn = primary.atomFunctionTable();
    return {
      ids: [],
      aliases: new Set(),
      tables: [],
      label: 'function',
      times: new Set(),
      correlate: this.text(fn ?? atom ?? primary),
    };
  }
}

export function describeWindow(w: Window): string {
  if (w.type === 'hopping')
    return `hopping window of ${formatSeconds(w.sizeSeconds ?? 0)} sliding by ${formatSeconds(w.slideSeconds ?? 0)}`;
  if (w.type === 'cumulate')
    return `cumulate window of ${formatSeconds(w.sizeSeconds ?? 0)} in steps of ${formatSeconds(w.stepSeconds ?? 0)}`;
  if (w.type === 'session') return `session window with a ${formatSeconds(w.gapSeconds ?? 0)} gap`;
  return `tumbling window of ${formatSeconds(w.sizeSeconds ?? 0)}`;
}
