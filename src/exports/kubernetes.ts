import type { Document } from 'yaml';
import { formatMemorySizeCompact, parseMemorySize } from '../estimator/memory/index.js';
import type { Estimate } from '../schemas/estimate.js';
import {
  DEFAULT_JAR_URI,
  DEFAULT_SERVICE_ACCOUNT,
  type ManifestInput,
  operatorFlinkVersion,
} from './options.js';
import { PROCESS_SIZE_KEYS, planOptions } from './plan.js';
import { commentOn } from './yaml.js';

/** Options naming a checkpoint directory: only with one can the operator upgrade with last-state. */
const CHECKPOINT_DIR_KEYS = ['execution.checkpointing.dir', 'state.checkpoints.dir'];

/**
 * `resource.memory` for a process size: the operator parses it with Flink's MemorySize first
 * (FlinkConfigBuilder / ResourceConfigUtils.parseResourceMemoryString), so a whole-unit Flink
 * spelling ("4g", "1728m", or exact bytes "1811939329b") gives exactly the planned bytes.
 * Decimal forms such as "1.5g" would fall through to a Kubernetes Quantity (1.5 × 10⁹).
 */
export function resourceMemory(size: string | undefined, fallbackMiB: number): string {
  return formatMemorySizeCompact(size === undefined ? BigInt(fallbackMiB) * 1048576n : parseMemorySize(size));
}

export interface FlinkSpec {
  image: string;
  flinkVersion: string;
  serviceAccount: string;
  flinkConfiguration: Record<string, string>;
  jobManager: { resource: { cpu: number; memory: string }; replicas: number };
  taskManager: { resource: { cpu: number; memory: string } };
  job: {
    jarURI: string;
    entryClass?: string;
    parallelism: number;
    upgradeMode: 'stateless' | 'last-state';
    state: 'running';
  };
}

/**
 * The spec shared by a FlinkDeployment (flink.apache.org/v1beta1) and a CMF FlinkApplication
 * (cmf.confluent.io/v1, whose spec mirrors it). The operator writes `resource.memory` to
 * `*.memory.process.size` and `resource.cpu` to `kubernetes.*.cpu.amount` (FlinkConfigBuilder
 * setResource / configureCpu), so `flinkConfiguration` carries every other option of the plan.
 */
export function flinkSpec(input: ManifestInput, image: string): FlinkSpec {
  const estimate: Estimate = input.estimate;
  const options = planOptions(estimate);
  const flinkConfiguration = Object.fromEntries(
    Object.entries(options).filter(([key]) => !(PROCESS_SIZE_KEYS as readonly string[]).includes(key)),
  );
  const entryClass = input.options?.entryClass;
  return {
    image,
    flinkVersion: operatorFlinkVersion(estimate.flinkVersion),
    serviceAccount: input.options?.serviceAccount || DEFAULT_SERVICE_ACCOUNT,
    flinkConfiguration,
    jobManager: {
      resource: {
        cpu: estimate.jobManager.cpu,
        memory: resourceMemory(
          options['jobmanager.memory.process.size'],
          estimate.jobManager.containerMemoryMiB,
        ),
      },
      replicas: 1,
    },
    taskManager: {
      resource: {
        cpu: estimate.taskManagers.cpu,
        memory: resourceMemory(
          options['taskmanager.memory.process.size'],
          estimate.taskManagers.containerMemoryMiB,
        ),
      },
    },
    job: {
      jarURI: input.options?.jarUri || DEFAULT_JAR_URI,
      ...(entryClass ? { entryClass } : {}),
      parallelism: estimate.parallelism.default,
      upgradeMode: CHECKPOINT_DIR_KEYS.some((key) => key in options) ? 'last-state' : 'stateless',
      state: 'running',
    },
  };
}

/** Comments on the non-obvious lines of a spec rendered at `spec` in `doc`. */
export function commentSpec(
  doc: Document,
  input: ManifestInput,
  spec: FlinkSpec,
  defaultImage: string,
): void {
  const e = input.estimate;
  const tm = e.taskManagers;
  const at = (path: string[], text: string) => commentOn(doc, ['spec', ...path], text);
  if (spec.image === defaultImage)
    at(['image'], 'default image for this Flink version: use your own image that holds the job jar');
  at(['flinkVersion'], `Flink ${e.flinkVersion} (the operator's flinkVersion enum)`);
  at(
    ['flinkConfiguration'],
    'every option of the plan except the two process sizes, which the operator sets from resource.memory',
  );
  at(
    ['jobManager', 'resource', 'memory'],
    `→ jobmanager.memory.process.size: ${e.jobManager.containerMemoryMiB} MiB, from which Flink derives the JobManager breakdown`,
  );
  at(['jobManager', 'replicas'], 'one JobManager: more need high availability configured');
  at(
    ['taskManager'],
    [
      `no replicas on purpose: the operator runs ⌈parallelism ${e.parallelism.default} ÷ ${tm.slotsPerTaskManager} slots⌉ = ${tm.count} TaskManagers`,
      '(FlinkUtils.getNumTaskManagers); setting replicas would override job.parallelism instead',
    ].join('\n'),
  );
  at(
    ['taskManager', 'resource', 'memory'],
    `→ taskmanager.memory.process.size: ${tm.containerMemoryMiB} MiB, from which Flink derives the TaskManager breakdown`,
  );
  at(['taskManager', 'resource', 'cpu'], '→ kubernetes.taskmanager.cpu.amount (the pod CPU request)');
  if (spec.job.jarURI === DEFAULT_JAR_URI)
    at(['job', 'jarURI'], 'placeholder: the path of your job jar in the image (or a remote URI)');
  at(
    ['job', 'upgradeMode'],
    spec.job.upgradeMode === 'stateless'
      ? 'stateless: no checkpoint directory is configured; set execution.checkpointing.dir to durable storage, then use last-state'
      : 'last-state: upgrades resume from the latest checkpoint in the configured directory',
  );
}
