import { describe, expect, it } from 'vitest';
import { estimate } from '../../../src/estimator/index.js';
import { JobSpecSchema } from '../../../src/jobspec/index.js';
import { buildCompareView, type Comparable } from '../../../src/presenters/compare.js';

function item(id: string, raw: unknown): Comparable {
  const spec = JobSpecSchema.parse(raw);
  return {
    id,
    name: id,
    owner: null,
    version: 1,
    spec,
    estimate: estimate(spec),
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  };
}

const workload = { sources: 2, operators: 4, sinks: 1, recordsPerSecond: 50000, avgRecordBytes: 512 };
const pipeline = {
  pipeline: {
    sources: [
      { id: 'a', kind: 'kafka', recordsPerSecond: 30000, avgRecordBytes: 100, partitions: 12 },
      { id: 'b', kind: 'cdc', recordsPerSecond: 10000, avgRecordBytes: 500, peakFactor: 3 },
    ],
    operators: [{ id: 'j', kind: 'regular-join', inputs: ['a', 'b'], ttlSeconds: 3600 }],
    sinks: [{ id: 'out', kind: 'jdbc', inputs: ['j'] }],
  },
};

const row = (view: ReturnType<typeof buildCompareView>, label: string) => {
  const found = view.sections.flatMap((s) => s.rows).find((r) => r.label === label);
  if (!found) throw new Error(`no row ${label}`);
  return found;
};

describe('buildCompareView', () => {
  it('flags cells that differ from the first column, never the first column itself', () => {
    const view = buildCompareView([
      item('base', { workload }),
      item('same', { workload }),
      item('faster', { workload: { ...workload, recordsPerSecond: 500000 } }),
    ]);
    expect(view.columns.map((c) => c.name)).toEqual(['base', 'same', 'faster']);
    const rate = row(view, 'Input rate (average)');
    expect(rate.cells.map((c) => c.diff)).toEqual([false, false, true]);
    expect(rate.cells.map((c) => c.text)).toEqual(['50k rec/s', '50k rec/s', '500k rec/s']);
    expect(rate.cells[2]?.title).toBe('500,000 records/s');
    expect(rate.differs).toBe(true);
    expect(row(view, 'Flink version').differs).toBe(false);
    expect(view.differingRows).toBeGreaterThan(1);
    expect(view.totalRows).toBe(view.sections.reduce((n, s) => n + s.rows.length, 0));
  });

  it('compares exact values, not the rounded text', () => {
    const a = item('a', { workload });
    const b = item('b', { workload });
    b.estimate = {
      ...b.estimate,
      taskManagers: {
        ...b.estimate.taskManagers,
        memory: { ...b.estimate.taskManagers.memory, taskHeap: b.estimate.taskManagers.memory.taskHeap + 1 },
      },
    };
    const heap = row(buildCompareView([a, b]), 'Task heap');
    expect(heap.cells[0]?.text).toBe(heap.cells[1]?.text);
    expect(heap.cells[1]?.diff).toBe(true);
    expect(heap.cells[1]?.title).toMatch(/ bytes$/);
  });

  it('describes quick and pipeline inputs side by side, with memory breakdown rows', () => {
    const view = buildCompareView([item('quick', { workload }), item('dag', pipeline)]);
    expect(row(view, 'Form').cells.map((c) => c.text)).toEqual(['Quick (workload)', 'Pipeline (DAG)']);
    expect(row(view, 'Sources').cells[1]?.lines).toEqual([
      'a: kafka, 30k rec/s, 100 B, 12 partitions',
      'b: cdc, 10k rec/s, 500 B',
    ]);
    expect(row(view, 'Input rate (average)').cells[1]?.text).toBe('40k rec/s');
    // Rate-weighted: (30000 × 1 + 10000 × 3) / 40000 = 1.5; (30000 × 100 + 10000 × 500) / 40000 = 200 B.
    expect(row(view, 'Peak factor').cells[1]?.text).toBe('× 1.5');
    expect(row(view, 'Average record size').cells[1]?.text).toBe('200 B');
    expect(row(view, 'Stateful operators').cells[1]?.text).toBe('1');
    expect(row(view, 'Distinct keys').cells[1]?.text).toBe('—');
    const managed = row(view, 'Managed memory');
    expect(managed.sub).toBe(true);
    expect(row(view, 'Memory per TaskManager (process)').sub).toBe(false);
  });

  it('shows only differing rows when asked, keeping the sections', () => {
    const view = buildCompareView(
      [item('a', { workload }), item('b', { workload: { ...workload, avgRecordBytes: 2048 } })],
      { onlyDifferences: true },
    );
    expect(view.onlyDifferences).toBe(true);
    expect(view.sections.map((s) => s.id)).toEqual(['inputs', 'outputs']);
    const rows = view.sections.flatMap((s) => s.rows);
    expect(rows.length).toBe(view.differingRows);
    expect(rows.every((r) => r.differs)).toBe(true);
    expect(rows.map((r) => r.label)).toContain('Average record size');
  });

  it('counts repeated warning codes instead of listing them twice', () => {
    const a = item('a', { workload });
    a.estimate = {
      ...a.estimate,
      warnings: [
        { code: 'X', severity: 'warning', message: 'm' },
        { code: 'X', severity: 'warning', message: 'm' },
        { code: 'Y', severity: 'info', message: 'm' },
      ],
    };
    const warnings = row(buildCompareView([a, item('b', { workload })]), 'Warnings');
    expect(warnings.cells[0]?.lines).toEqual(['3 warnings', 'X × 2', 'Y']);
  });
});
