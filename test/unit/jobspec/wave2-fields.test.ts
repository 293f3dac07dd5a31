/**
 * The JobSpec fields for SQL vs DataStream jobs, asymmetric interval bounds, per-side join TTLs,
 * hot keys, Flink vertex ids and node shapes: what is accepted, the plain-language 400s, and
 * what the normalized graph hands to the later steps.
 */
import { describe, expect, it } from 'vitest';
import { defaultModel } from '../../../src/estimator/model.js';
import { normalize, type OperatorNode } from '../../../src/estimator/normalize.js';
import { JobSpecSchema } from '../../../src/jobspec/index.js';

function issues(input: unknown): { path: string; message: string }[] {
  const result = JobSpecSchema.safeParse(input);
  if (result.success) return [];
  return result.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

const left = { id: 'l', kind: 'kafka', recordsPerSecond: 1000, avgRecordBytes: 100 } as const;
const right = { id: 'r', kind: 'kafka', recordsPerSecond: 500, avgRecordBytes: 100 } as const;
const join = (fields: Record<string, unknown>) => ({
  pipeline: {
    sources: [left, right],
    operators: [{ id: 'j', inputs: ['l', 'r'], ...fields }],
    sinks: [{ id: 'out', kind: 'kafka', inputs: ['j'] }],
  },
});
const graphOf = (input: unknown) => normalize(JobSpecSchema.parse(input), defaultModel);
const operator = (input: unknown, id = 'j') =>
  graphOf(input).nodes.find((n) => n.id === id) as OperatorNode | undefined;

describe('api', () => {
  it('defaults to sql and passes through', () => {
    expect(graphOf(join({ kind: 'regular-join' })).api).toBe('sql');
    expect(graphOf({ api: 'datastream', ...join({ kind: 'regular-join' }) }).api).toBe('datastream');
  });
  it('rejects anything else at api', () => {
    expect(issues({ api: 'table', ...join({ kind: 'regular-join' }) }).map((i) => i.path)).toEqual(['api']);
  });
});

describe('interval-join bounds', () => {
  it('normalises the symmetric shorthand to -bound..bound', () => {
    const op = operator(join({ kind: 'interval-join', boundSeconds: 600 }));
    expect([op?.lowerBoundSeconds, op?.upperBoundSeconds, op?.boundSeconds]).toEqual([-600, 600, 600]);
  });
  it('keeps explicit bounds, with boundSeconds the larger of |lower| and |upper|', () => {
    const op = operator(join({ kind: 'interval-join', lowerBoundSeconds: -60, upperBoundSeconds: 3600 }));
    expect([op?.lowerBoundSeconds, op?.upperBoundSeconds, op?.boundSeconds]).toEqual([-60, 3600, 3600]);
  });
  it('accepts equal bounds (an exact time match)', () => {
    expect(issues(join({ kind: 'interval-join', lowerBoundSeconds: 0, upperBoundSeconds: 0 }))).toEqual([]);
  });
  it('is a 400 naming the field when both forms are given', () => {
    expect(
      issues(join({ kind: 'interval-join', boundSeconds: 10, upperBoundSeconds: 20 })).map((i) => i.path),
    ).toEqual(['pipeline.operators.0.upperBoundSeconds']);
  });
  it('needs both bounds and lower ≤ upper', () => {
    expect(issues(join({ kind: 'interval-join', lowerBoundSeconds: 0 }))).toEqual([
      {
        path: 'pipeline.operators.0.upperBoundSeconds',
        message: 'An interval join with lowerBoundSeconds also needs upperBoundSeconds',
      },
    ]);
    expect(issues(join({ kind: 'interval-join', lowerBoundSeconds: 10, upperBoundSeconds: 5 }))).toEqual([
      {
        path: 'pipeline.operators.0.lowerBoundSeconds',
        message: 'lowerBoundSeconds (10) must not be greater than upperBoundSeconds (5)',
      },
    ]);
  });
  it('belongs to interval joins only', () => {
    expect(issues(join({ kind: 'regular-join', lowerBoundSeconds: 0 }))[0]?.message).toBe(
      'lowerBoundSeconds does not apply to a regular-join operator',
    );
  });
});

describe('join TTL per side', () => {
  it('ttlSeconds sets both sides', () => {
    const op = operator(join({ kind: 'regular-join', ttlSeconds: 3600 }));
    expect([op?.leftTtlSeconds, op?.rightTtlSeconds, op?.ttlSeconds]).toEqual([3600, 3600, 3600]);
  });
  it('the job default TTL fills a side without its own', () => {
    const op = operator({
      ...join({ kind: 'regular-join', leftTtlSeconds: 60 }),
      state: { ttlSeconds: 7200 },
    });
    expect([op?.leftTtlSeconds, op?.rightTtlSeconds, op?.ttlSeconds]).toEqual([60, 7200, 7200]);
  });
  it('a side without any TTL is kept forever, so the operator has no single TTL', () => {
    const op = operator(join({ kind: 'temporal-join', rightTtlSeconds: 60 }));
    expect([op?.leftTtlSeconds, op?.rightTtlSeconds, op?.ttlSeconds]).toEqual([undefined, 60, undefined]);
  });
  it('is a 400 when one side has both forms', () => {
    expect(
      issues(join({ kind: 'regular-join', ttlSeconds: 60, rightTtlSeconds: 30 })).map((i) => i.path),
    ).toEqual(['pipeline.operators.0.rightTtlSeconds']);
  });
  it('belongs to regular and temporal joins', () => {
    expect(issues(join({ kind: 'interval-join', boundSeconds: 5, leftTtlSeconds: 60 }))[0]?.message).toBe(
      'leftTtlSeconds does not apply to a interval-join operator',
    );
  });
});

describe('hotKeyShare and flinkVertexId', () => {
  const chain = (op: Record<string, unknown>) => ({
    pipeline: {
      sources: [{ ...left, flinkVertexId: 'cbc357ccb763df2852fee8c4fc7d55f2' }],
      operators: [{ id: 'a', inputs: ['l'], ...op }],
      sinks: [{ id: 'out', kind: 'kafka', inputs: ['a'], flinkVertexId: 'sink-vertex' }],
    },
  });
  it('pass through to the normalized nodes', () => {
    const graph = graphOf(chain({ kind: 'aggregate', hotKeyShare: 0.25, flinkVertexId: 'agg' }));
    expect(graph.nodes.map((n) => n.flinkVertexId)).toEqual([
      'cbc357ccb763df2852fee8c4fc7d55f2',
      'agg',
      'sink-vertex',
    ]);
    expect((graph.nodes[1] as OperatorNode).hotKeyShare).toBe(0.25);
  });
  it('hotKeyShare is 0–1 and only on keyed operators', () => {
    expect(issues(chain({ kind: 'aggregate', hotKeyShare: 1.5 })).map((i) => i.path)).toEqual([
      'pipeline.operators.0.hotKeyShare',
    ]);
    expect(issues(chain({ kind: 'map', hotKeyShare: 0.5 }))[0]?.message).toBe(
      'hotKeyShare does not apply to a map operator',
    );
  });
  it('flinkVertexId must not be empty', () => {
    expect(issues(chain({ kind: 'map', flinkVertexId: '' })).map((i) => i.path)).toEqual([
      'pipeline.operators.0.flinkVertexId',
    ]);
  });
});

describe('cluster.nodeShape', () => {
  const withShape = (nodeShape: unknown) => ({ ...join({ kind: 'regular-join' }), cluster: { nodeShape } });
  it('parses the memory quantity exactly into bytes', () => {
    expect(graphOf(withShape({ cpu: 8, memory: '32Gi' })).nodeShape).toEqual({
      cpu: 8,
      memoryBytes: 34_359_738_368n,
    });
    expect(graphOf(withShape({ cpu: 8, memory: '32G' })).nodeShape?.memoryBytes).toBe(32_000_000_000n);
  });
  it('explains a Flink-style size and the milli suffix in plain words', () => {
    expect(issues(withShape({ cpu: 8, memory: '32g' }))).toEqual([
      {
        path: 'cluster.nodeShape.memory',
        message:
          '"32g" is not a Kubernetes quantity; write the binary unit with a capital and an i, e.g. "32Gi"',
      },
    ]);
    expect(issues(withShape({ cpu: 8, memory: '1536m' }))[0]?.message).toContain('for mebibytes write Mi');
  });
  it('needs both cpu and memory, and a positive cpu', () => {
    expect(issues(withShape({ memory: '32Gi' })).map((i) => i.path)).toEqual(['cluster.nodeShape.cpu']);
    expect(issues(withShape({ cpu: 0, memory: '32Gi' })).map((i) => i.path)).toEqual([
      'cluster.nodeShape.cpu',
    ]);
    expect(issues(withShape({ cpu: 8, memory: '0Gi' }))).toEqual([
      { path: 'cluster.nodeShape.memory', message: 'Node memory must be greater than 0' },
    ]);
  });
  it('is absent from the graph when not given', () => {
    expect(graphOf(join({ kind: 'regular-join' })).nodeShape).toBeUndefined();
  });
});
