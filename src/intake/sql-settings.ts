import type { Draft } from './draft.js';
import { formatSeconds } from './durations.js';
import { durationOption } from './sql-catalog.js';

/**
 * The `SET` statements of a script that change what the estimate prices: state TTL, checkpoint
 * interval and backend (the spec's `state`), and mini-batch and the aggregation phase strategy (the
 * spec's `sql`). Flink's defaults hold for what a script does not set: `table.exec.mini-batch.enabled`
 * is false, and when it is true `table.exec.mini-batch.allow-latency` must be greater than zero and
 * `table.exec.mini-batch.size` positive, or the planner refuses the job (ExecutionConfigOptions,
 * Flink docs "Configuration" → Execution Options; "Performance Tuning" → MiniBatch Aggregation).
 */

type At = { line: number; construct: string };

const AGG_PHASE = new Set(['AUTO', 'ONE_PHASE', 'TWO_PHASE']);

export class SqlSettings {
  private miniBatchOn: { value: boolean; at: At } | undefined;
  private latencyMs: { value: number; at: At } | undefined;
  private size: { value: number; at: At } | undefined;
  private aggPhase: { value: string; at: At } | undefined;

  constructor(private readonly draft: Draft) {}

  /** One `SET key = value` statement at `line`. */
  apply(key: string, value: string, line: number): void {
    const k = key.toLowerCase();
    const at = { line, construct: 'SET' };
    const draft = this.draft;
    if (k === 'table.exec.state.ttl') {
      const seconds = durationOption(value);
      if (seconds !== undefined) {
        draft.state.ttlSeconds = seconds;
        draft.note({
          text: `SET table.exec.state.ttl = ${value} → state kept ${formatSeconds(seconds)} in every stateful operator without a TTL of its own.`,
          ...at,
          path: 'state.ttlSeconds',
        });
      }
    } else if (k === 'execution.checkpointing.interval') {
      const seconds = durationOption(value);
      if (seconds !== undefined && seconds >= 1) {
        draft.state.checkpointIntervalSeconds = seconds;
        draft.note({
          text: `SET ${key} = ${value} → checkpoints every ${formatSeconds(seconds)}.`,
          ...at,
          path: 'state.checkpointIntervalSeconds',
        });
      }
    } else if (k === 'state.backend.type' || k === 'state.backend') {
      const backend = value.toLowerCase();
      if (backend === 'rocksdb' || backend === 'hashmap') {
        draft.state.backend = backend;
        draft.note({
          text: `SET ${key} = ${value} → the ${backend} state backend.`,
          ...at,
          path: 'state.backend',
        });
      }
    } else if (k === 'parallelism.default' || k === 'table.exec.resource.default-parallelism') {
      draft.note({
        text: `SET ${key} = ${value} is noted but not copied: the estimate chooses the parallelism (set an operator's parallelism in the editor to fix one).`,
        ...at,
      });
    } else if (k === 'table.exec.mini-batch.enabled') {
      const v = value.toLowerCase();
      if (v === 'true' || v === 'false') this.miniBatchOn = { value: v === 'true', at };
    } else if (k === 'table.exec.mini-batch.allow-latency') {
      const seconds = durationOption(value);
      if (seconds !== undefined) this.latencyMs = { value: Math.round(seconds * 1e6) / 1e3, at };
    } else if (k === 'table.exec.mini-batch.size') {
      const n = Number(value);
      if (Number.isInteger(n) && n >= 1) this.size = { value: n, at };
    } else if (k === 'table.optimizer.agg-phase-strategy') {
      const v = value.toUpperCase();
      if (AGG_PHASE.has(v)) this.aggPhase = { value: v, at };
    }
  }

  /**
   * The spec's `sql` section: always says whether mini-batch is on, so the draft is priced as the
   * script runs and not by the estimator's default.
   */
  finish(): Record<string, unknown> {
    const { miniBatchOn, latencyMs, size, aggPhase } = this;
    const sql: Record<string, unknown> = { miniBatch: false };
    if (miniBatchOn?.value && latencyMs !== undefined && size !== undefined) {
      sql.miniBatch = { allowLatencyMs: latencyMs.value, size: size.value };
      this.draft.note({
        text: `SET table.exec.mini-batch.* → mini-batch on: group aggregations and deduplication touch state once per key and batch of at most ${formatSeconds(latencyMs.value / 1000)} or ${size.value} records.`,
        ...miniBatchOn.at,
        path: 'sql.miniBatch',
      });
    } else if (miniBatchOn?.value) {
      const missing = [
        latencyMs === undefined ? 'table.exec.mini-batch.allow-latency (greater than 0)' : '',
        size === undefined ? 'table.exec.mini-batch.size (positive)' : '',
      ].filter(Boolean);
      this.draft.note({
        text: `SET table.exec.mini-batch.enabled = true without ${missing.join(' and ')}: Flink refuses to plan such a job, so the draft is priced without mini-batch. Set ${missing.length > 1 ? 'them' : 'it'} in the script, or give sql.miniBatch.`,
        ...miniBatchOn.at,
        path: 'sql.miniBatch',
      });
    } else if (
      this.draft.pipeline.operators.some((o) => o.kind === 'aggregate' || o.kind === 'deduplicate')
    ) {
      this.draft.note({
        text: `Mini-batch is off (table.exec.mini-batch.enabled is false unless set): every record reads and writes its aggregate's or deduplication's state.`,
        ...(miniBatchOn?.at ?? {}),
        path: 'sql.miniBatch',
      });
    }
    if (aggPhase) {
      sql.aggPhaseStrategy = aggPhase.value;
      if (aggPhase.value === 'TWO_PHASE' && sql.miniBatch === false) {
        // Flink only splits mini-batched aggregations; the JobSpec refuses TWO_PHASE without one.
        sql.aggPhaseStrategy = 'AUTO';
        this.draft.note({
          text: `SET table.optimizer.agg-phase-strategy = TWO_PHASE has no effect without mini-batch: Flink runs streaming aggregations in one phase then.`,
          ...aggPhase.at,
          path: 'sql.aggPhaseStrategy',
        });
      } else {
        this.draft.note({
          text: `SET table.optimizer.agg-phase-strategy = ${aggPhase.value}${aggPhase.value === 'ONE_PHASE' ? ' → no local pre-aggregation before the shuffle' : ''}.`,
          ...aggPhase.at,
          path: 'sql.aggPhaseStrategy',
        });
      }
    }
    return sql;
  }
}
