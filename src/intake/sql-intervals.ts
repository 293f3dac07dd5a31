import { sqlIntervalSeconds } from './durations.js';

/**
 * Time bounds of an interval join, read from its condition. Flink plans a join as an interval
 * join when the condition bounds one side's time attribute by the other's on both sides
 * (`IntervalJoinUtil.extractWindowBoundsFromPredicate`): `r.ts BETWEEN l.ts - INTERVAL '1' HOUR AND
 * l.ts`, or `l.ts >= r.ts AND l.ts < r.ts + INTERVAL '10' MINUTE`, in ON or WHERE, either side first.
 * The result is the right side's time relative to the left's: right.ts − left.ts ∈ [lower, upper].
 */

const TERM = String.raw`([\w\`]+)\.([\w\`]+)(?:\s*([+-])\s*(INTERVAL\s*'[^']*'\s*\w+(?:\s+TO\s+\w+)?))?`;
const COMPARISON = new RegExp(`${TERM}\\s*(>=|<=|>|<)\\s*${TERM}`, 'gi');
const BETWEEN = new RegExp(`${TERM}\\s+BETWEEN\\s+${TERM}\\s+AND\\s+${TERM}`, 'gi');

const alias = (s: string | undefined) => (s ?? '').replace(/`/g, '').toLowerCase();

function offset(sign: string | undefined, interval: string | undefined): number {
  if (!interval) return 0;
  const seconds = sqlIntervalSeconds(interval) ?? 0;
  return sign === '-' ? -seconds : seconds;
}

interface Side {
  aliases: Set<string>;
  /** Time attribute columns (lower case): only bounds between time attributes make an interval join. */
  times: Set<string>;
}

export function intervalBounds(
  condition: string,
  leftSide: Side,
  rightSide: Side,
): { lower: number; upper: number; text: string } | undefined {
  const left = leftSide.aliases;
  const right = rightSide.aliases;
  // a BETWEEN b AND c  ≡  a >= b AND a <= c
  const expanded = condition.replace(BETWEEN, (_m, a1, a2, as, ai, b1, b2, bs, bi, c1, c2, cs, ci) => {
    const a = `${a1}.${a2}${ai ? ` ${as} ${ai}` : ''}`;
    return `${a} >= ${b1}.${b2}${bi ? ` ${bs} ${bi}` : ''} AND ${a} <= ${c1}.${c2}${ci ? ` ${cs} ${ci}` : ''}`;
  });
  let lower: number | undefined;
  let upper: number | undefined;
  const parts: string[] = [];
  for (const m of expanded.matchAll(COMPARISON)) {
    const [whole, a, ac, as, ai, op, b, bc, bs, bi] = m;
    const aa = alias(a);
    const bb = alias(b);
    const onTimes = (side: Side, column: string | undefined) => side.times.has(alias(column));
    // lhs + p  op  rhs + q   ⇒   lhs − rhs  op  q − p
    let c = offset(bs, bi) - offset(as, ai);
    let o = op ?? '';
    if (left.has(aa) && right.has(bb)) {
      if (!onTimes(leftSide, ac) || !onTimes(rightSide, bc)) continue;
      // left − right op c  ⇒  right − left  flip(op)  −c
      c = -c;
      o = o.includes('>') ? o.replace('>', '<') : o.replace('<', '>');
    } else if (!(right.has(aa) && left.has(bb)) || !onTimes(rightSide, ac) || !onTimes(leftSide, bc)) {
      continue;
    }
    if (o.startsWith('>')) lower = lower === undefined ? c : Math.max(lower, c);
    else upper = upper === undefined ? c : Math.min(upper, c);
    parts.push(whole.trim());
  }
  if (lower === undefined || upper === undefined || lower > upper) return undefined;
  // + 0 turns a negated zero into 0.
  return { lower: lower + 0, upper: upper + 0, text: parts.join(' AND ') };
}
