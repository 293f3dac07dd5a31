/**
 * The fake JobManager's job (test/support/fake-jobmanager.ts) as Flink's PrometheusReporter
 * exports it: meters as gauges named flink_taskmanager_job_task_*, label values sanitised
 * (sanitizeLabelValue), vertices matched on task_id. Backfill it with startPrometheus(openMetrics(...)).
 */
import { sanitizeLabelValue } from '../../src/calibration/prometheus.js';
import { AGG_ID, JOB_ID, SOURCE_ID } from './fake-jobmanager.js';
import type { Sample } from './prometheus.js';

/** The job's job_name label, as the reporter sanitises "bids per auction" style names. */
export const FAKE_JOB_NAME = 'bids_per_auction';

export function fakeJobSeries(): Sample[] {
  const job = { job_id: JOB_ID, job_name: sanitizeLabelValue(FAKE_JOB_NAME), host: '10_0_0_7' };
  const task = (id: string, name: string, i: number) => ({
    ...job,
    task_id: id,
    task_name: sanitizeLabelValue(name),
    subtask_index: String(i),
    tm_id: `tm_${i % 2}`,
  });
  const src = (i: number) => task(SOURCE_ID, 'Source: bids -> Calc', i);
  const agg = (i: number) => task(AGG_ID, 'GroupAggregate -> Sink: out', i);
  const m = (name: string, labels: Record<string, string>, value: number): Sample => ({
    name: `flink_taskmanager_job_task_${name}`,
    labels,
    value,
  });
  const samples: Sample[] = [];
  // Each subtask's second splits into busy, back-pressured (none here) and idle time.
  const times = (labels: Record<string, string>, busy: number) => [
    m('busyTimeMsPerSecond', labels, busy),
    m('backPressuredTimeMsPerSecond', labels, 0),
    m('idleTimeMsPerSecond', labels, 1000 - busy),
  ];
  [350, 450].forEach((busy, i) => {
    samples.push(...times(src(i), busy));
    samples.push(
      m('numRecordsInPerSecond', src(i), 0),
      m('numRecordsOutPerSecond', src(i), 20_000),
      m('numBytesOutPerSecond', src(i), 2_000_000),
    );
    const op = {
      ...src(i),
      operator_id: 'cbc357ccb763df2852fee8c4fc7d55f2',
      operator_name: sanitizeLabelValue('Source: bids'),
    };
    samples.push(m('operator_numRecordsInPerSecond', op, 25_000), m('operator_pendingRecords', op, 0));
    for (let p = i * 6; p < i * 6 + 6; p++)
      samples.push(
        m(
          'operator_KafkaSourceReader_topic_partition_currentOffset',
          { ...op, topic: 'bids', partition: String(p) },
          1000 * p,
        ),
      );
  });
  [500, 600, 600, 700].forEach((busy, i) => {
    samples.push(...times(agg(i), busy));
    samples.push(
      m('numRecordsInPerSecond', agg(i), 10_000),
      m('numRecordsOutPerSecond', agg(i), 0),
      m('numBytesInPerSecond', agg(i), 1_000_000),
    );
  });
  const jm = (name: string, value: number): Sample => ({
    name: `flink_jobmanager_job_${name}`,
    labels: { job_id: JOB_ID, job_name: job.job_name },
    value,
  });
  samples.push(
    jm('lastCheckpointFullSize', 1e9),
    jm('lastCheckpointSize', 5e7),
    jm('lastCheckpointDuration', 4200),
  );
  return samples;
}
