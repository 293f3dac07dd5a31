/**
 * Findings about how the workload spreads over subtasks and time: a hot or single key that no
 * parallelism can spread (docs/model.md, "Single and hot keys"), and window results that fire in a
 * burst (docs/model.md, "Window-end bursts").
 */
import { formatBytes } from '../format.js';
import type { EstimateWarning } from '../schemas/estimate.js';
import { burstTooLong } from './bursts.js';
import type { PlanContext } from './context.js';
import { isSingleKey } from './keys.js';
import { count } from './text.js';
import { warn } from './warn.js';

const pct = (x: number) => `${Math.round(x * 100)}%`;
const round1 = (x: number) => Math.round(x * 10) / 10;

const SPLIT_ADVICE =
  'Split the key’s work before it meets one subtask: two-phase (local-global) aggregation — in Flink SQL ' +
  "table.exec.mini-batch.enabled with table.optimizer.agg-phase-strategy 'TWO_PHASE' (the spec's sql.miniBatch), " +
  'in DataStream a pre-aggregation before keyBy — or salt the key (key + a random suffix of N values, then ' +
  'merge the N partial results); for a global top-N, rank per partition first and merge the partial top-Ns.';

function keyWarnings(ctx: PlanContext): EstimateWarning[] {
  const out: EstimateWarning[] = [];
  for (const { node, parallelism: np, rates: r } of ctx.nodes) {
    const share = np.hotKeyShare;
    if (share <= 0) continue;
    const p = np.parallelism;
    const capacity = np.capacityPerSubtask;
    const hotRate = share * r.inRecordsPerSecond;
    const hotTarget = share * np.targetRecordsPerSecond;
    const busy = Number.isFinite(capacity) && capacity > 0 ? hotRate / capacity : 0;
    if (isSingleKey(node)) {
      if (p > 1) {
        out.push(
          warn(
            'SINGLE_KEY_IDLE_SUBTASKS',
            'info',
            `"${node.id}" has one key, so all its ${count(r.inRecordsPerSecond)} records/s go to one subtask: ${p - 1} of its ${p} subtasks idle.`,
            'Lower its parallelism to 1 (it frees slots and buffers), or give it a partition key if the logic allows one.',
            node.id,
          ),
        );
      }
      if (hotTarget <= capacity) continue;
    } else if (share <= 1 / p) {
      // The hot key is no busier than an even share: it does not limit the operator.
      continue;
    }
    const severity = busy > 1 ? 'critical' : hotTarget > capacity ? 'warning' : 'info';
    const what = isSingleKey(node) ? 'has one key' : `has a hot key carrying ${pct(share)} of its records`;
    out.push(
      warn(
        'HOT_KEY',
        severity,
        `"${node.id}" ${what}: the subtask that owns it processes ${count(hotRate)} records/s at peak ` +
          `(max(${round1(share * 100)}%, 1/${p}) × ${count(r.inRecordsPerSecond)}), ${pct(busy)} of what one subtask can do (${count(capacity)} records/s). ` +
          'More parallelism cannot bring it lower: every record of a key runs on the subtask that owns its key group' +
          (busy > 1
            ? ', so the operator falls behind at peak (backpressure, growing lag).'
            : hotTarget > capacity
              ? ', so it has no headroom to catch up after a restart.'
              : '; the plan sizes that slot’s CPU for it.'),
        SPLIT_ADVICE,
        node.id,
      ),
    );
  }
  return out;
}

function burstWarnings(ctx: PlanContext): EstimateWarning[] {
  const interval = ctx.spec.state.checkpointIntervalSeconds;
  return ctx.bursts
    .filter((b) => burstTooLong(b, interval, ctx.model))
    .map((b) => {
      const slowest = b.drains.reduce((a, d) => (d.seconds > a.seconds ? d : a));
      const aligned = !ctx.spec.state.unalignedCheckpoints;
      return warn(
        'WINDOW_BURST',
        b.seconds >= b.fireIntervalSeconds ? 'critical' : 'warning',
        `Window "${b.id}" emits about ${count(b.resultsPerFire)} results (${formatBytes(Math.round(b.bytes))}) at once every ${b.fireIntervalSeconds} s; ` +
          `"${slowest.id}" drains them at ${count(slowest.recordsPerSecond)} records/s in ${round1(b.seconds)} s ` +
          `(${pct(b.seconds / b.fireIntervalSeconds)} of the firing interval${b.seconds > interval ? `, longer than the ${interval} s checkpoint interval` : ''}). ` +
          `While it drains, the window is backpressured and its results arrive late${aligned ? '; an aligned checkpoint barrier waits behind the burst' : ''}.`,
        `Give "${slowest.id}" more capacity for the burst (a partition key so it can run in parallel, or two-phase aggregation before it)` +
          `${aligned ? ', enable unaligned checkpoints (execution.checkpointing.unaligned.enabled) so barriers overtake the buffered results,' : ''}` +
          ' or spread the work over the window (DataStream: a trigger that fires before the window ends; a smaller slide or step fires fewer results at a time).',
        b.id,
      );
    });
}

export function workloadWarnings(ctx: PlanContext): EstimateWarning[] {
  return [...keyWarnings(ctx), ...burstWarnings(ctx)];
}
