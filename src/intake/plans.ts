import { isPartitioned, recordFormat, sinkKind, sourceKind } from './connectors.js';
import { Draft } from './draft.js';
import { parseFlinkDurationSeconds, parseIsoDurationSeconds } from './durations.js';
import { detectPlan, type PlanFormat, type PlanOperator } from './plan-formats.js';
import { planMiniBatch } from './plan-mini-batch.js';
import { redactJson } from './secrets.js';
import type { IntakeDraft } from './types.js';

/**
 * A Flink plan → pipeline draft. Physical operator names map onto the pipeline's kinds (the names
 * are the planner's `StreamExec*` nodes, the same in all three formats); HASH edges are keyed
 * exchanges; each node keeps its parallelism, and, from a job graph, its job vertex id as
 * `flinkVertexId` (the id Flink's REST API and metrics use, so calibration can join on it).
 */

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** Operators that move or reshape rows without work of their own worth a node. */
const PASS_THROUGH = new Set([
  'Exchange',
  'Union',
  'WatermarkAssigner',
  'MiniBatchAssigner',
  'DropUpdateBefore',
  'SinkConversion',
  'SinkConversion To Row',
  'SourceConversion',
  'StreamRecordTimestampInserter',
  'ConstraintEnforcer',
  'Timestamps/Watermarks',
  'WindowTableFunction',
  'Expand',
  'LocalGroupAggregate',
  'LocalWindowAggregate',
  'PartitionCommitter',
  'StreamingFileWriter',
  'Partitioner',
  'Writer',
  'Committer',
]);

const KINDS: Record<string, string> = {
  GroupAggregate: 'aggregate',
  GlobalGroupAggregate: 'aggregate',
  IncrementalGroupAggregate: 'aggregate',
  PythonGroupAggregate: 'aggregate',
  WindowAggregate: 'window-aggregate',
  GlobalWindowAggregate: 'window-aggregate',
  GroupWindowAggregate: 'window-aggregate',
  PythonGroupWindowAggregate: 'window-aggregate',
  WindowJoin: 'window-join',
  IntervalJoin: 'interval-join',
  Join: 'regular-join',
  TemporalJoin: 'temporal-join',
  LookupJoin: 'lookup-join',
  Rank: 'top-n',
  WindowRank: 'top-n',
  SortLimit: 'top-n',
  Deduplicate: 'deduplicate',
  WindowDeduplicate: 'deduplicate',
  ChangelogNormalize: 'deduplicate',
  Match: 'aggregate',
  OverAggregate: 'aggregate',
  PythonOverAggregate: 'aggregate',
  Correlate: 'flatmap',
  PythonCorrelate: 'flatmap',
  Calc: 'map',
  PythonCalc: 'udf',
  Map: 'map',
  Filter: 'filter',
  'Flat Map': 'flatmap',
  'Keyed Aggregation': 'aggregate',
  'Keyed Reduce': 'aggregate',
};

const EXPLAINED: Record<string, string> = {
  ChangelogNormalize: 'keeps the last row per primary key, sized as a deduplication',
  Match: 'MATCH_RECOGNIZE: keyed state of partial matches, sized as an aggregate',
  OverAggregate: 'an OVER aggregate: keyed by its partition, sized as an aggregate',
  LocalGroupAggregate: 'a local pre-aggregation chained before the exchange',
};

