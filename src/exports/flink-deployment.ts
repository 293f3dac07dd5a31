import { Document } from 'yaml';
import { counted } from '../estimator/text.js';
import { deployment } from './deployment.js';
import { commentSpec, flinkSpec, kubernetesHeader } from './kubernetes.js';
import { defaultFlinkImage, type ManifestInput, resourceName } from './options.js';
import { header, oneLine } from './yaml.js';

/** The file's name: distinct from the CMF FlinkApplication's (the JSON form ends in .json). */
export const flinkDeploymentFilename = (name: string) => `${name}-flinkdeployment.yaml`;

/** A `flink.apache.org/v1beta1` FlinkDeployment for the Flink Kubernetes Operator (docs/exports.md). */
export function flinkDeployment(input: ManifestInput): { resource: object; yaml: string; missing: string[] } {
  const { estimate } = input;
  const name = resourceName(input);
  const defaultImage = defaultFlinkImage(estimate.flinkVersion);
  const plan = deployment(input, 'operator');
  const spec = flinkSpec(input, input.options?.image || defaultImage, plan);
  const namespace = input.options?.namespace;
  const resource = {
    apiVersion: 'flink.apache.org/v1beta1',
    kind: 'FlinkDeployment',
    metadata: {
      name,
      ...(namespace ? { namespace } : {}),
      labels: { 'app.kubernetes.io/managed-by': 'flink-estimator' },
    },
    spec,
  };
  const doc = new Document(resource);
  const tm = estimate.taskManagers;
  header(doc, [
    `FlinkDeployment for the Flink Kubernetes Operator, from Flink Estimator (model ${oneLine(estimate.modelVersion)}).`,
    `${counted(tm.count, 'TaskManager')} × ${tm.cpu} CPU × ${tm.containerMemoryMiB} MiB; parallelism ${estimate.parallelism.default}.`,
    'Set spec.image to your job image and spec.job.jarURI to its jar, then: kubectl apply -f <this file>',
    ...kubernetesHeader(input, plan),
  ]);
  commentSpec(doc, input, spec, defaultImage);
  return { resource, yaml: doc.toString({ lineWidth: 0 }), missing: plan.missing };
}
