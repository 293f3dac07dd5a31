import { describe, expect, it } from 'vitest';
import { NEXMARK_DDL, NEXMARK_QUERIES } from '../../fixtures/intake/nexmark.js';
import { draftOf, operator, operatorsOf, sinksOf } from './helpers.js';

/**
 * Nexmark's Flink SQL → pipelines. The three views (person, auction, bid) are filters over the one
 * Kafka table; Flink reuses the table's scan, so every query has one source.
 */
const draft = (q: string) => draftOf(`${NEXMARK_DDL}\n${NEXMARK_QUERIES[q]}`);

describe('Nexmark queries', () => {
  it('q5: two hopping-window counts over bids, the maximum per window, joined back', () => {
    const d = draft('q5');
    expect(d.spec.pipeline.sources.map((s) => s.id)).toEqual(['kafka']);
    expect(operatorsOf(d)).toEqual([
      'filter(kafka)',
      'window-aggregate(filter)',
      'window-aggregate(filter)',
      'aggregate(window-aggregate-2)',
      'regular-join(window-aggregate,aggregate)',
    ]);
    expect(operator(d, 'window-aggregate').window).toEqual({
      type: 'hopping',
      slideSeconds: 2,
      sizeSeconds: 10,
      time: 'event',
    });
    expect(sinksOf(d)).toEqual(['blackhole(regular-join)']);
  });

  it('q7: the join on window_end is a regular join — window_end is no time attribute, so no interval join', () => {
    const d = draft('q7');
    expect(operatorsOf(d)).toEqual([
      'filter(kafka)',
      'window-aggregate(filter)',
      'regular-join(filter,window-aggregate)',
      'filter(regular-join)',
    ]);
    // Grouped by the window alone: one key per window.
    expect(operator(d, 'window-aggregate').distinctKeys).toBe(1);
  });

  it('q8: two tumbling-window aggregates joined on their window start and end → a window join', () => {
    const d = draft('q8');
    expect(operatorsOf(d)).toEqual([
      'filter(kafka)',
      'window-aggregate(filter)',
      'filter(kafka)',
      'window-aggregate(filter-2)',
      'window-join(window-aggregate,window-aggregate-2)',
    ]);
    expect(operator(d, 'window-join').window).toEqual({ type: 'tumbling', sizeSeconds: 10, time: 'event' });
  });

  it('q11: GROUP BY SESSION(…) (a legacy group window) → a session window aggregate with a 10 s gap', () => {
    const d = draft('q11');
    expect(operatorsOf(d)).toEqual(['filter(kafka)', 'window-aggregate(filter)']);
    expect(operator(d, 'window-aggregate').window).toEqual({
      type: 'session',
      gapSeconds: 10,
      time: 'event',
    });
  });

  it('q15: FILTER (WHERE …) aggregates, read from the token stream; DISTINCT on two arguments', () => {
    const d = draft('q15');
    expect(operatorsOf(d)).toEqual(['filter(kafka)', 'aggregate(filter)']);
    expect(operator(d, 'aggregate').distinctAggregates).toBe(2);
    const filters = d.notes.filter((n) => n.construct === 'FILTER (WHERE …)');
    expect(filters).toHaveLength(9);
    expect(filters[0]).toMatchObject({ line: expect.any(Number), column: expect.any(Number) });
  });

  it('q18: ROW_NUMBER() … ORDER BY the row time DESC, rank 1 → a deduplication keeping the last row', () => {
    const d = draft('q18');
    expect(operatorsOf(d)).toEqual(['filter(kafka)', 'deduplicate(filter)']);
    expect(d.notes.some((n) => /deduplication keeping the last row per key/.test(n.text))).toBe(true);
  });

  it('q19: ROW_NUMBER() … ORDER BY price, rank ≤ 10 → a top-10 per auction', () => {
    const d = draft('q19');
    expect(operatorsOf(d)).toEqual(['filter(kafka)', 'top-n(filter)']);
    expect(operator(d, 'top-n').n).toBe(10);
    expect(d.notes.some((n) => /top-10 for each auction/.test(n.text))).toBe(true);
  });

  it('q20: bids joined with auctions (two filters over one scan), then the WHERE filter', () => {
    const d = draft('q20');
    expect(operatorsOf(d)).toEqual([
      'filter(kafka)',
      'filter(kafka)',
      'regular-join(filter,filter-2)',
      'filter(regular-join)',
    ]);
    expect(operator(d, 'regular-join').ttlSeconds).toBeUndefined();
  });
});
