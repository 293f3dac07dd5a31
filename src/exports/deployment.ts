import type { FlinkVersion } from '../estimator/memory/types.js';
import { rocksDbVolumeBytes } from '../estimator/node-fit.js';
import { scanParallelismMissing } from '../estimator/parallelism/constraints.js';
import { formatBytes } from '../format.js';
import type { Estimate } from '../schemas/estimate.js';
import type { ManifestInput } from './options.js';
import { planOptions } from './plan.js';

/**
 * What turns a plan into a deployment that keeps its state: where checkpoints and savepoints go,
 * the max parallelism the state is created with, where RocksDB works, JobManager high
 * availability, and the per-operator parallelism each target can carry. Every format builds its
 * options here, so the rules live in one place.
 */

/**
 * How the files reach Flink: the options each target can set differ (HA services, local dirs).
 * `operator` is a resource the Flink Kubernetes Operator (or CMF, built on it) deploys;
 * `native-kubernetes` is Flink's own Kubernetes integration, started by the flink client.
 */
export type DeploymentTarget = 'operator' | 'native-kubernetes' | 'yarn' | 'standalone' | 'config';

const onKubernetes = (target: DeploymentTarget) => target === 'operator' || target === 'native-kubernetes';

/** Where the TaskManager pod template mounts RocksDB's own volume (state.backend.rocksdb.localdir). */
export const ROCKSDB_LOCAL_DIR = '/flink-rocksdb';
export const ROCKSDB_VOLUME = 'rocksdb-local';
/** The container the Flink Kubernetes Operator and native Kubernetes merge a pod template into. */
export const FLINK_MAIN_CONTAINER = 'flink-main-container';

const GiB = 2 ** 30;
const before120 = (version: FlinkVersion) => version === '1.18' || version === '1.19';

/**
 * The oldest Flink Kubernetes Operator whose FlinkDeployment `flinkVersion` enum has the
 * version (read from FlinkVersion.java at each release tag of apache/flink-kubernetes-operator:
 * v1_18 from release-1.6.0, v1_19 from 1.7.0, v1_20 from 1.10.0, v2_0 from 1.11.0, v2_1 from 1.13.0). The manifests configure Kubernetes HA, which last-state upgrades need on the
 * operator up to 1.9, so no later operator feature is needed.
 */
const MINIMUM_OPERATOR: Readonly<Record<FlinkVersion, string>> = {
  '1.18': '1.6',
  '1.19': '1.7',
  '1.20': '1.10',
  '2.0': '1.11',
  '2.1': '1.13',
};
export const minimumOperatorVersion = (version: FlinkVersion) => MINIMUM_OPERATOR[version];

/** Whether the job keeps state that a restart or an upgrade must not lose. */
export const isStateful = (e: Estimate) =>
  e.state.totalBytes > 0 || e.operators.some((o) => o.stateBytes > 0);

/** Whether RocksDB needs local disk of its own on each TaskManager. */
export const needsLocalDisk = (e: Estimate) =>
  e.state.backend === 'rocksdb' && e.taskManagers.localDiskBytes > 0;

/** The RocksDB volume's size as a Kubernetes quantity (rocksDbVolumeBytes: whole GiB). */
export const localDiskQuantity = (e: Estimate) =>
  `${rocksDbVolumeBytes(e.taskManagers.localDiskBytes) / GiB}Gi`;

/**
 * The checkpoint and savepoint directories under the keys the version reads: from 1.20
 * `execution.checkpointing.dir` / `execution.checkpointing.savepoint-dir` (CheckpointingOptions),
 * before it `state.checkpoints.dir` / `state.savepoints.dir`. For 1.20, which still reads the old
 * key as a fallback, an operator resource gets `state.checkpoints.dir` too: the Flink Kubernetes
 * Operator's DefaultValidator checks that key before it allows last-state upgrades. Nothing else
 * reads it, so the other targets carry only the key Flink 1.20 reads first.
 */
