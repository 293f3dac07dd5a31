/**
 * Times the estimation engine on a 200-operator pipeline (issue #4: under 5 ms per estimate).
 * A plain script, not a test: `npx tsx bench/estimate.bench.ts [runs]`.
 */
import { performance } from 'node:perf_hooks';
import { estimate } from '../src/estimator/index.js';
import { type JobSpecInput, JobSpecSchema } from '../src/jobspec/index.js';

const OPERATORS = 200;

/** Two Kafka sources, 200 operators of every kind in a chain with a join every 25, three sinks. */
function bigPipeline(): JobSpecInput {
  const kinds = [
    'map',
    'filter',
    'project',
    'udf',
    'aggregate',
    'window-aggregate',
    'deduplicate',
    'top-n',
    'lookup-join',
  ] as const;
  const operators: Record<string, unknown>[] = [];
  let previous = 'orders';
  for (let i = 0; i < OPERATORS; i++) {
    const id = `op-${i}`;
    if (i % 25 === 24) {
      operators.push({
        id,
        kind: 'interval-join',
        inputs: [previous, 'payments'],
        boundSeconds: 600,
        outputRatio: 0.5,
      });
    } else {
      const kind = kinds[i % kinds.length] ?? 'map';
      const op: Record<string, unknown> = { id, kind, inputs: [previous] };
      if (kind === 'aggregate' || kind === 'deduplicate')
        Object.assign(op, { distinctKeys: 100_000 + i, stateBytesPerKey: 64 });
      if (kind === 'window-aggregate')
        Object.assign(op, {
          window: { type: 'hopping', sizeSeconds: 60, slideSeconds: 10 },
          distinctKeys: 50_000,
          outputRatio: 1,
        });
      if (kind === 'top-n') Object.assign(op, { n: 10, distinctKeys: 1000 });
      if (kind === 'lookup-join') Object.assign(op, { lookupLatencyMs: 2, cacheHitRatio: 0.9, async: true });
      operators.push(op);
    }
    previous = id;
  }
  return {
    pipeline: {
      sources: [
        { id: 'orders', kind: 'kafka', recordsPerSecond: 200_000, avgRecordBytes: 400, partitions: 96 },
        { id: 'payments', kind: 'kafka', recordsPerSecond: 50_000, avgRecordBytes: 300, partitions: 24 },
      ],
      operators,
      sinks: [
        { id: 'out-kafka', kind: 'kafka', inputs: [previous] },
        { id: 'out-files', kind: 'filesystem', inputs: [previous] },
        { id: 'out-es', kind: 'elasticsearch', inputs: [previous] },
      ],
    },
    cluster: { maxParallelism: 720 },
  } as JobSpecInput;
}

const runs = Number(process.argv[2] ?? 500);
const spec = JobSpecSchema.parse(bigPipeline());
for (let i = 0; i < 50; i++) estimate(spec); // warm-up (JIT)
const times: number[] = [];
let result = estimate(spec);
for (let i = 0; i < runs; i++) {
  const start = performance.now();
  result = estimate(spec);
  times.push(performance.now() - start);
}
times.sort((a, b) => a - b);
const mean = times.reduce((a, b) => a + b, 0) / times.length;
const quantile = (q: number) =>
  times[Math.min(times.length - 1, Math.ceil(times.length * q) - 1)] ?? Number.NaN;
const p99 = quantile(0.99);
console.log(
  `estimate(): ${result.operators.length} nodes (${OPERATORS} operators), ${runs} runs — mean ${mean.toFixed(3)} ms, ` +
    `p50 ${quantile(0.5).toFixed(3)} ms, p99 ${p99.toFixed(3)} ms, max ${quantile(1).toFixed(3)} ms`,
);
console.log(
  `plan: parallelism ${result.parallelism.default}, ${result.taskManagers.count} TaskManagers × ${result.taskManagers.cpu} CPU, ${result.warnings.length} warnings`,
);
