import { formatSeconds, sqlIntervalSeconds } from './durations.js';
import { type Ctx, durationOption, tableKey } from './sql-catalog.js';
import { describeWindow, type Hints, type QueryAnalyzer, type Stream, type Window } from './sql-query.js';

/**
 * GROUP BY (group aggregates, window aggregates over window table functions, legacy group
 * windows), ROW_NUMBER() filters (top-N and deduplication, per window or not) and STATE_TTL hints.
 * Flink's rules: a ROW_NUMBER() filtered to rank 1 and ordered by a time attribute is a
 * deduplication, any other `rn <= N` a rank (StreamPhysicalRankRule / StreamPhysicalDeduplicateRule);
 * distinct aggregates on the same argument share one set of seen values (AggregateUtil's
 * DistinctInfo).
 */

type Json = Record<string, unknown>;

/** WHERE rn <= N over a ROW_NUMBER() stream → top-N or deduplication. */
export function rankOf(a: QueryAnalyzer, stream: Stream, whereText: string): Stream | undefined {
  const rn = stream.rowNumber;
  if (!rn) return undefined;
  const alias = rn.alias.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m =
    new RegExp(`\\b${alias}\\s*(<=|<|=)\\s*(\\d+)`, 'i').exec(whereText) ??
    new RegExp(`(\\d+)\\s*(>=|>|=)\\s*${alias}\\b`, 'i').exec(whereText);
  const between = new RegExp(`\\b${alias}\\s+BETWEEN\\s+1\\s+AND\\s+(\\d+)`, 'i').exec(whereText);
  let n: number | undefined;
  if (between) n = Number(between[1]);
  else if (m) {
    const [a, b] = /^\d/.test(m[1] ?? '') ? [m[2], m[1]] : [m[1], m[2]];
    const limit = Number(b);
    n = a === '<' || a === '>' ? limit - 1 : limit;
  }
  if (n === undefined || n < 1) return undefined;
  const perWindow =
    (stream.window ?? stream.windowed) !== undefined && /window_start|window_end/i.test(rn.partitionBy);
  const draft = a.env.draft;
  const scope = perWindow ? ' per window' : '';
  const keyedBy = rn.partitionBy ? `PARTITION BY ${rn.partitionBy}` : 'no PARTITION BY: one key';
  const construct = `ROW_NUMBER() OVER (${keyedBy} ORDER BY ${rn.orderBy}) … WHERE ${whereText}`;
  if (n === 1 && rn.byTime) {
    const last = /\bDESC\b/i.test(rn.orderBy);
    const { id, path } = draft.operator({
      kind: 'deduplicate',
      inputs: a.single(stream),
      name: `dedup ${keyedBy}`,
      keyedBy,
    });
    draft.note({
      text: `${construct} → a deduplication${scope} keeping the ${last ? 'last' : 'first'} row per key (ordered by the time attribute ${rn.orderBy.split(/\s+/)[0]}).`,
      line: rn.line,
      column: rn.column,
      construct: 'ROW_NUMBER',
      path,
    });
    return { ...stream, ids: [id], rowNumber: undefined };
  }
  const fields: Json = { n };
  if (!rn.partitionBy || (perWindow && rn.partitionBy.split(',').length <= 2))
    fields.distinctKeys = perWindow ? 1 : 1;
  const { id, path } = draft.operator({
    kind: 'top-n',
    inputs: a.single(stream),
    name: `top-${n}${scope}`,
    fields,
    keyedBy,
  });
  draft.note({
    text: `${construct} → a top-${n}${scope}${keysBesidesWindow(rn.partitionBy) ? ` for each ${keysBesidesWindow(rn.partitionBy)}` : perWindow ? '' : ' over all rows (one key)'}${n === 1 && !rn.byTime ? ' (ordered by a column that is not a time attribute, so Flink plans a rank, not a deduplication)' : ''}.`,
    line: rn.line,
    column: rn.column,
    construct: 'ROW_NUMBER',
    path,
  });
  return { ...stream, ids: [id], rowNumber: undefined };
}

