import { Document, isMap, isPair, isScalar, Scalar } from 'yaml';
import { counted } from '../estimator/text.js';
import type { Estimate } from '../schemas/estimate.js';
import { deployment } from './deployment.js';
import type { ManifestInput } from './options.js';
import { kubernetesCpuOptions, optionComment, planOptions } from './plan.js';
import { commentOn, header, oneLine } from './yaml.js';

/**
 * Flink 1.18's legacy `flink-conf.yaml` parser (GlobalConfiguration.loadYAMLResource) is not
 * YAML: it cuts each line at "#", splits at the first ": " and keeps the value verbatim, quotes
 * included — `"true"` would read as a false boolean. So the legacy file needs every value plain:
 * numbers and booleans as YAML numbers/booleans (printed exactly as planned), the rest as plain
 * strings, which for our values ("16g", "60 s", "rocksdb") YAML never needs to quote.
 */
function legacyScalar(value: string): Scalar {
  if (value === 'true' || value === 'false') return new Scalar(value === 'true');
  const number = /^-?\d{1,15}(?:\.(\d{1,6}))?$/.exec(value);
  if (number) {
    const scalar = new Scalar(Number(value));
    scalar.minFractionDigits = number[1]?.length ?? 0;
    return scalar;
  }
  const scalar = new Scalar(value);
  scalar.type = Scalar.PLAIN;
  return scalar;
}

/** The options of a Flink configuration file for the plan, in file order. */
export function configFileOptions(
  estimate: Estimate,
  options: Record<string, string> = planOptions(estimate),
): Record<string, string> {
  return { ...options, ...kubernetesCpuOptions(estimate) };
}

/**
 * The file a Flink release reads from conf/: 1.18 only the legacy flat `flink-conf.yaml`; 1.19
 * and 1.20 read `config.yaml` (standard YAML, FLIP-366) but still prefer a `flink-conf.yaml` when
 * one is there (release notes 1.19, FLINK-33297); 2.0 reads only `config.yaml` (release notes
 * 2.0, FLINK-33677).
 */
export const configFileName = (estimate: Estimate) =>
  estimate.flinkVersion === '1.18' ? 'flink-conf.yaml' : 'config.yaml';

/** Whether a leftover `flink-conf.yaml` would be read instead of the `config.yaml` we write. */
export const legacyFileWins = (estimate: Estimate) =>
  estimate.flinkVersion === '1.19' || estimate.flinkVersion === '1.20';

/**
 * Flink's configuration file for the plan: `config.yaml` for 1.19+ (standard YAML read by
 * Flink's YamlParserUtils; flat keys are accepted, values double-quoted so YAML never retypes
 * them) or the legacy flat `flink-conf.yaml` for 1.18.
 */
export function flinkConfigFile(
  input: ManifestInput,
  plan = deployment(input, 'config'),
  options = configFileOptions(input.estimate, plan.options),
): { filename: string; yaml: string; missing: string[] } {
  const { estimate } = input;
  const legacy = estimate.flinkVersion === '1.18';
  const doc = new Document(options);
  if (isMap(doc.contents)) {
    for (const item of doc.contents.items) {
      if (!isPair(item) || !isScalar(item.key)) continue;
      const value = options[String(item.key.value)] ?? '';
      if (legacy) item.value = legacyScalar(value);
      else if (isScalar(item.value)) item.value.type = Scalar.QUOTE_DOUBLE;
    }
  }
  for (const key of Object.keys(options)) commentOn(doc, [key], optionComment(key, estimate));
  const tm = estimate.taskManagers;
  header(doc, [
    `Flink ${estimate.flinkVersion} ${legacy ? 'flink-conf.yaml (legacy flat format)' : 'config.yaml'} from Flink Estimator (model ${oneLine(estimate.modelVersion)}).`,
    `${tm.count} TaskManagers × ${tm.cpu} CPU × ${tm.containerMemoryMiB} MiB, ${counted(tm.slotsPerTaskManager, 'slot')} each; parallelism ${estimate.parallelism.default}.`,
    'The memory options derive, in Flink, to exactly the breakdown shown with the estimate.',
    legacy
      ? 'Flink 1.18 reads this file verbatim (no YAML unquoting), so values are left plain.'
      : 'Values are quoted strings: Flink converts them to each option’s type.',
    ...plan.missing.map((line) => `WARNING: ${line}`),
    ...plan.storage,
    ...plan.parallelism,
  ]);
  return { filename: configFileName(estimate), yaml: doc.toString({ lineWidth: 0 }), missing: plan.missing };
}
