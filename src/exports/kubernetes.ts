import type { Document } from 'yaml';
import { formatMemorySizeCompact, parseMemorySize } from '../estimator/memory/index.js';
import { counted } from '../estimator/text.js';
import { formatBytes } from '../format.js';
import type { Estimate } from '../schemas/estimate.js';
import {
  type Deployment,
  FLINK_MAIN_CONTAINER,
  localDiskQuantity,
  minimumOperatorVersion,
  needsLocalDisk,
  ROCKSDB_LOCAL_DIR,
  ROCKSDB_VOLUME,
} from './deployment.js';
import {
  DEFAULT_JAR_URI,
  DEFAULT_SERVICE_ACCOUNT,
  type ManifestInput,
  operatorFlinkVersion,
} from './options.js';
import { optionComment, PROCESS_SIZE_KEYS } from './plan.js';
import { commentOn } from './yaml.js';

/**
 * `resource.memory` for a process size: the operator parses it with Flink's MemorySize first
 * (FlinkConfigBuilder / ResourceConfigUtils.parseResourceMemoryString), so a whole-unit Flink
 * spelling ("4g", "1728m", or exact bytes "1811939329b") gives exactly the planned bytes.
 * Decimal forms such as "1.5g" would fall through to a Kubernetes Quantity (1.5 × 10⁹).
 */
export function resourceMemory(size: string | undefined, fallbackMiB: number): string {
  return formatMemorySizeCompact(size === undefined ? BigInt(fallbackMiB) * 1048576n : parseMemorySize(size));
}

/**
 * A pod template giving RocksDB a volume of its own: a generic ephemeral volume (Kubernetes
 * 1.23+), created with the pod and deleted with it — TaskManagers are bare pods, not a
 * StatefulSet, so there is no volumeClaimTemplates; the cluster's default StorageClass provides
 * it. Flink merges the template into the pods it creates; the main container must be named
 * flink-main-container (KubernetesPodTemplate docs).
 */
export function rocksDbPodTemplate(e: Estimate) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'taskmanager-pod-template' },
    spec: {
      containers: [
        {
          name: FLINK_MAIN_CONTAINER,
          volumeMounts: [{ name: ROCKSDB_VOLUME, mountPath: ROCKSDB_LOCAL_DIR }],
        },
      ],
      volumes: [
        {
          name: ROCKSDB_VOLUME,
          ephemeral: {
            volumeClaimTemplate: {
              spec: {
                accessModes: ['ReadWriteOnce'],
                resources: { requests: { storage: localDiskQuantity(e) } },
              },
            },
          },
        },
      ],
    },
  };
}

export interface FlinkSpec {
  image: string;
  flinkVersion: string;
  serviceAccount: string;
  flinkConfiguration: Record<string, string>;
  jobManager: { resource: { cpu: number; memory: string }; replicas: number };
  taskManager: {
    resource: { cpu: number; memory: string };
    podTemplate?: ReturnType<typeof rocksDbPodTemplate>;
  };
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
export function flinkSpec(input: ManifestInput, image: string, plan: Deployment): FlinkSpec {
  const estimate: Estimate = input.estimate;
  const { options } = plan;
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
      ...(needsLocalDisk(estimate) ? { podTemplate: rocksDbPodTemplate(estimate) } : {}),
    },
    job: {
      jarURI: input.options?.jarUri || DEFAULT_JAR_URI,
      ...(entryClass ? { entryClass } : {}),
      parallelism: estimate.parallelism.default,
      upgradeMode: plan.keepsState ? 'last-state' : 'stateless',
      state: 'running',
    },
  };
}

/** Header lines shared by the operator's resources: the operator they need, what is missing. */
export function kubernetesHeader(input: ManifestInput, plan: Deployment): string[] {
  const e = input.estimate;
  return [
    `Needs Flink Kubernetes Operator ${minimumOperatorVersion(e.flinkVersion)} or later (flinkVersion ${operatorFlinkVersion(e.flinkVersion)})${needsLocalDisk(e) ? ' and Kubernetes 1.23 or later (generic ephemeral volumes)' : ''}.`,
    ...plan.missing.map((line) => `WARNING: ${line}`),
    ...plan.storage,
    ...plan.parallelism,
  ];
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
  for (const key of Object.keys(spec.flinkConfiguration))
    commentOn(doc, ['spec', 'flinkConfiguration', key], optionComment(key, e));
  at(
    ['jobManager', 'resource', 'memory'],
    `→ jobmanager.memory.process.size: ${e.jobManager.containerMemoryMiB} MiB, from which Flink derives the JobManager breakdown`,
  );
  at(
    ['jobManager', 'replicas'],
    'one JobManager: with Kubernetes HA a replacement takes over after a failure',
  );
  at(
    ['taskManager'],
    [
      `no replicas on purpose: the operator runs ⌈parallelism ${e.parallelism.default} ÷ ${counted(tm.slotsPerTaskManager, 'slot')}⌉ = ${tm.count} TaskManagers`,
      '(FlinkUtils.getNumTaskManagers); setting replicas would override job.parallelism instead',
    ].join('\n'),
  );
  at(
    ['taskManager', 'resource', 'memory'],
    `→ taskmanager.memory.process.size: ${tm.containerMemoryMiB} MiB, from which Flink derives the TaskManager breakdown`,
  );
  at(['taskManager', 'resource', 'cpu'], '→ kubernetes.taskmanager.cpu.amount (the pod CPU request)');
  if (spec.taskManager.podTemplate)
    at(
      ['taskManager', 'podTemplate'],
      `RocksDB's working files on a generic ephemeral volume of ${localDiskQuantity(e)} per TaskManager (the plan's local disk: ${formatBytes(tm.localDiskBytes)})`,
    );
  if (spec.job.jarURI === DEFAULT_JAR_URI)
    at(['job', 'jarURI'], 'placeholder: the path of your job jar in the image (or a remote URI)');
  at(
    ['job', 'upgradeMode'],
    spec.job.upgradeMode === 'stateless'
      ? 'stateless: no checkpoint directory is configured (export with checkpointDir to keep state across upgrades)'
      : 'last-state: upgrades resume from the latest checkpoint in the configured directory',
  );
}
