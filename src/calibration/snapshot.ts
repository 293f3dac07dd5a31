/**
 * Flink REST responses (a snapshot, collected live or uploaded) → an Observation.
 *
 * How Flink reports what the autoscaler needs (flink-autoscaler ScalingMetricCollector and
 * ScalingMetrics, Flink docs "Metrics"):
 * - a source task's own numRecordsIn is 0: what it reads is the operator metric
 *   `Source__<name>.numRecordsIn(PerSecond)`, else `Source__<name>.numRecordsOut(PerSecond)`;
 * - one poll uses the …PerSecond meters (averaged by Flink over 60 s); several polls use the
 *   change of the cumulative counters between the first and the last (ScalingMetricEvaluator.getRate);
 * - busy time under the MAX aggregator is the average over polls of the busiest subtask;
 * - the Kafka source reader registers one `…KafkaSourceReader.topic.<t>.partition.<n>.currentOffset`
 *   per partition it reads (ScalingMetricCollector.updateKafkaPulsarSourceNumPartitions).
 */
import { unescapeHtml } from '../intake/plan-formats.js';
import type { AggregatedMetrics, FlinkPlan, JobDetails, Snapshot } from './flink-json.js';
import type { Observation, ObservedVertex } from './observation.js';

export const TASK_METRICS = [
  'busyTimeMsPerSecond',
  'backPressuredTimeMsPerSecond',
  'idleTimeMsPerSecond',
  'numRecordsInPerSecond',
  'numRecordsOutPerSecond',
  'numBytesInPerSecond',
  'numBytesOutPerSecond',
  'numRecordsIn',
  'numRecordsOut',
  'numBytesIn',
  'numBytesOut',
] as const;

const SOURCE_OPERATOR_METRIC = /^Source__.*\.(numRecordsIn|numRecordsOut)(PerSecond)?$/;
const PENDING_RECORDS = /\.pendingRecords$/;
const KAFKA_PARTITION = /\.KafkaSourceReader\.topic\.(.+)\.partition\.(\d+)\.currentOffset$/;

/**
 * The metric names to ask for, out of those that exist: a request naming one missing metric
 * returns an empty list (RestApiMetricsCollector), so only listed names are requested.
 */
export function wantedMetrics(available: readonly string[], isSource: boolean): string[] {
  const names = new Set(available);
  const wanted: string[] = TASK_METRICS.filter((m) => names.has(m));
  if (isSource)
    wanted.push(...available.filter((m) => SOURCE_OPERATOR_METRIC.test(m) || PENDING_RECORDS.test(m)));
  return wanted;
}

/** Kafka partitions a source reads, from its reader's per-partition metric names. */
export function kafkaPartitions(names: readonly string[]): number | undefined {
  const seen = new Set<string>();
  for (const name of names) {
    const m = KAFKA_PARTITION.exec(name);
    if (m) seen.add(`${m[1]}/${m[2]}`);
  }
  return seen.size > 0 ? seen.size : undefined;
}

/**
 * Chained operators of a plan node: JsonPlanGenerator escapes the description (escapeHtml4) and
 * writes one operator per line (`<br/>`), nested ones prefixed with `+- `.
 */
export function chainedOperators(description: string | undefined, name: string): string[] {
  const lines = (description ?? '')
    .split(/<br\s*\/?>/)
    .map((l) =>
      unescapeHtml(l)
        .replace(/^\s*(\+-\s*)?/, '')
        .trim(),
    )
    .filter((l) => l !== '');
  return lines.length > 0 ? lines : name.split(' -> ').map((s) => s.trim());
}

const finite = (x: number | undefined): number | undefined =>
  x !== undefined && Number.isFinite(x) ? x : undefined;

function metricMap(metrics: AggregatedMetrics | undefined) {
  return new Map((metrics ?? []).map((m) => [m.id, m]));
}

type Agg = ReturnType<typeof metricMap>;

