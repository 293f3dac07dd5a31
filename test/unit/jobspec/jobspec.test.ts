import { describe, expect, it } from 'vitest';
import { estimate } from '../../../src/estimator/index.js';
import { type JobSpecInput, JobSpecSchema } from '../../../src/jobspec/index.js';
import { EstimateSchema } from '../../../src/schemas/estimate.js';
import { at } from '../../support/checked.js';

/** Issues of a failed parse as "path: message" strings. */
function issues(input: unknown): { path: string; message: string }[] {
  const result = JobSpecSchema.safeParse(input);
  if (result.success) return [];
  return result.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

const source = { id: 'src', kind: 'kafka', recordsPerSecond: 1000, avgRecordBytes: 100 } as const;
const sink = (inputs: string[]) => ({ id: 'out', kind: 'kafka', inputs });
const pipeline = (operators: unknown[], sinks: unknown[] = [sink(['a'])], sources: unknown[] = [source]) => ({
  pipeline: { sources, operators, sinks },
});
const workload = { sources: 1, operators: 2, sinks: 1, recordsPerSecond: 1000, avgRecordBytes: 100 };

describe('JobSpecSchema', () => {
  it('fills the documented defaults', () => {
    const spec = JobSpecSchema.parse({ workload });
    expect(spec.flinkVersion).toBe('1.20');
    expect(spec.workload?.peakFactor).toBe(1);
    expect(spec.workload?.complexity).toBe('medium');
    expect(spec.targets).toEqual({ utilization: 0.7, catchUpMinutes: 30, restartSeconds: 300 });
    expect(spec.state.checkpointIntervalSeconds).toBe(60);
    expect(spec.cluster.networkGbps).toBe(10);
  });

  it('accepts the documented example pipeline', () => {
    const result = JobSpecSchema.safeParse({
      flinkVersion: '1.20',
      pipeline: {
        sources: [
          { id: 'bids', kind: 'kafka', recordsPerSecond: 1000000, avgRecordBytes: 200, partitions: 48 },
        ],
        operators: [
          {
            id: 'hot',
            kind: 'window-aggregate',
            inputs: ['bids'],
            window: { type: 'hopping', sizeSeconds: 10, slideSeconds: 2 },
            distinctKeys: 100000,
            stateBytesPerKey: 64,
            outputRatio: 0.01,
          },
        ],
        sinks: [{ id: 'out', kind: 'kafka', inputs: ['hot'] }],
      },
      state: { backend: 'rocksdb', checkpointIntervalSeconds: 60, incrementalCheckpoints: true },
      cluster: { taskManagerCpu: 2, taskManagerMemory: '8g', slotsPerTaskManager: 2, maxParallelism: 720 },
      targets: { utilization: 0.7, catchUpMinutes: 30, restartSeconds: 300 },
    });
    expect(result.success).toBe(true);
  });

  it('requires exactly one of workload and pipeline', () => {
    expect(issues({})).toEqual([{ path: 'workload', message: expect.stringContaining('exactly one') }]);
    const both = issues({ workload, ...pipeline([{ id: 'a', kind: 'map', inputs: ['src'] }]) });
    expect(both).toEqual([{ path: 'pipeline', message: expect.stringContaining('not both') }]);
  });

  it('names an unknown input at its exact path', () => {
    const found = issues(
      pipeline(
        [
          { id: 'a', kind: 'map', inputs: ['src'] },
          { id: 'b', kind: 'map', inputs: ['a'] },
          { id: 'c', kind: 'map', inputs: ['b', 'ghost'] },
        ],
        [sink(['c'])],
      ),
    );
    expect(found).toContainEqual({
      path: 'pipeline.operators.2.inputs.1',
      message: expect.stringContaining('"ghost"'),
    });
  });

  it('reports a cycle once, at its first node, naming the cycle', () => {
    const found = issues(
      pipeline(
        [
          { id: 'a', kind: 'map', inputs: ['src', 'c'] },
          { id: 'b', kind: 'map', inputs: ['a'] },
          { id: 'c', kind: 'map', inputs: ['b'] },
        ],
        [sink(['c'])],
      ),
    );
    const cycles = found.filter((i) => i.message.startsWith('Cycle'));
    expect(cycles).toHaveLength(1);
    expect(at(cycles, 0).path).toBe('pipeline.operators.0.inputs');
    expect(at(cycles, 0).message).toContain('"a" → "b" → "c" → "a"');
  });

  it('reports a node reachable only through a cycle as unreachable', () => {
    const found = issues(
      pipeline(
        [
          { id: 'a', kind: 'map', inputs: ['src'] },
          { id: 'x', kind: 'map', inputs: ['y'] },
          { id: 'y', kind: 'map', inputs: ['x'] },
          { id: 'z', kind: 'map', inputs: ['y'] },
        ],
        [sink(['a', 'z'])],
      ),
    );
    expect(found).toContainEqual({
      path: 'pipeline.operators.3',
      message: expect.stringContaining('"z" is not reachable'),
    });
    expect(found.some((i) => i.path === 'pipeline.operators.1.inputs' && i.message.startsWith('Cycle'))).toBe(
      true,
    );
  });

  it('reports an operator whose output goes nowhere', () => {
    const found = issues(
      pipeline([
        { id: 'a', kind: 'map', inputs: ['src'] },
        { id: 'lost', kind: 'map', inputs: ['src'] },
      ]),
    );
    expect(found).toEqual([
      { path: 'pipeline.operators.1', message: expect.stringContaining('"lost" goes nowhere') },
    ]);
  });

  it('rejects duplicate ids at the later node', () => {
    const found = issues(
      pipeline([
        { id: 'a', kind: 'map', inputs: ['src'] },
        { id: 'src', kind: 'map', inputs: ['a'] },
      ]),
    );
    expect(found).toContainEqual({
      path: 'pipeline.operators.1.id',
      message: expect.stringContaining('already used by pipeline.sources.0'),
    });
  });

  it('rejects a source with inputs and a sink without', () => {
    expect(
      issues(
        pipeline([{ id: 'a', kind: 'map', inputs: ['src'] }], [sink(['a'])], [{ ...source, inputs: ['a'] }]),
      ),
    ).toContainEqual({
      path: 'pipeline.sources.0.inputs',
      message: expect.stringContaining('A source has no inputs'),
    });
    expect(issues(pipeline([{ id: 'a', kind: 'map', inputs: ['src'] }], [sink([])]))).toContainEqual({
      path: 'pipeline.sinks.0.inputs',
      message: expect.stringContaining('at least one input'),
    });
  });

  it('rejects a memory size Flink cannot parse ("1.5g")', () => {
    expect(issues({ workload, cluster: { taskManagerMemory: '1.5g' } })).toEqual([
      { path: 'cluster.taskManagerMemory', message: expect.stringContaining('Not a Flink memory size') },
    ]);
    expect(issues({ workload, cluster: { taskManagerMemory: '8 gb' } })).toEqual([]);
  });

  it('requires the window fields of each window type', () => {
    const window = (w: unknown) =>
      pipeline([{ id: 'a', kind: 'window-aggregate', inputs: ['src'], window: w }]);
    expect(issues(window({ type: 'tumbling' }))).toEqual([
      { path: 'pipeline.operators.0.window.sizeSeconds', message: 'A tumbling window needs sizeSeconds' },
    ]);
    expect(issues(window({ type: 'hopping', sizeSeconds: 10 }))).toEqual([
      { path: 'pipeline.operators.0.window.slideSeconds', message: 'A hopping window needs slideSeconds' },
    ]);
    expect(issues(window({ type: 'session' }))[0]?.path).toBe('pipeline.operators.0.window.gapSeconds');
    expect(issues(window({ type: 'cumulate', sizeSeconds: 10, stepSeconds: 3 }))[0]?.path).toBe(
      'pipeline.operators.0.window.stepSeconds',
    );
    expect(issues(pipeline([{ id: 'a', kind: 'window-aggregate', inputs: ['src'] }]))).toEqual([
      { path: 'pipeline.operators.0.window', message: 'A window-aggregate operator needs a window' },
    ]);
  });

  it('rejects fields an operator kind does not understand, and unknown keys', () => {
    expect(issues(pipeline([{ id: 'a', kind: 'map', inputs: ['src'], boundSeconds: 5 }]))).toEqual([
      { path: 'pipeline.operators.0.boundSeconds', message: 'boundSeconds does not apply to a map operator' },
    ]);
    const unknown = issues({ workload: { ...workload, recordsPerSec: 5 } });
    expect(unknown).toEqual([{ path: 'workload', message: expect.stringContaining('recordsPerSec') }]);
  });

  it('checks bounds: peak factor, stateful operators, utilization, join inputs', () => {
    expect(issues({ workload: { ...workload, peakFactor: 0.5 } })[0]?.path).toBe('workload.peakFactor');
    expect(issues({ workload: { ...workload, statefulOperators: 3 } })[0]?.path).toBe(
      'workload.statefulOperators',
    );
    expect(issues({ workload, targets: { utilization: 0 } })[0]?.path).toBe('targets.utilization');
    expect(issues({ workload: { ...workload, avgRecordBytes: 0 } })[0]?.path).toBe('workload.avgRecordBytes');
    expect(issues(pipeline([{ id: 'a', kind: 'regular-join', inputs: ['src'] }]))[0]?.path).toBe(
      'pipeline.operators.0.inputs',
    );
  });

  it('caps a pipeline at 500 nodes', () => {
    const operators = Array.from({ length: 499 }, (_, i) => ({
      id: `op${i}`,
      kind: 'map',
      inputs: [i === 0 ? 'src' : `op${i - 1}`],
    }));
    const found = issues(pipeline(operators, [sink(['op498'])]));
    expect(found).toEqual([{ path: 'pipeline', message: expect.stringContaining('at most 500 nodes') }]);
    expect(issues(pipeline(operators.slice(0, 498), [sink(['op497'])]))).toEqual([]);
  });
});

describe('EstimateSchema', () => {
  it('accepts what the engine produces (and nothing more: it is strict)', () => {
    const spec = JobSpecSchema.parse({
      workload: { ...workload, statefulOperators: 1, distinctKeys: 1000 },
    } satisfies JobSpecInput);
    const result = estimate(spec);
    expect(EstimateSchema.safeParse(result).success).toBe(true);
    expect(EstimateSchema.safeParse({ ...result, extra: 1 }).success).toBe(false);
  });
});
