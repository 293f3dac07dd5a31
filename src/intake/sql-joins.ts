import { isLookupConnector, lookupCache } from './connectors.js';
import { formatSeconds } from './durations.js';
import { tableKey } from './sql-catalog.js';
import { ttlHint } from './sql-grouping.js';
import { intervalBounds } from './sql-intervals.js';
import { describeWindow, type Hints, type Positioned, type QueryAnalyzer, type Stream } from './sql-query.js';

/**
 * Joins, told apart the way Flink's planner tells them apart: a correlate (LATERAL TABLE, UNNEST),
 * a lookup join (FOR SYSTEM_TIME AS OF a processing-time attribute, or a lookup source such as
 * jdbc), an event-time temporal join (AS OF a row time, against a versioned table), an interval
 * join (time bounds on both sides' time attributes), a window join (both inputs windowed, equal
 * on window start and end), and otherwise a regular join with its state TTL.
 */

type Json = Record<string, unknown>;

const formatSigned = (s: number) =>
  s < 0 ? `−${formatSeconds(-s)}` : s === 0 ? '0 s' : `+${formatSeconds(s)}`;

export function joinStreams(
  a: QueryAnalyzer,
  left: Stream,
  right: Stream,
  condition: string,
  type: string,
  hints: Hints,
  at: Positioned,
): Stream {
  const draft = a.env.draft;
  const aliases = new Set([...left.aliases, ...right.aliases]);
  const tables = [...left.tables, ...right.tables];
  const base = {
    aliases,
    tables,
    label: `${left.label} ⋈ ${right.label}`,
    times: new Set([...left.times, ...right.times]),
  };
  const position = a.at(at);
  if (right.correlate) {
    const { id, path } = draft.operator({
      kind: 'flatmap',
      inputs: left.ids,
      name: right.correlate.slice(0, 200),
    });
    draft.note({
      text: `${right.correlate} → a correlate (flatmap) on ${left.label}.`,
      ...position,
      construct: 'LATERAL TABLE / UNNEST',
      path,
    });
    return { ...left, ids: [id] };
  }
  if (right.temporal) return temporalJoin(a, left, right.temporal, base, hints, position);
  const bounds = intervalBounds(condition, left, right);
  if (bounds) {
    const { id, path } = draft.operator({
      kind: 'interval-join',
      inputs: [...a.single(left), ...a.single(right)],
      name: `${type} ${left.label} / ${right.label} within [${bounds.lower}, ${bounds.upper}] s`,
      fields: { lowerBoundSeconds: bounds.lower, upperBoundSeconds: bounds.upper },
      keyedBy: 'the join keys',
    });
    draft.note({
      text: `${type} of ${left.label} and ${right.label} with time bounds (${bounds.text}) → an interval join: the time of ${right.label} from ${formatSigned(bounds.lower)} to ${formatSigned(bounds.upper)} relative to that of ${left.label}.`,
      ...position,
      construct: 'interval join',
      path,
    });
    return { ...base, ids: [id] };
  }
  const lw = left.window ?? left.windowed;
  const rw = right.window ?? right.windowed;
  const mentions = (names: Set<string> | undefined) =>
    [...(names ?? [])].some((n) => new RegExp(`\\.\\s*\`?${n}\\b|\\b${n}\\b`, 'i').test(condition));
  const onWindows =
    mentions(left.windowColumns?.starts) &&
    mentions(left.windowColumns?.ends) &&
    mentions(right.windowColumns?.starts) &&
    mentions(right.windowColumns?.ends);
  if (lw && rw && onWindows) {
    const { id, path } = draft.operator({
      kind: 'window-join',
      inputs: [...a.single(left), ...a.single(right)],
      name: `${type} ${describeWindow(lw)}`,
      fields: { window: lw },
      keyedBy: 'the join keys and window',
    });
    draft.note({
      text: `${type} of two windowed inputs on window_start and window_end → a window join, ${describeWindow(lw)}.`,
      ...position,
      construct: 'window join',
      path,
    });
    return { ...base, ids: [id], windowed: lw, windowColumns: left.windowColumns };
  }
  const ttl = ttlHint(hints, left.aliases, right.aliases);
  const fields: Json = {};
  if (ttl.left !== undefined && ttl.right !== undefined && ttl.left === ttl.right)
    fields.ttlSeconds = ttl.left;
  else {
    if (ttl.left !== undefined) fields.leftTtlSeconds = ttl.left;
    if (ttl.right !== undefined) fields.rightTtlSeconds = ttl.right;
  }
  const { id, path } = draft.operator({
    kind: 'regular-join',
    inputs: [...a.single(left), ...a.single(right)],
    name: `${type} ${left.label} / ${right.label}`,
    fields,
    keyedBy: 'the join keys',
  });
  const ttlText =
    ttl.left !== undefined || ttl.right !== undefined
      ? `STATE_TTL keeps ${left.label} ${ttl.left !== undefined ? formatSeconds(ttl.left) : 'by the default TTL'} and ${right.label} ${ttl.right !== undefined ? formatSeconds(ttl.right) : 'by the default TTL'}`
      : a.env.draft.state.ttlSeconds !== undefined
        ? `state kept ${formatSeconds(Number(a.env.draft.state.ttlSeconds))} (table.exec.state.ttl)`
        : 'no TTL: both sides are kept for ever (set table.exec.state.ttl or a STATE_TTL hint)';
  draft.note({
    text: `${type} of ${left.label} and ${right.label} → a regular join; ${ttlText}.`,
    ...position,
    construct: 'regular join',
    path,
  });
  return { ...base, ids: [id] };
}