const sumOf = (agg: Agg, id: string) => finite(agg.get(id)?.sum);

type SourceCount = 'numRecordsIn' | 'numRecordsOut';

/** The source operator's records read (sum over subtasks), else — when that is 0 — its records emitted. */
function sourceRecords(
  agg: Agg,
  suffix: '' | 'PerSecond',
  only?: SourceCount,
): { kind: SourceCount; total: number } | undefined {
  for (const kind of only ? [only] : (['numRecordsIn', 'numRecordsOut'] as const)) {
    let total: number | undefined;
    for (const [id, m] of agg) {
      if (id.startsWith('Source__') && id.endsWith(`.${kind}${suffix}`) && finite(m.sum) !== undefined) {
        total = (total ?? 0) + (m.sum as number);
      }
    }
    if (total !== undefined && (total > 0 || only)) return { kind, total };
  }
  return undefined;
}

function pendingRecords(agg: Agg): number | undefined {
  let total: number | undefined;
  for (const [id, m] of agg)
    if (PENDING_RECORDS.test(id) && finite(m.sum) !== undefined) total = (total ?? 0) + (m.sum as number);
  return total;
}

function msPerSecond(polls: Agg[], id: string) {
  const present = polls
    .map((a) => a.get(id))
    .filter((m) => m && finite(m.avg) !== undefined && finite(m.max) !== undefined);
  if (present.length === 0) return null;
  const mean = (f: (m: NonNullable<(typeof present)[number]>) => number) =>
    present.reduce((a, m) => a + f(m as NonNullable<typeof m>), 0) / present.length;
  const mins = present.map((m) => finite(m?.min));
  return {
    avg: mean((m) => m.avg as number),
    max: mean((m) => m.max as number),
    ...(mins.every((x) => x !== undefined) ? { min: mean((m) => m.min as number) } : {}),
  };
}

interface Counters {
  recordsIn?: number;
  recordsOut?: number;
  bytesIn?: number;
  bytesOut?: number;
  pending?: number;
}

function counters(
  agg: Agg,
  job: JobDetails | undefined,
  vertexId: string,
  source: SourceCount | undefined,
): Counters {
  const io = job?.vertices.find((v) => v.id === vertexId)?.metrics;
  return {
    recordsIn: source
      ? sourceRecords(agg, '', source)?.total
      : (sumOf(agg, 'numRecordsIn') ?? finite(io?.['read-records'])),
    recordsOut: sumOf(agg, 'numRecordsOut') ?? finite(io?.['write-records']),
    bytesIn: sumOf(agg, 'numBytesIn') ?? finite(io?.['read-bytes']),
    bytesOut: sumOf(agg, 'numBytesOut') ?? finite(io?.['write-bytes']),
    pending: pendingRecords(agg),
  };
}

/** 1000 · (last − first) / Δms, as ScalingMetricEvaluator.getRate. */
const rate = (first: number | undefined, last: number | undefined, ms: number) =>
  first !== undefined && last !== undefined ? (1000 * (last - first)) / Math.max(ms, 1) : undefined;

export interface SnapshotContext {
  source: Observation['source'];
  observedAt?: string;
}

/** Flink's keys that size TaskManagers and JobManagers; nothing else of the cluster config is kept. */
const KEPT_CONFIG =
  /^(taskmanager\.(memory\.|numberOfTaskSlots|cpu\.cores|network\.memory\.)|jobmanager\.memory\.)/;

function planOf(snapshot: Snapshot): FlinkPlan {
  const plan = snapshot.job.plan ?? snapshot.plan?.plan;
  if (plan) return plan;
  return { nodes: snapshot.job.vertices.map((v) => ({ id: v.id, parallelism: v.parallelism })) };
}