export function groupBy(
  a: QueryAnalyzer,
  ctx: Ctx<'enterSelectStatement'>,
  group: Ctx<'enterGroupByClause'>,
  stream: Stream,
  hints: Hints,
): Stream {
  const draft = a.env.draft;
  const items = group.groupItemDefinition().map((g) => a.text(g));
  const selectText =
    a.text(ctx.selectClause()) + (ctx.havingClause() ? ` ${a.text(ctx.havingClause())}` : '');
  const distinctArgs = new Set(
    [...selectText.matchAll(/\b\w+\s*\(\s*DISTINCT\s+([^)]*)\)/gi)].map((m) =>
      (m[1] ?? '').replace(/\s+/g, '').toLowerCase(),
    ),
  );
  const filters = a.env.patches.filter(
    (p) =>
      p.kind === 'filter' && ctx.start && ctx.stop && p.start >= ctx.start.start && p.start <= ctx.stop.stop,
  );
  const fields: Json = {};
  if (distinctArgs.size > 0) fields.distinctAggregates = distinctArgs.size;
  const ttl = ttlHint(hints, stream.aliases);
  let window: Window | undefined;
  let legacy: string | undefined;
  for (const item of items) {
    const m = /^\s*(TUMBLE|HOP|SESSION)\s*\((.*)\)\s*$/is.exec(item);
    if (!m?.[1] || !m[2]) continue;
    legacy = item;
    const intervals = [...m[2].matchAll(/INTERVAL\s*'[^']*'\s*\w+(?:\s+TO\s+\w+)?/gi)].map(
      (i) => sqlIntervalSeconds(i[0]) ?? 0,
    );
    const column = (m[2].split(',')[0] ?? '').trim().split('.').at(-1)?.toLowerCase() ?? '';
    const time = stream.tables.some((t) => t.proctime.has(column)) ? 'processing' : 'event';
    const name = m[1].toUpperCase();
    if (name === 'TUMBLE') window = { type: 'tumbling', sizeSeconds: intervals[0] ?? 0, time };
    else if (name === 'HOP')
      window = { type: 'hopping', slideSeconds: intervals[0] ?? 0, sizeSeconds: intervals[1] ?? 0, time };
    else window = { type: 'session', gapSeconds: intervals[0] ?? 0, time };
  }
  const keys = items.filter(
    (i) => i !== legacy && !/^\s*window_(start|end|time)\s*$/i.test(i.split('.').at(-1) ?? ''),
  );
  const keyedBy = keys.length > 0 ? `GROUP BY ${keys.join(', ')}` : 'no key besides the window';
  const byWindow = items.some((i) => /window_start/i.test(i)) && items.some((i) => /window_end/i.test(i));
  if (!window && byWindow && (stream.window || stream.windowed)) window = stream.window ?? stream.windowed;
  const extras = [
    distinctArgs.size > 0
      ? `${distinctArgs.size} distinct-value set${distinctArgs.size === 1 ? '' : 's'} per key (DISTINCT on ${[...distinctArgs].join(', ')}; Flink shares one per argument)`
      : undefined,
    filters.length > 0
      ? `${filters.length} aggregate FILTER clause${filters.length === 1 ? '' : 's'}, computed inside the same aggregate`
      : undefined,
  ].filter(Boolean);
  if (window) {
    if (keys.length === 0) fields.distinctKeys = 1;
    const { id, path } = draft.operator({
      kind: 'window-aggregate',
      inputs: a.single(stream),
      name: `${describeWindow(window)} ${keyedBy}`,
      fields: { ...fields, window },
      keyedBy,
    });
    draft.note({
      text: `${legacy ? `GROUP BY ${legacy} (a legacy group window)` : `GROUP BY window_start, window_end over a ${window.type} window table function`} → a window aggregate, ${describeWindow(window)}, ${keyedBy}${extras.length > 0 ? `; ${extras.join('; ')}` : ''}.`,
      ...a.at(group),
      construct: legacy ? 'group window' : 'window aggregation',
      path,
    });
    const selected = a.text(ctx.selectClause());
    const named = (column: string) =>
      new Set([
        column,
        ...[...selected.matchAll(new RegExp(`\\b${column}\\s+AS\\s+\`?(\\w+)`, 'gi'))].map((m) =>
          (m[1] ?? '').toLowerCase(),
        ),
      ]);
    return {
      ...stream,
      ids: [id],
      window: undefined,
      windowed: window,
      times: new Set(['window_time']),
      windowColumns: { starts: named('window_start'), ends: named('window_end') },
    };
  }
  if (ttl.both !== undefined) fields.ttlSeconds = ttl.both;
  const { id, path } = draft.operator({
    kind: 'aggregate',
    inputs: a.single(stream),
    name: keyedBy,
    fields,
    keyedBy,
  });
  draft.note({
    text: `${keyedBy} → a group aggregate (updates per input row)${extras.length > 0 ? `; ${extras.join('; ')}` : ''}${ttl.both !== undefined ? `; STATE_TTL ${formatSeconds(ttl.both)}` : ''}.`,
    ...a.at(group),
    construct: 'GROUP BY',
    path,
  });
  return { ...stream, ids: [id], window: undefined, windowed: undefined, times: new Set() };
}