export function checkpointDirOptions(
  version: FlinkVersion,
  dir: string,
  forOperator = false,
): Record<string, string> {
  const savepoints = `${dir.replace(/\/+$/, '')}/savepoints`;
  if (before120(version)) return { 'state.checkpoints.dir': dir, 'state.savepoints.dir': savepoints };
  return {
    'execution.checkpointing.dir': dir,
    ...(version === '1.20' && forOperator ? { 'state.checkpoints.dir': dir } : {}),
    'execution.checkpointing.savepoint-dir': savepoints,
  };
}

/**
 * The max parallelism to create the state with: the plan's (the user's, or the one the plan
 * recommends and sets) — it can never change once state exists (a restore with another one
 * fails), so a stateful export pins it. Estimates saved before plans set it carry Flink's
 * default rule (`default`); those pin the recommendation when it has room for the job.
 */
export function stateMaxParallelism(e: Estimate): number {
  const largest = Math.max(e.parallelism.default, ...e.operators.map((o) => o.parallelism));
  if (e.parallelism.maxDecidedBy !== 'default' || e.parallelism.recommendedMax < largest)
    return e.parallelism.max;
  return e.parallelism.recommendedMax;
}

/** Every node of a pipeline spec (the quick form has no vertex ids). */
function specNodes(input: ManifestInput) {
  const p = input.spec.pipeline;
  return p ? [...p.sources, ...p.operators, ...p.sinks] : [];
}

/**
 * `pipeline.jobvertex-parallelism-overrides` (PipelineOptions.PARALLELISM_OVERRIDES, a map
 * "vertexId:parallelism,…") for the nodes whose Flink job vertex is known — a vertex runs at its
 * nodes' parallelism (chained operators share one). Undefined when no node carries a vertex id.
 */
export function vertexOverrides(input: ManifestInput): string | undefined {
  const planned = new Map(input.estimate.operators.map((o) => [o.id, o.parallelism]));
  const vertices = new Map<string, number>();
  for (const node of specNodes(input)) {
    const vertex = node.flinkVertexId;
    const parallelism = planned.get(node.id);
    if (vertex === undefined || parallelism === undefined) continue;
    vertices.set(vertex, Math.max(vertices.get(vertex) ?? 0, parallelism));
  }
  if (vertices.size === 0) return undefined;
  return [...vertices].map(([vertex, parallelism]) => `${vertex}:${parallelism}`).join(',');
}

/**
 * How the plan's per-operator parallelism reaches Flink, as comment lines. Flink SQL runs every
 * operator between sources and sinks at one parallelism (parallelism.default, unless
 * table.exec.resource.default-parallelism is set); only sources (`scan.parallelism`, FLIP-367,
 * where the connector supports it) and sinks (`sink.parallelism`) take their own, in the table's
 * DDL. A DataStream job sets each operator's with `.setParallelism(n)` in the program.
 */
export function parallelismNotes(input: ManifestInput): string[] {
  const e = input.estimate;
  const job = e.parallelism.default;
  if (input.spec.api === 'datastream') {
    return [
      `DataStream job: parallelism.default is ${job}; set each operator's parallelism in the program:`,
      ...e.operators.map((o) => `  ${o.id} (${o.kind}): .setParallelism(${o.parallelism})`),
    ];
  }
  const lines = [`Flink SQL runs every operator between sources and sinks at parallelism.default = ${job}.`];
  for (const o of e.operators) {
    if (o.parallelism === job || o.role === 'operator') continue;
    const option = o.role === 'source' ? 'scan.parallelism' : 'sink.parallelism';
    // The option must exist on this version, or the connector refuses the table (FLINK-33265).
    const missing = scanParallelismMissing(o, e.flinkVersion);
    if (missing !== undefined) {
      lines.push(
        `  ${o.id}: the plan's ${o.parallelism} cannot be set: ${missing}; it runs at parallelism.default = ${job}`,
      );
      continue;
    }
    lines.push(
      `  CREATE TABLE ${o.id} (…) WITH (…, '${option}' = '${o.parallelism}')  -- the plan's ${o.role} parallelism`,
    );
  }
  if (lines.length > 1) lines.splice(1, 0, 'Sources and sinks that differ take it in their table DDL:');
  return lines;
}

