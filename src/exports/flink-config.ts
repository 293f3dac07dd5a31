import { Document, isMap, isPair, isScalar, Scalar } from 'yaml';
import { kubernetesCpuOptions, type ManifestInput, optionComments, planOptions } from './options.js';

/**
 * Flink's configuration file for the plan: `config.yaml` for 1.19+ (standard YAML; values
 * double-quoted so YAML never retypes them) or the legacy flat `flink-conf.yaml` for 1.18
 * (Flink's legacy parser splits `key: value` and does not unquote, so values stay plain).
 */
export function flinkConfigFile(input: ManifestInput): { filename: string; yaml: string } {
  const { estimate } = input;
  const legacy = estimate.flinkVersion === '1.18';
  const options = { ...planOptions(estimate), ...kubernetesCpuOptions(estimate) };
  const comments = optionComments(estimate);
  const doc = new Document(options);
  doc.commentBefore = [
    ` Flink ${estimate.flinkVersion} configuration from Flink Estimator (model ${estimate.modelVersion}).`,
    ` ${estimate.taskManagers.count} TaskManagers × ${estimate.taskManagers.cpu} CPU, ${estimate.taskManagers.slotsPerTaskManager} slots each; parallelism ${estimate.parallelism.default}.`,
    ' Memory options derive, in Flink, to exactly the breakdown shown with the estimate.',
  ].join('\n');
  if (isMap(doc.contents)) {
    for (const item of doc.contents.items) {
      if (!isPair(item) || !isScalar(item.key)) continue;
      const why = comments[String(item.key.value)];
      if (why) item.key.commentBefore = ` ${why}`;
      if (isScalar(item.value)) item.value.type = legacy ? Scalar.PLAIN : Scalar.QUOTE_DOUBLE;
    }
  }
  return {
    filename: legacy ? 'flink-conf.yaml' : 'config.yaml',
    yaml: doc.toString({ lineWidth: 0 }),
  };
}
