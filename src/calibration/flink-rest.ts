/**
 * Collects a snapshot from a JobManager's REST API (Flink 1.18–1.20), the way the autoscaler's
 * RestApiMetricsCollector does: the job's details and plan, then for every vertex the metric names
 * that exist and only those (one missing name empties the whole answer). With a window it reads
 * everything again every `pollIntervalMs` until the window has passed, so rates come from the
 * cumulative counters rather than one read of the 60-second meters.
 */
import {
  AggregatedMetricsSchema,
  CheckpointConfigSchema,
  CheckpointDetailsSchema,
  CheckpointingStatisticsSchema,
  ClusterConfigSchema,
  JobDetailsSchema,
  JobsOverviewSchema,
  MetricNamesSchema,
  OverviewSchema,
  type Snapshot,
  TaskManagersSchema,
} from './flink-json.js';
import { type SafeClient, SourceError } from './safety.js';
import { wantedMetrics } from './snapshot.js';

export interface Clock {
  now(): number;
  wait(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  wait: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface CollectOptions {
  jobId?: string;
  /** 0: one read of the gauges; otherwise poll over this many seconds. */
  windowSeconds?: number;
  /** Flink's MetricFetcher refreshes every 10 s (metrics.fetcher.update-interval). */
  pollIntervalMs?: number;
  clock?: Clock;
}

const JOB_ID = /^[0-9a-f]{32}$/;

/** The job to calibrate: the one given, else the only RUNNING job. */
async function chooseJob(client: SafeClient, jobId: string | undefined): Promise<string> {
  if (jobId !== undefined) {
    if (!JOB_ID.test(jobId))
      throw new SourceError('A Flink job id is 32 hexadecimal digits', 'invalid', 'source.jobId');
    return jobId;
  }
  const overview = await client.json('/jobs/overview', JobsOverviewSchema);
  const running = (overview?.jobs ?? []).filter((j) => j.state === 'RUNNING');
  if (running.length === 1 && running[0]) return running[0].jid;
  const listed = running.map((j) => `${j.jid} (${j.name})`).join(', ');
  throw new SourceError(
    running.length === 0
      ? `No job is RUNNING on ${client.host}`
      : `${running.length} jobs are RUNNING on ${client.host}; choose one with jobId: ${listed}`,
    'invalid',
    'source.jobId',
  );
}

async function readMetrics(client: SafeClient, jobId: string, wanted: Map<string, string[]>) {
  const entries = await Promise.all(
    [...wanted].map(async ([vertexId, names]) => {
      if (names.length === 0) return [vertexId, []] as const;
      const get = names.map(encodeURIComponent).join(',');
      const path = `/jobs/${jobId}/vertices/${vertexId}/subtasks/metrics?get=${get}&agg=min,max,avg,sum`;
      return [vertexId, (await client.json(path, AggregatedMetricsSchema)) ?? []] as const;
    }),
  );
  return Object.fromEntries(entries);
}

/** Reads everything a calibration needs from a JobManager into a snapshot. */
export async function collectSnapshot(client: SafeClient, options: CollectOptions = {}): Promise<Snapshot> {
  const clock = options.clock ?? systemClock;
  const jobId = await chooseJob(client, options.jobId);
  const overview = await client.json('/overview', OverviewSchema, { optional: true });
  const job = await client.json(`/jobs/${jobId}`, JobDetailsSchema, { optional: true });
  if (!job) throw new SourceError(`No job ${jobId} on ${client.host}`, 'invalid', 'source.jobId');
  const sources = new Set(
    (job.plan?.nodes ?? []).filter((n) => (n.inputs ?? []).length === 0).map((n) => n.id),
  );
  const metricNames: Record<string, string[]> = {};
  const wanted = new Map<string, string[]>();
  await Promise.all(
    job.vertices.map(async (v) => {
      const names =
        (await client.json(`/jobs/${jobId}/vertices/${v.id}/subtasks/metrics`, MetricNamesSchema)) ?? [];
      metricNames[v.id] = names.map((n) => n.id);
      wanted.set(v.id, wantedMetrics(metricNames[v.id] ?? [], sources.has(v.id)));
    }),
  );

  const windowMs = Math.max(0, (options.windowSeconds ?? 0) * 1000);
  const polls: NonNullable<Snapshot['polls']> = [];
  const start = clock.now();
  polls.push({ timestampMs: start, job, metrics: await readMetrics(client, jobId, wanted) });
  if (windowMs > 0) {
    const interval = Math.min(options.pollIntervalMs ?? 10_000, windowMs);
    while (clock.now() - start < windowMs) {
      await clock.wait(Math.min(interval, windowMs - (clock.now() - start)));
      const details = await client.json(`/jobs/${jobId}`, JobDetailsSchema);
      polls.push({
        timestampMs: clock.now(),
        ...(details ? { job: details } : {}),
        metrics: await readMetrics(client, jobId, wanted),
      });
    }
  }

  const [checkpoints, checkpointConfig, taskmanagers, jobmanagerConfig] = await Promise.all([
    client.json(`/jobs/${jobId}/checkpoints`, CheckpointingStatisticsSchema, { optional: true }),
    client.json(`/jobs/${jobId}/checkpoints/config`, CheckpointConfigSchema, { optional: true }),
    client.json('/taskmanagers', TaskManagersSchema, { optional: true }),
    client.json('/jobmanager/config', ClusterConfigSchema, { optional: true }),
  ]);
  // The overview's checkpoints carry empty `tasks` (CheckpointingStatisticsHandler builds them
  // without task statistics); the per-vertex state sizes are in the checkpoint's details.
  const completed = checkpoints?.latest?.completed;
  if (checkpoints?.latest && completed?.id !== undefined) {
    const details = await client.json(
      `/jobs/${jobId}/checkpoints/details/${completed.id}`,
      CheckpointDetailsSchema,
      { optional: true },
    );
    if (details?.tasks) checkpoints.latest.completed = { ...completed, tasks: details.tasks };
  }
  return {
    ...(overview ? { overview } : {}),
    job: polls[polls.length - 1]?.job ?? job,
    metricNames,
    polls,
    ...(checkpoints ? { checkpoints } : {}),
    ...(checkpointConfig ? { checkpointConfig } : {}),
    ...(taskmanagers ? { taskmanagers } : {}),
    ...(jobmanagerConfig ? { jobmanagerConfig } : {}),
  };
}
