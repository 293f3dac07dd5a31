import { Document } from 'yaml';
import { deployment } from './deployment.js';
import { commentSpec, flinkSpec, kubernetesHeader } from './kubernetes.js';
import { exampleCpFlinkImage, type ManifestInput, resourceName } from './options.js';
import { commentOn, header, oneLine } from './yaml.js';

/**
 * The file's name: distinct from the FlinkDeployment's, so both downloads of one job can sit in
 * one folder (the JSON form, `?output=json`, ends in .json instead).
 */
export const cmfApplicationFilename = (name: string) => `${name}-cmf-application.yaml`;

/**
 * A `cmf.confluent.io/v1` FlinkApplication for Confluent Manager for Apache Flink: metadata.name
 * and a spec that mirrors the FlinkDeployment's (CMF hands it to the Confluent Platform build of
 * the operator), with the Confluent CLI and CMF REST commands that submit it.
 */
export function cmfApplication(input: ManifestInput): {
  resource: object;
  yaml: string;
  commands: string[];
  missing: string[];
} {
  const { estimate } = input;
  const name = resourceName(input);
  const defaultImage = exampleCpFlinkImage(estimate.flinkVersion);
  const plan = deployment(input, 'operator');
  const spec = flinkSpec(input, input.options?.image || defaultImage, plan);
  const resource = { apiVersion: 'cmf.confluent.io/v1', kind: 'FlinkApplication', metadata: { name }, spec };
  // The CLI reads JSON or YAML; the REST call needs the JSON form (?output=json from the API).
  const file = cmfApplicationFilename(name);
  const commands = [
    `confluent flink application create --environment <environment> ${file}`,
    `curl -X POST -H 'Content-Type: application/json' http://<cmf-host>:8080/cmf/api/v1/environments/<environment>/applications -d @${file.replace(/\.yaml$/, '.json')}`,
  ];
  const doc = new Document(resource);
  header(doc, [
    `FlinkApplication for Confluent Manager for Apache Flink, from Flink Estimator (model ${oneLine(estimate.modelVersion)}).`,
    'Submit it with the Confluent CLI, or its JSON form through the CMF REST API:',
    ...commands.map((command) => `  ${command}`),
    ...kubernetesHeader(input, plan),
  ]);
  commentSpec(doc, input, spec, defaultImage);
  if (spec.image === defaultImage)
    commentOn(
      doc,
      ['spec', 'image'],
      'example tag (<flink version>-cp<n>): use the Confluent Platform for Apache Flink image your CMF release supports, with your job jar',
    );
  return { resource, yaml: doc.toString({ lineWidth: 0 }), commands, missing: plan.missing };
}
