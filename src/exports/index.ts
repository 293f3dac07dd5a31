import { cmfApplication, cmfApplicationFilename } from './cmf-application.js';
import { MISSING_CHECKPOINT_WARNING } from './deployment.js';
import { flinkConfigFile } from './flink-config.js';
import { flinkDeployment, flinkDeploymentFilename } from './flink-deployment.js';
import type { ManifestFormat } from './formats.js';
import { kubernetesApplication } from './native-kubernetes.js';
import { type ManifestInput, resourceName } from './options.js';
import { standaloneCluster } from './standalone.js';
import { yarnApplication } from './yarn.js';

export { configFileOptions } from './flink-config.js';
export {
  FORMAT_LABELS,
  isManifestFormat,
  MANIFEST_FORMATS,
  type ManifestFormat,
  manifestLinks,
  REMOVED_FORMATS,
  RESOURCE_FORMATS,
} from './formats.js';
export { foreignKeys, keysForVersion } from './keys.js';
export {
  type ManifestInput,
  type ManifestOptions,
  ManifestOptionsSchema,
  resourceName,
  slugName,
} from './options.js';
export { planOptions } from './plan.js';

export interface RenderedManifest {
  /** A safe file name: [a-z0-9-] then ".yaml" or ".sh". */
  filename: string;
  contentType: string;
  /** The file's text (YAML or a bash script). */
  yaml: string;
  /** The same resource as JSON (Kubernetes formats only). */
  json?: unknown;
  /** How to submit it (CMF). */
  commands?: string[];
  /** What the file lacks or cannot promise, in plain words (also written into the file). */
  warnings: string[];
  /** The same, one ASCII line each, for an HTTP `Warning` header. */
  headerWarnings: string[];
}

const YAML = 'application/yaml';
const SHELL = 'text/x-shellscript';

/** HTTP field values are ASCII: fold the text, drop what does not fold, keep quotes out. */
const ascii = (text: string) =>
  text
    .normalize('NFKD')
    .replace(/[^\x20-\x7e]/g, '')
    .replace(/"/g, "'");

type Body = Omit<RenderedManifest, 'warnings' | 'headerWarnings'>;

/** A rendered file with its warnings: what a stateful job lacks first, then anything else. */
function withWarnings(
  body: Body,
  missing: readonly string[],
  others: readonly string[] = [],
): RenderedManifest {
  return {
    ...body,
    warnings: [...missing, ...others],
    headerWarnings: [...(missing.length > 0 ? [MISSING_CHECKPOINT_WARNING] : []), ...others.map(ascii)],
  };
}

/** The command-line targets: a bash script each, named <job>-<suffix>.sh. */
const SCRIPTS: Record<
  Exclude<ManifestFormat, 'flink-config' | 'flink-deployment' | 'cmf-application'>,
  {
    render: (input: ManifestInput) => { script: string; missing: string[]; warnings?: string[] };
    suffix: string;
  }
> = {
  'kubernetes-application': { render: kubernetesApplication, suffix: 'kubernetes' },
  'yarn-application': { render: yarnApplication, suffix: 'yarn' },
  standalone: { render: standaloneCluster, suffix: 'standalone' },
};

/** Turns a plan into a deployable file (docs/exports.md). */
export function renderManifest(format: ManifestFormat, input: ManifestInput): RenderedManifest {
  const name = resourceName(input);
  switch (format) {
    case 'flink-config': {
      const file = flinkConfigFile(input);
      return withWarnings({ filename: file.filename, contentType: YAML, yaml: file.yaml }, file.missing);
    }
    case 'flink-deployment': {
      const out = flinkDeployment(input);
      return withWarnings(
        { filename: flinkDeploymentFilename(name), contentType: YAML, yaml: out.yaml, json: out.resource },
        out.missing,
      );
    }
    case 'cmf-application': {
      const out = cmfApplication(input);
      return withWarnings(
        {
          filename: cmfApplicationFilename(name),
          contentType: YAML,
          yaml: out.yaml,
          json: out.resource,
          commands: out.commands,
        },
        out.missing,
      );
    }
    default: {
      const target = SCRIPTS[format];
      const out = target.render(input);
      return withWarnings(
        { filename: `${name}-${target.suffix}.sh`, contentType: SHELL, yaml: out.script },
        out.missing,
        out.warnings,
      );
    }
  }
}
