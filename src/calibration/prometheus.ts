/**
 * Reads a job's measurements from a Prometheus that scrapes Flink's PrometheusReporter.
 *
 * The reporter (flink-metrics-prometheus AbstractPrometheusReporter) exports counters, gauges and
 * meters alike as Prometheus gauges — a meter as its rate — so rates are averaged with
 * avg_over_time, never rate(). Label values are sanitised (characters outside [a-zA-Z0-9:_]
 * become "_"), so vertices are matched on `task_id` (the JobVertexID), never on names. Prometheus
 * knows no topology: it comes from the JobManager (`restUrl`) or a pasted plan.
 */
import { z } from 'zod';
import { defaultMaxParallelism } from '../estimator/memory/index.js';
import { type FlinkPlan, JobDetailsSchema, PlanSchema } from './flink-json.js';
import type { Observation, ObservedVertex } from './observation.js';
import { type SafeClient, SourceError } from './safety.js';
import { chainedOperators } from './snapshot.js';

const VectorSchema = z.object({
  status: z.literal('success'),
  data: z.object({
    resultType: z.literal('vector'),
    result: z.array(
      z.object({ metric: z.record(z.string(), z.string()), value: z.tuple([z.number(), z.string()]) }),
    ),
  }),
});

const MatrixSchema = z.object({
  status: z.literal('success'),
  data: z.object({
    resultType: z.literal('matrix'),
    result: z.array(
      z.object({
        metric: z.record(z.string(), z.string()),
        values: z.array(z.tuple([z.number(), z.string()])),
      }),
    ),
  }),
});

/** The reporter's label filter (AbstractPrometheusReporter: UNALLOWED_CHAR_PATTERN). */
export const sanitizeLabelValue = (value: string) => value.replace(/[^a-zA-Z0-9:_]/g, '_');

const quote = (value: string) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

export interface PrometheusQuery {
  jobId?: string;
  jobName?: string;
  windowSeconds: number;
  /** Unix seconds: the end of the window (an instant query sees only the last 5 minutes). */
  at: number;
}

/** Values by task_id of one instant query; NaN and ±Inf samples are left out. */
async function byTask(
  client: SafeClient,
  query: string,
  at: number,
  label = 'task_id',
): Promise<Map<string, number>> {
  const body = await client.json('/api/v1/query', VectorSchema, { form: { query, time: String(at) } });
  const out = new Map<string, number>();
  for (const r of body?.data.result ?? []) {
    const v = Number(r.value[1]);
    const key = r.metric[label];
    if (key !== undefined && Number.isFinite(v)) out.set(key, v);
  }
  return out;
}

/** Per task_id, the finite values of a range query by evaluation time (unix seconds). */
async function rangeByTask(
  client: SafeClient,
  query: string,
  range: { start: number; end: number; step: number },
): Promise<Map<string, Map<number, number>>> {
  const body = await client.json('/api/v1/query_range', MatrixSchema, {
    form: { query, start: String(range.start), end: String(range.end), step: `${range.step}s` },
  });
  const out = new Map<string, Map<number, number>>();
  for (const r of body?.data.result ?? []) {
    const key = r.metric.task_id;
    if (key === undefined) continue;
    const points = new Map<number, number>();
    for (const [t, v] of r.values) if (Number.isFinite(Number(v))) points.set(t, Number(v));
    out.set(key, points);
  }
  return out;
}

/** The job's id from its (sanitised) name, when only the name was given. */
async function jobIdFor(client: SafeClient, q: PrometheusQuery): Promise<string> {
  if (q.jobId) return q.jobId;
  const name = sanitizeLabelValue(q.jobName ?? '');
  const ids = await byTask(
    client,
    `group by (job_id) (last_over_time(flink_taskmanager_job_task_busyTimeMsPerSecond{job_name=${quote(name)}}[${q.windowSeconds}s]))`,
    q.at,
    'job_id',
  );
  const found = [...ids.keys()];
  if (found.length === 1 && found[0]) return found[0];
  throw new SourceError(
    found.length === 0
      ? `No series with job_name="${name}" in the window on ${client.host}`
      : `Several jobs are named "${name}" (${found.join(', ')}); give jobId`,
    'invalid',
    'source.jobName',
  );
}

export interface Topology {
  plan: FlinkPlan;
  /** Vertex id → max parallelism, when the job details were available. */
  maxParallelism: Map<string, number>;
  names: Map<string, string>;
  jobName?: string;
}

/** The job graph from a pasted plan: GET /jobs/:id/plan ({plan}), the plan itself, or GET /jobs/:id. */
export function topologyFromPaste(pasted: unknown): Topology {
  const details = JobDetailsSchema.safeParse(pasted);
  if (details.success && details.data.plan) {
    return {
      plan: details.data.plan,
      maxParallelism: new Map(
        details.data.vertices.flatMap((v) => (v.maxParallelism ? [[v.id, v.maxParallelism]] : [])),
      ),
      names: new Map(details.data.vertices.map((v) => [v.id, v.name])),
      jobName: details.data.name,
    };
  }
  const wrapped = z.object({ plan: PlanSchema }).safeParse(pasted);
  const plan = wrapped.success ? wrapped.data.plan : PlanSchema.parse(pasted);
  return { plan, maxParallelism: new Map(), names: new Map(), ...(plan.name ? { jobName: plan.name } : {}) };
}