export interface Deployment {
  /** Every Flink option of the files, spelt for the version (process sizes included). */
  options: Record<string, string>;
  /** Whether state survives upgrades: a checkpoint directory is configured. */
  keepsState: boolean;
  /** What is missing for a stateful job, for the file's header and the Warning header; empty when nothing is. */
  missing: string[];
  /** Comment lines on per-operator parallelism. */
  parallelism: string[];
  /** Comment lines on what the checkpoint directory's filesystem needs in the image. */
  storage: string[];
}

/**
 * What an export without a checkpoint directory lacks, in plain words; undefined when nothing is
 * lacking. Without one Flink keeps checkpoints in the JobManager's memory
 * (JobManagerCheckpointStorage, DEFAULT_MAX_STATE_SIZE 5 MiB), so larger state cannot be
 * checkpointed and every restart or upgrade starts from nothing.
 */
export function missingCheckpointDir(e: Estimate): string[] {
  return [
    `No checkpoint directory: this job keeps ${formatBytes(e.state.totalBytes)} of state, but without ${before120(e.flinkVersion) ? 'state.checkpoints.dir' : 'execution.checkpointing.dir'} Flink keeps checkpoints in the JobManager's memory (at most 5 MiB of state), so checkpoints fail and every restart or upgrade loses the state.`,
    'Export again with ?checkpointDir=<durable URI> (CLI: --checkpoint-dir), e.g. s3://<bucket>/flink/<job>: it configures checkpoints, savepoints, last-state upgrades and the max parallelism the state is created with.',
    "s3:// needs one of Flink's S3 filesystem plugins (flink-s3-fs-hadoop or flink-s3-fs-presto, copied from opt/ into plugins/) and credentials (an IAM role for the pods, or s3.access-key and s3.secret-key).",
  ];
}

/**
 * Flink's filesystem plugins by URI scheme (Flink docs, "File Systems": S3, Google Cloud Storage,
 * Azure Blob Storage, Aliyun OSS). None is on the classpath by default: each jar sits in opt/ and must
 * be copied into plugins/, which the official image does from ENABLE_BUILT_IN_PLUGINS (its
 * docker-entrypoint.sh). For S3 checkpoints Flink's docs recommend the Presto plugin (s3://, s3p://);
 * s3a:// is the Hadoop plugin's scheme.
 */
