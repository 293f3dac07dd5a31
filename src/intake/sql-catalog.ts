import type { FlinkSqlParserListener } from 'dt-sql-parser';
import { parseFlinkDurationSeconds } from './durations.js';

/** The parser's rule contexts, named through its listener's signatures (the package exports no context types). */
export type Ctx<K extends keyof FlinkSqlParserListener> = Parameters<
  NonNullable<FlinkSqlParserListener[K]>
>[0];

export interface TableInfo {
  /** The table's name as written, last path segment, unquoted. */
  name: string;
  /** Lower-case lookup key (the last path segment). */
  key: string;
  /** `WITH` options, secrets already masked. */
  options: Record<string, string>;
  /** Lower-case names of event-time (watermarked) and processing-time columns. */
  rowtime: Set<string>;
  proctime: Set<string>;
  primaryKey: boolean;
  line: number;
  /** Set when the script never creates the table (a catalog table). */
  undeclared?: boolean;
}

export const unquote = (text: string) => {
  const t = text.trim();
  if (t.length >= 2 && ((t.startsWith("'") && t.endsWith("'")) || (t.startsWith('"') && t.endsWith('"')))) {
    return t.slice(1, -1).replace(/''/g, "'");
  }
  return t.replace(/`/g, '');
};

/** `a.b.c`, `` `cat`.`db`.`t` `` → its segments, unquoted. */
export const pathSegments = (text: string) =>
  text
    .split('.')
    .map((s) => s.replace(/`/g, '').trim())
    .filter(Boolean);

export const tableKey = (text: string) => (pathSegments(text).at(-1) ?? text).toLowerCase();

export function optionsOf(list: Ctx<'enterTablePropertyList'> | null | undefined): Record<string, string> {
  const options: Record<string, string> = {};
  for (const property of list?.tableProperty() ?? []) {
    const key = unquote(property.tablePropertyKey().getText());
    options[key] = unquote(property.tablePropertyValue()?.getText() ?? '');
  }
  return options;
}

/** A CREATE TABLE's catalog entry: options, time attributes, primary key. */
export function tableFromCreate(ctx: Ctx<'enterSimpleCreateTable'>, inherited?: TableInfo): TableInfo {
  const name = pathSegments(ctx.tablePathCreate().getText()).at(-1) ?? ctx.tablePathCreate().getText();
  const info: TableInfo = {
    name,
    key: name.toLowerCase(),
    options: { ...(inherited?.options ?? {}), ...optionsOf(ctx.withOption().tablePropertyList()) },
    rowtime: new Set(inherited?.rowtime ?? []),
    proctime: new Set(inherited?.proctime ?? []),
    primaryKey: ctx.tableConstraint() !== null || (inherited?.primaryKey ?? false),
    line: ctx.start?.line ?? 1,
  };
  const watermark = ctx.watermarkDefinition();
  if (watermark) info.rowtime.add(unquote(watermark.columnName().getText()).toLowerCase());
  for (const column of ctx.columnOptionDefinition()) {
    const computed = column.computedColumnDefinition();
    if (computed && /^PROCTIME\s*\(\s*\)$/i.test(computed.computedColumnExpression().getText())) {
      info.proctime.add(unquote(computed.columnNameCreate().getText()).toLowerCase());
    }
    if (column.getText().toUpperCase().includes('PRIMARYKEY')) info.primaryKey = true;
  }
  return info;
}

/** `scan.parallelism` / `sink.parallelism` as a whole number, when the script sets one. */
export function parallelismOption(options: Record<string, string>, key: string): number | undefined {
  const n = Number(options[key]);
  return Number.isInteger(n) && n >= 1 && n <= 32768 ? n : undefined;
}

/** A positive duration option in seconds. */
export function durationOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = parseFlinkDurationSeconds(value);
  return seconds !== undefined && seconds > 0 ? seconds : undefined;
}
