import { Document } from 'yaml';
import { flinkConfigFile } from './flink-config.js';
import { flinkSpec, metadata } from './kubernetes.js';
import { defaultFlinkImage, type ManifestInput, resourceName } from './options.js';

export { type ManifestInput, type ManifestOptions, resourceName } from './options.js';

export const MANIFEST_FORMATS = ['flink-config', 'flink-deployment', 'cmf-application'] as const;
export type ManifestFormat = (typeof MANIFEST_FORMATS)[number];

export interface RenderedManifest {
  filename: string;
  contentType: 'application/yaml';
  yaml: string;
  /** The same resource as JSON (Kubernetes formats only). */
  json?: unknown;
  /** How to submit it (CMF). */
  commands?: string[];
}

/** Confluent Platform for Apache Flink image tags follow `<flink version>-cp<n>`; this is an example tag. */
const cpFlinkImage = (version: string) => `confluentinc/cp-flink:${version}.0-cp1`;

function resourceYaml(resource: object, header: string[]): string {
  const doc = new Document(resource);
  doc.commentBefore = header.map((line) => ` ${line}`).join('\n');
  return doc.toString({ lineWidth: 0 });
}

/** Turns a plan into a deployable file (CONTRACT §5). */
export function renderManifest(format: ManifestFormat, input: ManifestInput): RenderedManifest {
  const name = resourceName(input);
  const { estimate } = input;
  if (format === 'flink-config') {
    const file = flinkConfigFile(input);
    return { filename: file.filename, contentType: 'application/yaml', yaml: file.yaml };
  }
  if (format === 'flink-deployment') {
    const resource = {
      apiVersion: 'flink.apache.org/v1beta1',
      kind: 'FlinkDeployment',
      metadata: metadata(input),
      spec: flinkSpec(input, input.options?.image ?? defaultFlinkImage(estimate.flinkVersion)),
    };
    return {
      filename: `${name}.yaml`,
      contentType: 'application/yaml',
      yaml: resourceYaml(resource, [
        `FlinkDeployment for the Flink Kubernetes Operator, from Flink Estimator (model ${estimate.modelVersion}).`,
        `${estimate.taskManagers.count} TaskManagers × ${estimate.taskManagers.cpu} CPU × ${estimate.taskManagers.containerMemoryMiB} Mi; parallelism ${estimate.parallelism.default}.`,
        'Set spec.image to your job image and spec.job.jarURI to its jar, then: kubectl apply -f <this file>',
      ]),
      json: resource,
    };
  }
  const resource = {
    apiVersion: 'cmf.confluent.io/v1',
    kind: 'FlinkApplication',
    metadata: { name },
    spec: flinkSpec(input, input.options?.image ?? cpFlinkImage(estimate.flinkVersion)),
  };
  const commands = [
    `confluent flink application create ${name}.json --environment <environment>`,
    `curl -X POST -H 'Content-Type: application/json' http://<cmf-host>:8080/cmf/api/v1/environments/<environment>/applications -d @${name}.json`,
  ];
  return {
    filename: `${name}.yaml`,
    contentType: 'application/yaml',
    yaml: resourceYaml(resource, [
      `FlinkApplication for Confluent Manager for Apache Flink, from Flink Estimator (model ${estimate.modelVersion}).`,
      `The image is an example Confluent Platform for Apache Flink tag: use the one your CMF release supports.`,
      'Submit it with:',
      ...commands.map((c) => `  ${c}`),
    ]),
    json: resource,
    commands,
  };
}
