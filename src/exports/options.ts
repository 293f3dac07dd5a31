import type { Estimate } from '../schemas/estimate.js';
import type { JobSpec } from '../schemas/jobspec.js';

/** What only the user knows about their deployment; everything is optional. */
export interface ManifestOptions {
  image?: string | undefined;
  jarUri?: string | undefined;
  entryClass?: string | undefined;
  namespace?: string | undefined;
  serviceAccount?: string | undefined;
  jobName?: string | undefined;
}

export interface ManifestInput {
  spec: JobSpec;
  estimate: Estimate;
  /** The saved estimation's name (any Unicode), used for the resource name when jobName is absent. */
  name?: string | undefined;
  options?: ManifestOptions | undefined;
}

export const DEFAULT_JAR_URI = 'local:///opt/flink/usrlib/job.jar';
export const DEFAULT_SERVICE_ACCOUNT = 'flink';

/**
 * A Flink Kubernetes Operator resource name from any text: lower-case letters, digits and "-",
 * starting with a letter, at most 45 characters (the operator's DefaultValidator limit).
 */
export function resourceName(input: ManifestInput): string {
  if (input.options?.jobName) return input.options.jobName;
  const slug = (input.name ?? '')
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .slice(0, 45)
    .replace(/-+$/, '');
  return slug === '' ? 'flink-job' : slug;
}

/** Operator enum for a Flink version: "1.20" → "v1_20". */
export const operatorFlinkVersion = (version: string) => `v${version.replace('.', '_')}`;

/** The official Apache Flink image of a version (Docker Hub `flink`), used when no image is given. */
export const defaultFlinkImage = (version: string) => `flink:${version}`;

/** Why each option is set, for comments in the exported files. */
export function optionComments(estimate: Estimate): Record<string, string> {
  const tm = estimate.taskManagers;
  return {
    'parallelism.default': `the largest operator parallelism; the job needs ${estimate.slots.required} slots (one slot-sharing group)`,
    'pipeline.max-parallelism':
      'number of key groups: fixed for the life of the state, so set it before the first run',
    'taskmanager.memory.process.size': `whole container: ${tm.containerMemoryMiB} MiB; Flink derives every memory component from it`,
    'taskmanager.numberOfTaskSlots': `${tm.count} TaskManagers × ${tm.slotsPerTaskManager} slots ≥ ${estimate.slots.required} slots needed`,
    'taskmanager.cpu.cores': 'CPU per TaskManager, the same as the container request',
    'taskmanager.memory.managed.size':
      'RocksDB block cache and write buffers for every slot (or 0: HashMap state lives on the heap)',
    'taskmanager.memory.network.min': 'network buffers the shuffles need per TaskManager (min = max)',
    'taskmanager.memory.network.max': 'network buffers the shuffles need per TaskManager (min = max)',
    'jobmanager.memory.process.size': 'whole JobManager container',
    'state.backend.type': `state backend: ${estimate.state.backend}`,
    'execution.checkpointing.interval': `checkpoint every ${estimate.state.checkpoint.intervalSeconds} s (about ${Math.ceil(estimate.state.checkpoint.estimatedDurationSeconds)} s each)`,
    'execution.checkpointing.incremental': 'incremental checkpoints upload only changed RocksDB files',
    'state.backend.rocksdb.memory.managed':
      'RocksDB stays inside managed memory, so the pod is not OOM-killed',
    'kubernetes.taskmanager.cpu.amount': 'CPU request of each TaskManager pod',
    'kubernetes.jobmanager.cpu.amount': 'CPU request of the JobManager pod',
  };
}

/** Every Flink option of the plan: job-level, TaskManager, JobManager and Kubernetes CPU. */
export function planOptions(estimate: Estimate): Record<string, string> {
  const options: Record<string, string> = {
    ...estimate.flinkConfig,
    'pipeline.max-parallelism':
      estimate.flinkConfig['pipeline.max-parallelism'] ?? String(estimate.parallelism.max),
    ...estimate.taskManagers.flinkConfig,
    ...estimate.jobManager.flinkConfig,
  };
  if (estimate.state.backend === 'rocksdb' && options['state.backend.rocksdb.memory.managed'] === undefined) {
    options['state.backend.rocksdb.memory.managed'] = 'true';
  }
  return options;
}

/** Kubernetes CPU requests the operator would set from resource.cpu (written into a plain config file). */
export function kubernetesCpuOptions(estimate: Estimate): Record<string, string> {
  return {
    'kubernetes.taskmanager.cpu.amount': String(estimate.taskManagers.cpu),
    'kubernetes.jobmanager.cpu.amount': String(estimate.jobManager.cpu),
  };
}
