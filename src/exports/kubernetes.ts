import type { Estimate } from '../schemas/estimate.js';
import {
  DEFAULT_JAR_URI,
  DEFAULT_SERVICE_ACCOUNT,
  type ManifestInput,
  operatorFlinkVersion,
  planOptions,
  resourceName,
} from './options.js';

/** Options the operator sets itself from resource.memory and resource.cpu, so not repeated. */
const SET_BY_OPERATOR = ['taskmanager.memory.process.size', 'jobmanager.memory.process.size'];

/**
 * The spec shared by a FlinkDeployment (flink.apache.org/v1beta1) and a CMF FlinkApplication
 * (cmf.confluent.io/v1). The operator writes `resource.memory` to `*.memory.process.size` and
 * `resource.cpu` to `kubernetes.*.cpu.amount` (FlinkConfigBuilder), so the pods derive exactly
 * the plan's memory. `taskManager.replicas` is left unset: the operator then runs
 * ⌈parallelism ÷ slots⌉ TaskManagers (setting replicas would override job.parallelism).
 */
export function flinkSpec(input: ManifestInput, image: string) {
  const estimate: Estimate = input.estimate;
  const flinkConfiguration = Object.fromEntries(
    Object.entries(planOptions(estimate)).filter(([key]) => !SET_BY_OPERATOR.includes(key)),
  );
  return {
    image,
    flinkVersion: operatorFlinkVersion(estimate.flinkVersion),
    serviceAccount: input.options?.serviceAccount ?? DEFAULT_SERVICE_ACCOUNT,
    flinkConfiguration,
    jobManager: {
      replicas: 1,
      resource: {
        cpu: estimate.jobManager.cpu,
        memory:
          estimate.jobManager.flinkConfig['jobmanager.memory.process.size'] ??
          `${estimate.jobManager.containerMemoryMiB}m`,
      },
    },
    taskManager: {
      resource: {
        cpu: estimate.taskManagers.cpu,
        memory:
          estimate.taskManagers.flinkConfig['taskmanager.memory.process.size'] ??
          `${estimate.taskManagers.containerMemoryMiB}m`,
      },
    },
    job: {
      jarURI: input.options?.jarUri ?? DEFAULT_JAR_URI,
      ...(input.options?.entryClass ? { entryClass: input.options.entryClass } : {}),
      parallelism: estimate.parallelism.default,
      // stateless needs no checkpoint directory; switch to last-state once state.checkpoints.dir
      // (execution.checkpointing.dir) points at durable storage.
      upgradeMode: 'stateless',
      state: 'running',
    },
  };
}

export const metadata = (input: ManifestInput) => ({
  name: resourceName(input),
  ...(input.options?.namespace ? { namespace: input.options.namespace } : {}),
  labels: { 'app.kubernetes.io/managed-by': 'flink-estimator' },
});