/** Normalises a snapshot of Flink REST responses into an Observation. */
export function observationFromSnapshot(snapshot: Snapshot, context: SnapshotContext): Observation {
  const job = snapshot.job;
  const plan = planOf(snapshot);
  const nodes = new Map(plan.nodes.map((n) => [n.id, n]));
  const polls =
    snapshot.polls && snapshot.polls.length > 0
      ? snapshot.polls
      : [{ timestampMs: Date.parse(context.observedAt ?? '') || 0, job, metrics: snapshot.metrics ?? {} }];
  const first = polls[0];
  const last = polls[polls.length - 1];
  if (!first || !last) throw new Error('A snapshot needs at least one poll');
  const windowMs = last.timestampMs - first.timestampMs;
  const windowed = polls.length >= 2 && windowMs > 0;
  const warnings: string[] = [];

  const vertices: ObservedVertex[] = job.vertices.map((v) => {
    const node = nodes.get(v.id);
    const inputs = (node?.inputs ?? []).map((i) => ({
      id: i.id,
      shipStrategy: i.ship_strategy ?? 'UNKNOWN',
    }));
    const isSource = inputs.length === 0;
    const aggs = polls.map((p) => metricMap(p.metrics[v.id]));
    const lastAgg = aggs[aggs.length - 1] as Agg;
    let recordsIn: number | undefined;
    let recordsOut: number | undefined;
    let bytesIn: number | undefined;
    let bytesOut: number | undefined;
    let pendingRate: number | undefined;
    if (windowed) {
      // The counter the last poll shows moving decides for the first one too.
      const kind = isSource ? (sourceRecords(lastAgg, '')?.kind ?? 'numRecordsIn') : undefined;
      const a = counters(aggs[0] as Agg, first.job, v.id, kind);
      const b = counters(lastAgg, last.job, v.id, kind);
      recordsIn = rate(a.recordsIn, b.recordsIn, windowMs);
      recordsOut = rate(a.recordsOut, b.recordsOut, windowMs);
      bytesIn = rate(a.bytesIn, b.bytesIn, windowMs);
      bytesOut = rate(a.bytesOut, b.bytesOut, windowMs);
      pendingRate = rate(a.pending, b.pending, windowMs);
    } else {
      recordsIn = isSource
        ? sourceRecords(lastAgg, 'PerSecond')?.total
        : sumOf(lastAgg, 'numRecordsInPerSecond');
      recordsOut = sumOf(lastAgg, 'numRecordsOutPerSecond');
      bytesIn = sumOf(lastAgg, 'numBytesInPerSecond');
      bytesOut = sumOf(lastAgg, 'numBytesOutPerSecond');
    }
    if (recordsIn === undefined) warnings.push(`${v.name}: no input rate reported; taken as 0`);
    const busy = msPerSecond(aggs, 'busyTimeMsPerSecond');
    if (busy === null)
      warnings.push(`${v.name}: busy time is NaN or missing (a legacy source?); no recommendation`);
    const backPressured = msPerSecond(aggs, 'backPressuredTimeMsPerSecond');
    if (backPressured && backPressured.max > 100)
      warnings.push(
        `${v.name}: back-pressured ${Math.round(backPressured.max)} ms/s; its true processing rate is a lower bound`,
      );
    const pending = pendingRecords(lastAgg);
    const partitions = isSource
      ? kafkaPartitions(snapshot.metricNames?.[v.id] ?? [...lastAgg.keys()])
      : undefined;
    // Per poll, what the autoscaler's observed true processing rate reads (ScalingMetrics.getObservedTpr).
    const samples = isSource
      ? aggs.flatMap((agg) => {
          const read = sourceRecords(agg, 'PerSecond')?.total;
          if (read === undefined) return [];
          const bp = finite(agg.get('backPressuredTimeMsPerSecond')?.avg);
          return [
            {
              recordsInPerSecond: Math.max(0, read),
              backPressuredMsPerSecond: bp === undefined ? null : Math.max(0, bp),
              pendingRecords: pendingRecords(agg) ?? null,
            },
          ];
        })
      : [];
    const task = snapshot.checkpoints?.latest?.completed?.tasks?.[v.id];
    const positive = (x: number | undefined) => (x !== undefined && x >= 0 ? x : undefined);
    const clean = <T extends Record<string, unknown>>(o: T) =>
      Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined)) as T;
    return clean({
      id: v.id,
      name: v.name,
      operators: chainedOperators(node?.description, v.name),
      parallelism: v.parallelism,
      maxParallelism:
        v.maxParallelism ?? (job.maxParallelism && job.maxParallelism > 0 ? job.maxParallelism : 128),
      inputs,
      recordsInPerSecond: Math.max(0, recordsIn ?? 0),
      recordsOutPerSecond: Math.max(0, recordsOut ?? 0),
      bytesInPerSecond: positive(bytesIn),
      bytesOutPerSecond: positive(bytesOut),
      busyTimeMsPerSecond: busy,
      backPressuredTimeMsPerSecond: backPressured,
      idleTimeMsPerSecond: msPerSecond(aggs, 'idleTimeMsPerSecond'),
      pendingRecords: positive(pending),
      pendingRecordsPerSecond:
        pendingRate !== undefined && Number.isFinite(pendingRate) ? pendingRate : undefined,
      sourcePartitions: partitions,
      sourceSamples: samples.length > 0 ? samples : undefined,
      stateBytes: positive(finite(task?.state_size)),
      checkpointedBytes: positive(finite(task?.checkpointed_size)),
    }) as ObservedVertex;
  });

  const completed = snapshot.checkpoints?.latest?.completed;
  const stateBytes = finite(completed?.state_size ?? completed?.full_state_size);
  const checkpointedBytes = finite(completed?.checkpointed_size);
  const backend = snapshot.checkpointConfig?.state_backend;
  const interval = finite(snapshot.checkpointConfig?.interval);
  const tms = snapshot.taskmanagers?.taskmanagers;
  const firstTm = tms?.[0];
  const memoryConfiguration = firstTm?.memoryConfiguration
    ? Object.fromEntries(Object.entries(firstTm.memoryConfiguration).filter(([, x]) => Number.isFinite(x)))
    : undefined;
  const flinkConfig = snapshot.jobmanagerConfig
    ? Object.fromEntries(
        snapshot.jobmanagerConfig.filter((e) => KEPT_CONFIG.test(e.key)).map((e) => [e.key, e.value]),
      )
    : undefined;
  const cpuCores = finite(firstTm?.hardware?.cpuCores);
  const version = snapshot.overview?.['flink-version'];
  return {
    source: context.source,
    ...(version ? { flinkVersion: version } : {}),
    jobId: job.jid,
    jobName: job.name,
    windowSeconds: windowed ? windowMs / 1000 : 0,
    observedAt: new Date(last.timestampMs || Date.parse(context.observedAt ?? '') || 0).toISOString(),
    vertices,
    ...(stateBytes !== undefined && checkpointedBytes !== undefined
      ? {
          checkpoint: {
            stateBytes: Math.round(stateBytes),
            checkpointedBytes: Math.round(checkpointedBytes),
            durationMs: finite(completed?.end_to_end_duration) ?? 0,
            ...(interval !== undefined && interval > 0 ? { intervalMs: interval } : {}),
            ...(backend ? { backend } : {}),
          },
        }
      : {}),
    ...(tms
      ? {
          taskManagers: {
            count: tms.length,
            slotsPerTaskManager: firstTm?.slotsNumber ?? 0,
            ...(cpuCores !== undefined ? { cpuCores } : {}),
            ...(memoryConfiguration ? { memoryConfiguration } : {}),
          },
        }
      : {}),
    ...(flinkConfig && Object.keys(flinkConfig).length > 0 ? { flinkConfig } : {}),
    warnings,
  };
}
