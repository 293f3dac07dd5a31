import { cmfApplication } from './cmf-application.js';
import { flinkConfigFile } from './flink-config.js';
import { flinkDeployment } from './flink-deployment.js';
import { type ManifestInput, resourceName } from './options.js';

export { configFileOptions } from './flink-config.js';
export { foreignKeys, keysForVersion } from './keys.js';
export { type ManifestInput, type ManifestOptions, resourceName, slugName } from './options.js';
export { planOptions } from './plan.js';

export const MANIFEST_FORMATS = ['flink-config', 'flink-deployment', 'cmf-application'] as const;
export type ManifestFormat = (typeof MANIFEST_FORMATS)[number];

export interface RenderedManifest {
  /** A safe file name: [a-z0-9-] then ".yaml". */
  filename: string;
  contentType: string;
  yaml: string;
  /** The same resource as JSON (Kubernetes formats only). */
  json?: unknown;
  /** How to submit it (CMF). */
  commands?: string[];
}

const YAML = 'application/yaml';

/** Turns a plan into a deployable file (CONTRACT §5). */
export function renderManifest(format: ManifestFormat, input: ManifestInput): RenderedManifest {
  switch (format) {
    case 'flink-config': {
      const file = flinkConfigFile(input.estimate);
      return { filename: file.filename, contentType: YAML, yaml: file.yaml };
    }
    case 'flink-deployment': {
      const out = flinkDeployment(input);
      return {
        filename: `${resourceName(input)}.yaml`,
        contentType: YAML,
        yaml: out.yaml,
        json: out.resource,
      };
    }
    case 'cmf-application': {
      const out = cmfApplication(input);
      return {
        filename: `${resourceName(input)}.yaml`,
        contentType: YAML,
        yaml: out.yaml,
        json: out.resource,
        commands: out.commands,
      };
    }
  }
}