/** The job graph from the JobManager: GET /jobs/:id carries the plan and each vertex's max parallelism. */
export async function topologyFromRest(client: SafeClient, jobId: string): Promise<Topology> {
  const details = await client.json(`/jobs/${jobId}`, JobDetailsSchema, { optional: true });
  if (!details) throw new SourceError(`No job ${jobId} on ${client.host}`, 'invalid', 'source.restUrl');
  return topologyFromPaste(details);
}

const task = (metric: string, sel: string) => `flink_taskmanager_job_task_${metric}{${sel}}`;

/** Reads the job's measurements over the window ending at `at`. */
export async function collectFromPrometheus(
  client: SafeClient,
  q: PrometheusQuery,
  topology: (jobId: string) => Promise<Topology>,
): Promise<Observation> {
  const jobId = await jobIdFor(client, q);
  const graph = await topology(jobId);
  const sel = `job_id=${quote(jobId)}`;
  const w = `${q.windowSeconds}s`;
  // Subquery resolution for "the busiest subtask, averaged over the window" (the autoscaler's MAX
  // aggregator averages one max per sample); 60 points over the window, at least 1 s apart. The
  // same points are the polls of the observed true processing rate.
  const stepSeconds = Math.max(1, Math.round(q.windowSeconds / 60));
  const step = `${stepSeconds}s`;
  // The peak is looked for at least once a minute: Flink's meters are 60 s moving averages
  // (MeterView's default time span), so a finer look finds little more.
  const peakStep = `${Math.min(60, stepSeconds)}s`;
  const mean = (metric: string) => `sum by (task_id) (avg_over_time(${task(metric, sel)}[${w}]))`;
  const agg = (fn: 'avg' | 'max' | 'min', metric: string) =>
    `avg_over_time((${fn} by (task_id) (${task(metric, sel)}))[${w}:${step}])`;
  const op = (metric: string, extra = '') =>
    `sum by (task_id) (avg_over_time(flink_taskmanager_job_task_operator_${metric}{${sel}${extra}}[${w}]))`;
  const SOURCE = ',operator_name=~"Source:.*"';
  /** A source's records/s summed over its subtasks, at one instant. */
  const sourceNow = (metric: string) =>
    `sum by (task_id) (flink_taskmanager_job_task_operator_${metric}{${sel}${SOURCE}})`;
  const peak = (metric: string) => `max_over_time((${sourceNow(metric)})[${w}:${peakStep}])`;
  const queries = {
    busyAvg: agg('avg', 'busyTimeMsPerSecond'),
    busyMax: agg('max', 'busyTimeMsPerSecond'),
    busyMin: agg('min', 'busyTimeMsPerSecond'),
    bpAvg: agg('avg', 'backPressuredTimeMsPerSecond'),
    bpMax: agg('max', 'backPressuredTimeMsPerSecond'),
    idleAvg: agg('avg', 'idleTimeMsPerSecond'),
    idleMax: agg('max', 'idleTimeMsPerSecond'),
    recordsIn: mean('numRecordsInPerSecond'),
    recordsOut: mean('numRecordsOutPerSecond'),
    bytesIn: mean('numBytesInPerSecond'),
    bytesOut: mean('numBytesOutPerSecond'),
    sourceIn: op('numRecordsInPerSecond', SOURCE),
    sourceOut: op('numRecordsOutPerSecond', SOURCE),
    peakIn: peak('numRecordsInPerSecond'),
    peakOut: peak('numRecordsOutPerSecond'),
    pending: `sum by (task_id) (last_over_time(flink_taskmanager_job_task_operator_pendingRecords{${sel}}[${w}]))`,
    partitions: `count by (task_id) (count by (task_id, topic, partition) (last_over_time(flink_taskmanager_job_task_operator_KafkaSourceReader_topic_partition_currentOffset{${sel}}[${w}])))`,
    subtasks: `count by (task_id) (last_over_time(${task('busyTimeMsPerSecond', sel)}[${w}]))`,
  };
  const keys = Object.keys(queries) as (keyof typeof queries)[];
  const results = await Promise.all(keys.map((k) => byTask(client, queries[k], q.at)));
  const r = Object.fromEntries(keys.map((k, i) => [k, results[i] as Map<string, number>])) as Record<
    keyof typeof queries,
    Map<string, number>
  >;
  // ScalingMetrics.getObservedTpr reads, per sample: the source's input rate, its subtasks' mean
  // back-pressured time and its summed pendingRecords. Here each point of the window is a sample.
  const range = { start: q.at - q.windowSeconds + stepSeconds, end: q.at, step: stepSeconds };
  const [samplesIn, samplesOut, samplesBp, samplesPending] = await Promise.all([
    rangeByTask(client, sourceNow('numRecordsInPerSecond'), range),
    rangeByTask(client, sourceNow('numRecordsOutPerSecond'), range),
    rangeByTask(client, `avg by (task_id) (${task('backPressuredTimeMsPerSecond', sel)})`, range),
    rangeByTask(
      client,
      `sum by (task_id) (flink_taskmanager_job_task_operator_pendingRecords{${sel}})`,
      range,
    ),
  ]);
  const jobScope = async (metric: string) =>
    (
      await byTask(client, `last_over_time(flink_jobmanager_job_${metric}{${sel}}[${w}])`, q.at, 'job_id')
    ).get(jobId);
  const [fullSize, lastSize, duration] = await Promise.all([
    jobScope('lastCheckpointFullSize'),
    jobScope('lastCheckpointSize'),
    jobScope('lastCheckpointDuration'),
  ]);

  const warnings: string[] = [];
  const ms = (avg: Map<string, number>, max: Map<string, number>, id: string, min?: Map<string, number>) => {
    const a = avg.get(id);
    const m = max.get(id);
    if (a === undefined || m === undefined) return null;
    const lo = min?.get(id);
    return { avg: a, max: m, ...(lo !== undefined ? { min: lo } : {}) };
  };
  const vertices: ObservedVertex[] = graph.plan.nodes.map((node) => {
    const id = node.id;
    const inputs = (node.inputs ?? []).map((i) => ({ id: i.id, shipStrategy: i.ship_strategy ?? 'UNKNOWN' }));
    const isSource = inputs.length === 0;
    const parallelism = node.parallelism ?? r.subtasks.get(id) ?? 1;
    const name = graph.names.get(id) ?? chainedOperators(node.description, id).join(' -> ');
    if (!r.busyMax.has(id))
      warnings.push(`${name}: no busyTimeMsPerSecond series for task_id ${id} in the window`);
    // A source's own records in are 0: the Source operator's input, else its output (as the autoscaler).
    const byInput = Boolean(r.sourceIn.get(id));
    const recordsIn = isSource ? (byInput ? r.sourceIn.get(id) : r.sourceOut.get(id)) : r.recordsIn.get(id);
    const v: ObservedVertex = {
      id,
      name,
      operators: chainedOperators(node.description, name),
      parallelism,
      maxParallelism: graph.maxParallelism.get(id) ?? defaultMaxParallelism(parallelism),
      inputs,
      recordsInPerSecond: Math.max(0, recordsIn ?? 0),
      recordsOutPerSecond: Math.max(0, r.recordsOut.get(id) ?? 0),
      busyTimeMsPerSecond: ms(r.busyAvg, r.busyMax, id, r.busyMin),
      backPressuredTimeMsPerSecond: ms(r.bpAvg, r.bpMax, id),
      idleTimeMsPerSecond: ms(r.idleAvg, r.idleMax, id),
    };
    const bytesIn = r.bytesIn.get(id);
    const bytesOut = r.bytesOut.get(id);
    if (bytesIn !== undefined) v.bytesInPerSecond = bytesIn;
    if (bytesOut !== undefined) v.bytesOutPerSecond = bytesOut;
    const pending = r.pending.get(id);
    if (isSource && pending !== undefined && pending >= 0) v.pendingRecords = pending;
    const partitions = r.partitions.get(id);
    if (isSource && partitions !== undefined && partitions > 0) v.sourcePartitions = partitions;
    if (isSource) {
      const peakRate = (byInput ? r.peakIn : r.peakOut).get(id);
      if (peakRate !== undefined && peakRate > 0) v.peakRecordsInPerSecond = peakRate;
      const rates = (byInput ? samplesIn : samplesOut).get(id);
      if (rates && rates.size > 0)
        v.sourceSamples = [...rates].map(([t, rate]) => ({
          recordsInPerSecond: Math.max(0, rate),
          backPressuredMsPerSecond: samplesBp.get(id)?.get(t) ?? null,
          pendingRecords: samplesPending.get(id)?.get(t) ?? null,
        }));
    }
    return v;
  });
  if (graph.maxParallelism.size === 0)
    warnings.push(
      'Max parallelism is not in the pasted plan: Flink’s default rule assumed (paste GET /jobs/:id instead)',
    );
  return {
    source: { kind: 'prometheus', host: client.host },
    jobId,
    jobName: graph.jobName ?? q.jobName ?? jobId,
    windowSeconds: q.windowSeconds,
    observedAt: new Date(q.at * 1000).toISOString(),
    vertices,
    ...(fullSize !== undefined && lastSize !== undefined
      ? {
          checkpoint: {
            stateBytes: Math.round(fullSize),
            checkpointedBytes: Math.round(lastSize),
            durationMs: duration ?? 0,
          },
        }
      : {}),
    warnings,
  };
}
