/**
 * Durations as Flink writes them: option values (`'1d'`, `'12 h'`, `'30 min'`, `'1000'` = ms) as
 * `org.apache.flink.util.TimeUtils#parseDuration` reads them, SQL interval literals
 * (`INTERVAL '10' MINUTE`, `INTERVAL '1:30' HOUR TO MINUTE`), and ISO-8601 durations
 * (`PT5S`, Java's `Duration#toString`) as compiled plans carry them.
 */

const UNIT_SECONDS: ReadonlyArray<[readonly string[], number]> = [
  [['d', 'day', 'days'], 86400],
  [['h', 'hour', 'hours'], 3600],
  [['min', 'm', 'minute', 'minutes', 'mins'], 60],
  [['s', 'sec', 'secs', 'second', 'seconds'], 1],
  [['ms', 'milli', 'millis', 'millisecond', 'milliseconds'], 1e-3],
  [['µs', 'us', 'micro', 'micros', 'microsecond', 'microseconds'], 1e-6],
  [['ns', 'nano', 'nanos', 'nanosecond', 'nanoseconds'], 1e-9],
];

function unitSeconds(unit: string): number | undefined {
  const u = unit.toLowerCase();
  return UNIT_SECONDS.find(([names]) => names.includes(u))?.[1];
}

/** Seconds of a Flink option duration (`'1d'`, `'12 h'`, a bare number = milliseconds), or undefined. */
export function parseFlinkDurationSeconds(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zµ]*)\s*$/i.exec(text);
  if (!m?.[1]) return parseIsoDurationSeconds(text);
  const amount = Number(m[1]);
  const unit = m[2] ?? '';
  const factor = unit === '' ? 1e-3 : unitSeconds(unit);
  return factor === undefined ? undefined : amount * factor;
}

/** Seconds of an ISO-8601 duration such as `PT5S`, `PT1H30M`, `P1DT2H`, or undefined. */
export function parseIsoDurationSeconds(text: string): number | undefined {
  const m =
    /^\s*P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?\s*$/i.exec(
      text,
    );
  if (!m || text.trim().toUpperCase() === 'P' || text.trim().toUpperCase() === 'PT') return undefined;
  const [, d, h, min, s] = m;
  return Number(d ?? 0) * 86400 + Number(h ?? 0) * 3600 + Number(min ?? 0) * 60 + Number(s ?? 0);
}

const SQL_UNITS: Record<string, number> = {
  YEAR: 365 * 86400,
  MONTH: 30 * 86400,
  WEEK: 7 * 86400,
  DAY: 86400,
  HOUR: 3600,
  MINUTE: 60,
  SECOND: 1,
  MILLISECOND: 1e-3,
};

/**
 * Seconds of the first SQL interval literal in `text` (`INTERVAL '10' MINUTE`, `INTERVAL '2' SECONDS`,
 * `INTERVAL '1:30' HOUR TO MINUTE`, `INTERVAL '1 02:00:00' DAY TO SECOND`), or undefined.
 */
export function sqlIntervalSeconds(text: string): number | undefined {
  const m =
    /INTERVAL\s*'\s*(-?[\d.:\s]+?)\s*'\s*([A-Z]+?)S?(?:\s*\(\s*\d+\s*\))?(?:\s+TO\s+([A-Z]+?)S?\b)?(?![A-Z])/i.exec(
      text,
    );
  if (!m?.[1] || !m[2]) return undefined;
  const from = SQL_UNITS[m[2].toUpperCase()];
  if (from === undefined) return undefined;
  const value = m[1].trim();
  if (!m[3]) {
    const n = Number(value);
    return Number.isFinite(n) ? n * from : undefined;
  }
  // "d hh:mm:ss" style: split into fields from the leading unit downwards.
  const order = ['DAY', 'HOUR', 'MINUTE', 'SECOND'];
  const parts = value.split(/[\s:]+/).map(Number);
  let index = order.indexOf(m[2].toUpperCase());
  if (index < 0 || parts.some((p) => !Number.isFinite(p))) return undefined;
  let total = 0;
  for (const part of parts) {
    const unit = order[index];
    if (unit === undefined) return undefined;
    total += part * (SQL_UNITS[unit] ?? 0);
    index++;
  }
  return total;
}

/** "10 s", "2 min", "1 h", "1 d" for notes. */
export function formatSeconds(seconds: number): string {
  if (seconds >= 86400 && seconds % 86400 === 0) return `${seconds / 86400} d`;
  if (seconds >= 3600 && seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds >= 60 && seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}