const FILESYSTEM_PLUGINS: ReadonlyArray<[RegExp, string]> = [
  [/^s3p?:\/\//, 'flink-s3-fs-presto'],
  [/^s3a:\/\//, 'flink-s3-fs-hadoop'],
  [/^gs:\/\//, 'flink-gs-fs-hadoop'],
  [/^(abfss?|wasbs?):\/\//, 'flink-azure-fs-hadoop'],
  [/^oss:\/\//, 'flink-oss-fs-hadoop'],
];

/**
 * What the checkpoint directory's filesystem needs where Flink runs, as comment lines. A Kubernetes
 * pod runs an image, which the official one fills from ENABLE_BUILT_IN_PLUGINS; a distribution
 * (standalone hosts, a YARN client, a bare config file) needs the jar copied from opt/ into a folder
 * of its own under plugins/ (Flink docs, "Plugins"). On YARN the client ships its plugins/ folder to
 * every container (YarnClusterDescriptor adds it to the ship files), so the client's copy is enough.
 */
export function storageNotes(
  dir: string | undefined,
  version: FlinkVersion,
  target: DeploymentTarget = 'operator',
): string[] {
  const plugin = dir === undefined ? undefined : FILESYSTEM_PLUGINS.find(([scheme]) => scheme.test(dir))?.[1];
  if (dir === undefined || plugin === undefined) return [];
  const jar = `${plugin}-<your ${version}.x patch>.jar`;
  const where = onKubernetes(target)
    ? `in plugins/ on the JobManager and the TaskManagers (with the official image: env ENABLE_BUILT_IN_PLUGINS=${jar}, the jar's name in /opt/flink/opt)`
    : `in plugins/: mkdir plugins/${plugin} and copy opt/${jar} into it, ${
        target === 'yarn'
          ? 'in the Flink distribution you submit from (YARN ships its plugins/ to every container)'
          : 'in the Flink distribution of every JobManager and TaskManager host'
      }`;
  return [
    `${dir.split('://')[0]}:// needs Flink's ${plugin} plugin ${where} and credentials ${onKubernetes(target) ? 'for the pods (a workload identity or IAM role' : 'on every host (an instance role'}, or the plugin's key options as secrets), or the job fails with "Could not find a file system implementation for scheme".`,
  ];
}

/** Options naming a checkpoint directory: only with one can state survive a restart or an upgrade. */
const CHECKPOINT_DIR_KEYS = ['execution.checkpointing.dir', 'state.checkpoints.dir'];

/** The options and notes of a deployment of the plan on `target`. */
export function deployment(input: ManifestInput, target: DeploymentTarget): Deployment {
  const e = input.estimate;
  const dir = input.options?.checkpointDir;
  const options = planOptions(e);
  const overrides = vertexOverrides(input);
  if (overrides !== undefined) options['pipeline.jobvertex-parallelism-overrides'] = overrides;
  if (needsLocalDisk(e) && onKubernetes(target))
    options['state.backend.rocksdb.localdir'] = ROCKSDB_LOCAL_DIR;
  if (dir !== undefined) {
    Object.assign(options, checkpointDirOptions(e.flinkVersion, dir, target === 'operator'));
    // Keep the last checkpoint when the job is cancelled, so a stop-and-resubmit can resume from
    // it (the same key from 1.18 to 2.x; Flink's default deletes them).
    options['execution.checkpointing.externalized-checkpoint-retention'] = 'RETAIN_ON_CANCELLATION';
    options['pipeline.max-parallelism'] = String(stateMaxParallelism(e));
    // Kubernetes HA (KubernetesHaServicesFactory): the JobManager's leader and checkpoint
    // pointers live in ConfigMaps, the metadata under storageDir; `high-availability.type` is
    // the key from 1.17 on.
    if (onKubernetes(target) || target === 'standalone') {
      options['high-availability.type'] = onKubernetes(target) ? 'kubernetes' : 'zookeeper';
      // A standalone cluster elects its leader through ZooKeeper (ZooKeeperHaServices); the
      // quorum is the user's, so it is a placeholder the file's header points out.
      if (target === 'standalone')
        options['high-availability.zookeeper.quorum'] = 'zk-host-1:2181,zk-host-2:2181,zk-host-3:2181';
      options['high-availability.storageDir'] = `${dir.replace(/\/+$/, '')}/ha`;
    }
  }
  const keepsState = CHECKPOINT_DIR_KEYS.some((key) => key in options);
  return {
    options,
    keepsState,
    missing: isStateful(e) && !keepsState ? missingCheckpointDir(e) : [],
    parallelism: parallelismNotes(input),
    storage: storageNotes(dir, e.flinkVersion, target),
  };
}

/** The Warning header (RFC 9110 field syntax, ASCII only) for an export that lacks something. */
export const MISSING_CHECKPOINT_WARNING =
  'stateful job exported without a checkpoint directory: Flink keeps checkpoints in JobManager memory (5 MiB), so state is lost on restart; add checkpointDir=<durable URI>';
