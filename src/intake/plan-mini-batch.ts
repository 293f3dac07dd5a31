import type { PlanOperator } from './plan-formats.js';

/**
 * Mini-batch as a Flink SQL plan shows it. The planner puts a MiniBatchAssigner after the sources
 * only when table.exec.mini-batch.enabled is true (MiniBatchIntervalInferRule); its interval is
 * table.exec.mini-batch.allow-latency — `MiniBatchAssigner(interval=[2000ms], mode=[ProcTime])` in
 * a stream or job graph, `miniBatchInterval: { interval, mode }` in a compiled plan
 * (StreamExecMiniBatchAssigner, MiniBatchInterval). The batch size is not on the assigner: a
 * compiled plan's group aggregations keep it in their `configuration` (ExecNodeMetadata
 * consumedOptions of StreamExecGroupAggregate and its local/global variants). A mini-batched
 * aggregation split into phases shows as LocalGroupAggregate before the exchange.
 */
export interface PlanMiniBatch {
  /** The spec's `sql` section for the plan. */
  sql: Record<string, unknown>;
  /** What was read, for the draft's notes. */
  text: string;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

function intervalMs(op: PlanOperator): number | undefined {
  const compiled =
    op.compiled && isObject(op.compiled.miniBatchInterval) ? op.compiled.miniBatchInterval : undefined;
  const value = compiled ? Number(compiled.interval) : Number(/interval=\[(\d+)\s*ms\]/.exec(op.args)?.[1]);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

function batchSize(operators: readonly PlanOperator[]): number | undefined {
  for (const op of operators) {
    const config = op.compiled && isObject(op.compiled.configuration) ? op.compiled.configuration : undefined;
    const size = Number(config?.['table.exec.mini-batch.size']);
    if (Number.isInteger(size) && size >= 1) return size;
  }
  return undefined;
}

/** The plan's mini-batch setting, as the spec's `sql` section says it. */
export function planMiniBatch(operators: readonly PlanOperator[]): PlanMiniBatch {
  const assigner = operators.find((o) => o.op === 'MiniBatchAssigner');
  const latency = assigner ? intervalMs(assigner) : undefined;
  if (latency === undefined) {
    return {
      sql: { miniBatch: false },
      text: assigner
        ? 'MiniBatchAssigner without an interval (row-time batches follow the watermarks): priced without mini-batch, every record reads and writes its state; give sql.miniBatch to price batches.'
        : 'No MiniBatchAssigner: mini-batch is off (table.exec.mini-batch.enabled false, Flink’s default), so every record reads and writes its aggregate’s or deduplication’s state.',
    };
  }
  const size = batchSize(operators);
  const twoPhase = operators.some((o) => o.op === 'LocalGroupAggregate');
  return {
    sql: {
      miniBatch: { allowLatencyMs: latency, ...(size !== undefined ? { size } : {}) },
      aggPhaseStrategy: twoPhase ? 'TWO_PHASE' : 'ONE_PHASE',
    },
    text: `MiniBatchAssigner(interval ${latency} ms) → mini-batch on: group aggregations and deduplication touch state once per key and batch${size !== undefined ? ` of at most ${size} records` : ''}; ${twoPhase ? 'LocalGroupAggregate → two-phase aggregation (a local phase before the shuffle)' : 'no LocalGroupAggregate → one phase'}.`,
  };
}
