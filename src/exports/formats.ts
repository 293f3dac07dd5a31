/**
 * The deployable formats, in the order the pages list them — one list for the API's path
 * parameter, the CLI's --format and the pages' download links.
 */
export const MANIFEST_FORMATS = [
  'flink-config',
  'flink-deployment',
  'cmf-application',
  'kubernetes-application',
  'yarn-application',
  'standalone',
] as const;
export type ManifestFormat = (typeof MANIFEST_FORMATS)[number];

/** The formats that are Kubernetes resources, and so also have a JSON form. */
export const RESOURCE_FORMATS: readonly ManifestFormat[] = ['flink-deployment', 'cmf-application'];

/** What each format is, for download links and the API reference. */
export const FORMAT_LABELS: Readonly<Record<ManifestFormat, { label: string; hint: string }>> = {
  'flink-config': { label: 'Flink config', hint: 'config.yaml (flink-conf.yaml for 1.18)' },
  'flink-deployment': { label: 'FlinkDeployment', hint: 'Flink Kubernetes Operator' },
  'cmf-application': { label: 'CMF FlinkApplication', hint: 'Confluent Manager for Apache Flink' },
  'kubernetes-application': {
    label: 'Native Kubernetes',
    hint: 'application-mode script (-t kubernetes-application), with a pod template',
  },
  'yarn-application': { label: 'YARN', hint: 'application-mode script (-t yarn-application)' },
  standalone: { label: 'Standalone', hint: 'config, workers and masters, and what to start where' },
};

/**
 * Deployment modes Flink no longer has, with what to say instead of "unknown format": Flink
 * 1.14 removed Mesos support (FLINK-23118, release notes 1.14 "Removal of the Mesos integration").
 */
export const REMOVED_FORMATS: Readonly<Record<string, string>> = {
  mesos:
    'Flink removed Mesos support in 1.14, and this spec targets a release after it; deploy on Kubernetes (flink-deployment or kubernetes-application) or YARN (yarn-application) instead',
};

export const isManifestFormat = (value: string): value is ManifestFormat =>
  (MANIFEST_FORMATS as readonly string[]).includes(value);

/** One download link per format, in page order; `href` gives each format's URL. */
export const manifestLinks = (href: (format: ManifestFormat) => string) =>
  MANIFEST_FORMATS.map((format) => ({ ...FORMAT_LABELS[format], href: href(format) }));