function windowFrom(op: PlanOperator): Json | undefined {
  const c = op.compiled;
  const windowing = c && isObject(c.windowing) ? c.windowing : undefined;
  const w = windowing && isObject(windowing.window) ? windowing.window : undefined;
  const time = windowing && windowing.isRowtime === false ? 'processing' : 'event';
  const iso = (v: unknown) => parseIsoDurationSeconds(str(v));
  if (w) {
    const type = str(w.type);
    if (type === 'TumblingWindow') return { type: 'tumbling', sizeSeconds: iso(w.size), time };
    if (type === 'HoppingWindow' || type === 'SlidingWindow')
      return { type: 'hopping', sizeSeconds: iso(w.size), slideSeconds: iso(w.slide), time };
    if (type === 'CumulativeWindow')
      return { type: 'cumulate', sizeSeconds: iso(w.maxSize), stepSeconds: iso(w.step), time };
    if (type === 'SessionWindow') return { type: 'session', gapSeconds: iso(w.gap), time };
  }
  const a = op.args;
  const d = (re: RegExp) => {
    const m = re.exec(a)?.[1];
    return m === undefined ? undefined : parseFlinkDurationSeconds(m);
  };
  if (/TUMBLE\(/.test(a)) return { type: 'tumbling', sizeSeconds: d(/size=\[([^\]]+)\]/), time };
  if (/HOP\(/.test(a))
    return {
      type: 'hopping',
      sizeSeconds: d(/size=\[([^\]]+)\]/),
      slideSeconds: d(/slide=\[([^\]]+)\]/),
      time,
    };
  if (/CUMULATE\(/.test(a))
    return {
      type: 'cumulate',
      sizeSeconds: d(/max_size=\[([^\]]+)\]/),
      stepSeconds: d(/step=\[([^\]]+)\]/),
      time,
    };
  if (/SESSION\(/.test(a)) return { type: 'session', gapSeconds: d(/gap=\[([^\]]+)\]/), time };
  // Legacy group windows: TumblingGroupWindow('w$, ts, 10000) in milliseconds.
  const legacy = /(Tumbling|Sliding|Session)GroupWindow\([^,]*,\s*[^,]*,\s*(\d+)(?:,\s*(\d+))?/.exec(a);
  if (legacy) {
    const first = Number(legacy[2]) / 1000;
    if (legacy[1] === 'Tumbling') return { type: 'tumbling', sizeSeconds: first, time };
    if (legacy[1] === 'Session') return { type: 'session', gapSeconds: first, time };
    return { type: 'hopping', sizeSeconds: first, slideSeconds: Number(legacy[3]) / 1000, time };
  }
  // DataStream: Window(TumblingEventTimeWindows(5000), …)
  const ds = /(Tumbling|Sliding)(Event|Processing)TimeWindows\((\d+)(?:,\s*(\d+))?/.exec(a);
  if (ds) {
    const t = ds[2] === 'Processing' ? 'processing' : 'event';
    return ds[1] === 'Tumbling'
      ? { type: 'tumbling', sizeSeconds: Number(ds[3]) / 1000, time: t }
      : { type: 'hopping', sizeSeconds: Number(ds[3]) / 1000, slideSeconds: Number(ds[4]) / 1000, time: t };
  }
  return undefined;
}

function fieldsFor(kind: string, op: PlanOperator): Json {
  const fields: Json = {};
  const c = op.compiled;
  if (kind === 'window-aggregate' || kind === 'window-join') {
    const w = windowFrom(op);
    if (w) fields.window = w;
  }
  if (kind === 'top-n') {
    const range = c && isObject(c.rankRange) ? c.rankRange : undefined;
    const start = Number(range?.start ?? /rankStart=(\d+)/.exec(op.args)?.[1] ?? 1);
    const end = Number(
      range?.end ?? /rankEnd=(\d+)/.exec(op.args)?.[1] ?? /fetch=\[?(\d+)/.exec(op.args)?.[1] ?? NaN,
    );
    if (Number.isFinite(end)) fields.n = Math.max(1, end - start + 1);
  }
  if (kind === 'interval-join') {
    const spec =
      c && isObject(c.intervalJoinSpec) && isObject(c.intervalJoinSpec.windowBounds)
        ? c.intervalJoinSpec.windowBounds
        : undefined;
    const lower = Number(spec?.leftLowerBound ?? /leftLowerBound=(-?\d+)/.exec(op.args)?.[1]);
    const upper = Number(spec?.leftUpperBound ?? /leftUpperBound=(-?\d+)/.exec(op.args)?.[1]);
    // left.ts ∈ [right.ts + lower, right.ts + upper]  ⇔  right.ts − left.ts ∈ [−upper, −lower] (ms).
    if (Number.isFinite(lower) && Number.isFinite(upper)) {
      fields.lowerBoundSeconds = -upper / 1000 || 0;
      fields.upperBoundSeconds = -lower / 1000 || 0;
    }
  }
  if (c && Array.isArray(c.aggCalls)) {
    const distinct = c.aggCalls.filter((a) => isObject(a) && a.distinct === true).length;
    if (distinct > 0 && (kind === 'aggregate' || kind === 'window-aggregate'))
      fields.distinctAggregates = distinct;
  } else if (kind === 'aggregate' || kind === 'window-aggregate') {
    const distinct = (op.args.match(/\(DISTINCT /g) ?? []).length;
    if (distinct > 0) fields.distinctAggregates = distinct;
  }
  const ttls =
    c && Array.isArray(c.state)
      ? c.state
          .filter(isObject)
          .map((s) => ({ name: str(s.name), ttl: parseFlinkDurationSeconds(str(s.ttl)) }))
      : [];
  const positive = ttls.filter((t) => t.ttl !== undefined && t.ttl > 0);
  if (positive.length > 0) {
    if (kind === 'regular-join' && ttls.length === 2 && ttls[0]?.ttl !== ttls[1]?.ttl) {
      if (ttls[0]?.ttl) fields.leftTtlSeconds = ttls[0].ttl;
      if (ttls[1]?.ttl) fields.rightTtlSeconds = ttls[1].ttl;
    } else if (['aggregate', 'regular-join', 'temporal-join', 'deduplicate', 'top-n'].includes(kind)) {
      fields.ttlSeconds = positive[0]?.ttl;
    }
  }
  return fields;
}

/** A COMPILE PLAN node's table: its scanTableSource (a source) or dynamicTableSink (a sink). */
function compiledTable(op: PlanOperator): Record<string, unknown> | undefined {
  const c = op.compiled;
  if (!c) return undefined;
  if (isObject(c.scanTableSource)) return c.scanTableSource;
  return isObject(c.dynamicTableSink) ? c.dynamicTableSink : undefined;
}

/** `table=[[default_catalog, default_database, bids]]` or an identifier → `bids`. */
function tableName(op: PlanOperator, fallback: string): string {
  const holder = compiledTable(op);
  const identifier = holder && isObject(holder.table) ? str(holder.table.identifier) : '';
  const text =
    identifier || /table=\[\[?([^\]]+)\]?\]/.exec(op.args)?.[1] || op.args.split(/[[(,]/)[0] || fallback;
  return (text.split(/[.,]/).at(-1) ?? fallback).replace(/[`\s]/g, '') || fallback;
}

function tableOptions(op: PlanOperator): Record<string, string> {
  const holder = compiledTable(op);
  const resolved =
    holder && isObject(holder.table) && isObject(holder.table.resolvedTable)
      ? holder.table.resolvedTable
      : undefined;
  const options = resolved && isObject(resolved.options) ? resolved.options : {};
  return Object.fromEntries(Object.entries(redactJson(options) as Json).map(([k, v]) => [k, str(v)]));
}

const FORMAT_NAMES: Record<PlanFormat, string> = {
  'stream-graph': 'stream graph (EXPLAIN JSON_EXECUTION_PLAN)',
  'job-graph': 'job graph (REST /jobs/:id/plan)',
  'compiled-plan': 'compiled plan (COMPILE PLAN)',
  'explain-tree': 'EXPLAIN output (its optimized plan, without parallelism)',
};

export function analyzePlan(document: unknown): { draft: IntakeDraft } | { error: string } {
  const detected = detectPlan(document);
  if ('error' in detected) return detected;
  const { format, operators } = detected;
  const draft = new Draft();
  const byKey = new Map(operators.map((o) => [o.key, o]));
  const idOf = new Map<string, string[]>();
  const sqlNames = operators.some(
    (o) => /^(TableSourceScan|Calc|Sink|GroupAggregate|Exchange)$/.test(o.op) || /^\[\d+\]:/.test(o.args),
  );
  draft.note({ text: `Read as Flink's ${FORMAT_NAMES[format]}: ${operators.length} operators.` });

  /** Of two strategies on one path, the one that is not a plain forward (a HASH anywhere keys it). */
  const strongest = (a: string, b: string) => (a && a !== 'FORWARD' ? a : b || a);
  /** The pipeline ids an operator's output is, after skipping pass-through operators. */
  const resolve = (key: string, seen = new Set<string>()): Array<{ id: string; strategy: string }> => {
    if (seen.has(key)) return [];
    seen.add(key);
    const ids = idOf.get(key);
    if (ids) return ids.map((id) => ({ id, strategy: '' }));
    const op = byKey.get(key);
    if (!op) return [];
    return op.inputs.flatMap((i) =>
      resolve(i.key, seen).map((r) => ({ id: r.id, strategy: strongest(r.strategy, i.strategy) })),
    );
  };

  // Topological order: a node after its inputs (plans list them in any order).
  const order: PlanOperator[] = [];
  const state = new Map<string, number>();
  const visit = (op: PlanOperator) => {
    if (state.get(op.key) !== undefined) return;
    state.set(op.key, 1);
    for (const input of op.inputs) {
      const upstream = byKey.get(input.key);
      if (upstream) visit(upstream);
    }
    state.set(op.key, 2);
    order.push(op);
  };
  for (const op of operators) visit(op);

  for (const op of order) {
    const inputs = op.inputs.flatMap((i) =>
      resolve(i.key).map((r) => ({ id: r.id, strategy: strongest(r.strategy, i.strategy) })),
    );
    const extra: Json = {};
    if (op.vertexId) extra.flinkVertexId = op.vertexId;
    if (op.parallelism) extra.parallelism = op.parallelism;
    const isSource =
      op.op === 'TableSourceScan' ||
      op.op === 'Source:' ||
      (op.inputs.length === 0 && !PASS_THROUGH.has(op.op) && op.op !== 'Sink' && op.op !== 'Sink:');
    if (isSource) {
      const name = tableName(op, op.op === 'Source:' ? op.args || 'source' : 'source');
      const options = tableOptions(op);
      const kind = sourceKind(options.connector, `source ${name}`);
      const { id, path } = draft.source({
        name,
        kind: kind.kind,
        format: recordFormat(options),
        parallelism: op.parallelism,
        kindQuestion: kind.question,
        partitioned: isPartitioned(kind.kind),
        what: name,
      });
      if (op.vertexId) Object.assign(draft.pipeline.sources.at(-1) ?? {}, { flinkVertexId: op.vertexId });
      draft.note({
        text: `${op.op}${op.args ? `(${op.args.slice(0, 120)})` : ''} → source "${id}"${op.parallelism ? ` at parallelism ${op.parallelism}` : ''}.`,
        construct: op.op,
        path,
      });
      idOf.set(op.key, [id]);
      continue;
    }
    if (op.op === 'Sink' || op.op === 'Sink:') {
      const name = tableName(op, op.args || 'sink');
      const options = tableOptions(op);
      const kind = sinkKind(options.connector, `sink ${name}`);
      const { id, path } = draft.sink({
        name,
        kind: kind.kind,
        inputs: inputs.map((i) => i.id),
        format: recordFormat(options),
        parallelism: op.parallelism,
        kindQuestion: kind.question,
      });
      if (op.vertexId) Object.assign(draft.pipeline.sinks.at(-1) ?? {}, { flinkVertexId: op.vertexId });
      draft.note({ text: `${op.op}(${op.args.slice(0, 120)}) → sink "${id}".`, construct: op.op, path });
      idOf.set(op.key, [id]);
      continue;
    }
    if (PASS_THROUGH.has(op.op)) {
      if (EXPLAINED[op.op])
        draft.note({
          text: `${op.op}: ${EXPLAINED[op.op]}; folded into the next operator.`,
          construct: op.op,
        });
      continue;
    }
    const keyed = inputs.some((i) => i.strategy === 'HASH');
    let kind =
      KINDS[op.op] ?? (/^Window\(/.test(`${op.op}(`) || op.op === 'Window' ? 'window-aggregate' : undefined);
    // A Calc with a condition filters (it projects as well, in the same operator).
    if (kind === 'map' && /where=/.test(op.args)) kind = 'filter';
    const unknown = kind === undefined;
    if (unknown) kind = keyed ? 'aggregate' : 'udf';
    const resolvedKind = kind ?? 'udf';
    let fields = fieldsFor(resolvedKind, op);
    if (resolvedKind === 'window-aggregate' && fields.window === undefined) {
      // A window the plan does not size: keep the operator keyed and ask.
      kind = 'aggregate';
      fields = {};
      draft.note({
        text: `${op.op}: the window's size is not in the plan; sized as an aggregate — set the window in the editor.`,
        construct: op.op,
      });
    }
    if (resolvedKind === 'top-n' && fields.n === undefined) fields.n = 1;
    const twoInputs = ['window-join', 'interval-join', 'regular-join', 'temporal-join'].includes(kind ?? '');
    const ids = [...new Set(inputs.map((i) => i.id))];
    const { id, path } = draft.operator({
      kind: kind ?? 'udf',
      inputs:
        twoInputs && ids.length !== 2 ? ids.slice(0, 2) : kind === 'lookup-join' ? ids.slice(0, 1) : ids,
      name: `${op.op}${op.args ? `(${op.args.slice(0, 80)}${op.args.length > 80 ? '…' : ''})` : ''}`,
      fields: { ...fields, ...extra },
      keyedBy: keyed ? 'the HASH exchange key' : undefined,
    });
    draft.note({
      text: `${op.op} → ${kind}${EXPLAINED[op.op] ? ` (${EXPLAINED[op.op]})` : ''}${unknown ? ` (not a Flink SQL operator name: ${keyed ? 'after a HASH exchange, so treated as keyed state' : 'treated as a stateless user function'})` : ''}${keyed ? '; its input is a HASH (keyed) exchange' : ''}${op.parallelism ? `; parallelism ${op.parallelism} from the plan` : ''}.`,
      construct: op.op,
      path,
    });
    idOf.set(op.key, [id]);
  }
  // Counted before finish(), which drops the nodes no sink reads: a plan without a sink would
  // otherwise seem to have no source either.
  const missing = [
    draft.pipeline.sources.length === 0 ? 'source' : '',
    draft.pipeline.sinks.length === 0 ? 'sink' : '',
  ].filter(Boolean);
  const result = draft.finish();
  if (!sqlNames) result.spec.api = 'datastream';
  else {
    const miniBatch = planMiniBatch(operators);
    result.spec.sql = miniBatch.sql;
    if (result.spec.pipeline.operators.some((o) => o.kind === 'aggregate' || o.kind === 'deduplicate'))
      result.notes.push({ text: miniBatch.text, path: 'sql.miniBatch' });
  }
  if (
    missing.length === 0 &&
    (result.spec.pipeline.sources.length === 0 || result.spec.pipeline.sinks.length === 0)
  ) {
    return {
      error:
        'The plan has sources and sinks, but no source reaches a sink: paste the whole document Flink printed.',
    };
  }
  if (missing.length > 0) {
    // Say what was read, so a user who pasted part of a plan sees which end is missing.
    const seen = [...new Set(operators.map((o) => o.op))];
    return {
      error: `The plan has no ${missing.join(' and no ')} this reader recognises (a source is an operator without inputs, such as TableSourceScan or "Source: …"; a sink is Sink or "Sink: …"). It read ${operators.length} operator${operators.length === 1 ? '' : 's'}: ${seen.slice(0, 8).join(', ')}${seen.length > 8 ? ', …' : ''}. Paste the whole document Flink printed.`,
    };
  }
  if (operators.some((o) => o.parallelism !== undefined)) {
    result.notes.push({
      text: 'Parallelism comes from the plan as an override on each node; clear it in the editor to let the estimate choose.',
    });
  }
  return { draft: result };
}
