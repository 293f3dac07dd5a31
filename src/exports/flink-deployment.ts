import { Document } from 'yaml';
import { commentSpec, flinkSpec } from './kubernetes.js';
import { defaultFlinkImage, type ManifestInput, resourceName } from './options.js';
import { header, oneLine } from './yaml.js';

/** A `flink.apache.org/v1beta1` FlinkDeployment for the Flink Kubernetes Operator (CONTRACT §5). */
export function flinkDeployment(input: ManifestInput): { resource: object; yaml: string } {
  const { estimate } = input;
  const name = resourceName(input);
  const defaultImage = defaultFlinkImage(estimate.flinkVersion);
  const spec = flinkSpec(input, input.options?.image || defaultImage);
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
    `${tm.count} TaskManagers × ${tm.cpu} CPU × ${tm.containerMemoryMiB} MiB; parallelism ${estimate.parallelism.default}.`,
    'Set spec.image to your job image and spec.job.jarURI to its jar, then: kubectl apply -f <this file>',
  ]);
  commentSpec(doc, input, spec, defaultImage);
  return { resource, yaml: doc.toString({ lineWidth: 0 }) };
}