/** STATE_TTL('alias' = '1d', …) → seconds for the given side(s). */
export function ttlHint(
  hints: Hints,
  aliases: Set<string>,
  other?: Set<string>,
): { both?: number; left?: number; right?: number } {
  const pairs = hints.get('STATE_TTL');
  if (!pairs) return {};
  const out: { both?: number; left?: number; right?: number } = {};
  for (const [key, value] of pairs) {
    const seconds = durationOption(value);
    if (seconds === undefined) continue;
    const k = tableKey(key);
    if (aliases.has(k)) out.left = seconds;
    else if (other?.has(k)) out.right = seconds;
  }
  if (!other) out.both = out.left;
  return out;
}

/** TUMBLE / HOP / CUMULATE / SESSION(TABLE t, DESCRIPTOR(ts), INTERVAL …) → the input, its rows windowed. */
export function windowTvf(a: QueryAnalyzer, expr: Ctx<'enterWindowTVFExpression'>): Stream {
  const nameToken = expr.windowTVFName();
  const session = a.env.patches.find((p) => p.kind === 'session' && p.start === nameToken.start?.start);
  const name = session ? 'SESSION' : nameToken.getText().toUpperCase();
  const params = expr.windowTVFParam();
  const tableParam = params.find((p) => p.KW_TABLE() !== null);
  const tableName = a
    .text(tableParam)
    .replace(/^.*?\bTABLE\s+/is, '')
    .trim();
  const input = /^\(/.test(tableName) ? a.values(expr) : a.scan(tableName);
  const descriptor = params.map((p) => a.text(p)).find((t) => /DESCRIPTOR\s*\(/i.test(t)) ?? '';
  const column =
    /DESCRIPTOR\s*\(\s*([^)]*)\)/i
      .exec(descriptor)?.[1]
      ?.trim()
      .split('.')
      .at(-1)
      ?.replace(/`/g, '')
      .toLowerCase() ?? '';
  const time = input.tables.some((t) => t.proctime.has(column)) ? 'processing' : 'event';
  const named = new Map<string, number>();
  const positional: number[] = [];
  for (const p of params) {
    const interval = p.timeIntervalExpression();
    if (!interval) continue;
    const seconds = sqlIntervalSeconds(a.text(interval)) ?? 0;
    const label = p.timeIntervalParamName()?.getText().toUpperCase();
    if (label) named.set(label, seconds);
    else positional.push(seconds);
  }
  const get = (label: string, index: number) => named.get(label) ?? positional[index] ?? 0;
  let window: Window;
  if (name === 'HOP')
    window = { type: 'hopping', slideSeconds: get('SLIDE', 0), sizeSeconds: get('SIZE', 1), time };
  else if (name === 'CUMULATE')
    window = { type: 'cumulate', stepSeconds: get('STEP', 0), sizeSeconds: get('SIZE', 1), time };
  else if (name === 'SESSION') window = { type: 'session', gapSeconds: get('GAP', 0), time };
  else window = { type: 'tumbling', sizeSeconds: get('SIZE', 0), time };
  a.env.draft.note({
    text: `${name}(TABLE ${tableName}, ${descriptor || 'DESCRIPTOR(…)'}, …) → ${describeWindow(window)} on ${time} time${session ? ` (the grammar has no SESSION window function: read from the token stream${session.partitionBy ? `, PARTITION BY ${session.partitionBy}` : ''})` : ''}.`,
    ...a.at(expr),
    construct: `${name} window table function`,
  });
  return {
    ...input,
    window,
    windowColumns: { starts: new Set(['window_start']), ends: new Set(['window_end']) },
  };
}

/** PARTITION BY keys other than window_start and window_end. */
const keysBesidesWindow = (partitionBy: string) =>
  partitionBy
    .split(',')
    .map((k) => k.trim())
    .filter((k) => k !== '' && !/^(\w+\.)?window_(start|end)$/i.test(k))
    .join(', ');