function temporalJoin(
  a: QueryAnalyzer,
  left: Stream,
  temporal: NonNullable<Stream['temporal']>,
  base: Omit<Stream, 'ids'>,
  hints: Hints,
  position: { line?: number; column?: number },
): Stream {
  const draft = a.env.draft;
  const { table, asOf } = temporal;
  const column = asOf.split('.').at(-1)?.replace(/`/g, '').trim().toLowerCase() ?? '';
  const byProctime = left.tables.some((t) => t.proctime.has(column));
  if (isLookupConnector(table.options.connector) || byProctime) {
    const lookupHint = hints.get('LOOKUP');
    const hintFor =
      lookupHint && tableKey(lookupHint.get('table') ?? table.key) === table.key ? lookupHint : undefined;
    const fields: Json = {};
    const asyncText = hintFor?.get('async') ?? table.options['lookup.async'];
    if (asyncText !== undefined) fields.async = asyncText.toLowerCase() === 'true';
    const capacity = Number(hintFor?.get('capacity'));
    if (fields.async === true && Number.isInteger(capacity) && capacity > 0) fields.asyncCapacity = capacity;
    const { id, path } = draft.operator({
      kind: 'lookup-join',
      inputs: a.single(left),
      name: `lookup ${table.name}`,
      fields,
    });
    const cache = lookupCache(table.options);
    if (cache)
      draft.askCacheHitRatio(path, `Share of lookups into ${table.name} answered by its cache (${cache})`);
    draft.note({
      text: `JOIN ${table.name} FOR SYSTEM_TIME AS OF ${asOf} → a lookup join (${byProctime ? 'as of a processing-time attribute' : `${table.options.connector} is a lookup source`}; ${fields.async === true ? 'async' : 'synchronous'} lookups; ${cache ?? 'no cache'}). The looked-up table is not a source.`,
      ...position,
      construct: 'lookup join',
      path,
    });
    return { ...base, ids: [id] };
  }
  const versioned = a.scan(table.name);
  const { id, path } = draft.operator({
    kind: 'temporal-join',
    inputs: [...a.single(left), ...versioned.ids],
    name: `temporal ${table.name}`,
    keyedBy: `the primary key of ${table.name}`,
  });
  draft.note({
    text: `JOIN ${table.name} FOR SYSTEM_TIME AS OF ${asOf} → an event-time temporal join against the versioned table ${table.name}${table.primaryKey ? ' (PRIMARY KEY and watermark)' : ''}, which is a source.`,
    ...position,
    construct: 'temporal join',
    path,
  });
  return { ...base, ids: [id] };
}
