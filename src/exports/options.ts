import type { Estimate } from '../schemas/estimate.js';
import type { JobSpec } from '../schemas/jobspec.js';

/** What only the user knows about their deployment; everything is optional. */
export interface ManifestOptions {
  image?: string | undefined;
  jarUri?: string | undefined;
  entryClass?: string | undefined;
  namespace?: string | undefined;
  serviceAccount?: string | undefined;
  jobName?: string | undefined;
}

export interface ManifestInput {
  spec: JobSpec;
  estimate: Estimate;
  /** The saved estimation's name (any Unicode), used for the resource name when jobName is absent. */
  name?: string | undefined;
  options?: ManifestOptions | undefined;
}

export const DEFAULT_JAR_URI = 'local:///opt/flink/usrlib/job.jar';
export const DEFAULT_SERVICE_ACCOUNT = 'flink';
export const DEFAULT_RESOURCE_NAME = 'flink-job';

/** The Flink Kubernetes Operator's DefaultValidator caps FlinkDeployment names at 45 characters. */
export const MAX_NAME_LENGTH = 45;
/** CMF REST identifiers need at least 4 characters (CMF REST API, "Identifiers"). */
const MIN_NAME_LENGTH = 4;

/**
 * A resource name derived from any text, deterministically: NFKD-folded (accents dropped), lower-case,
 * runs of anything but [a-z0-9] become one "-", leading non-letters dropped, at most 45
 * characters, no trailing "-" (a DNS-1123 label the operator accepts). Names too short for CMF
 * get "-job" appended; text with no usable letters gives "flink-job".
 */
export function slugName(text: string | undefined): string {
  const slug = (text ?? '')
    .normalize('NFKD')
    // NFKD splits "ü" into "u" and a combining mark; drop the marks so "Zürich" gives "zurich".
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .slice(0, MAX_NAME_LENGTH)
    .replace(/-+$/, '');
  if (slug === '') return DEFAULT_RESOURCE_NAME;
  return slug.length < MIN_NAME_LENGTH ? `${slug}-job` : slug;
}

/** The resource name: the jobName option (validated by the caller), else derived from the name. */
export function resourceName(input: ManifestInput): string {
  return input.options?.jobName || slugName(input.name);
}

/** Operator `flinkVersion` enum value for a Flink version: "1.20" → "v1_20" (CRD enum v1_13 … v2_2). */
export const operatorFlinkVersion = (version: string) => `v${version.replace('.', '_')}`;

/** The official Apache Flink image of a version (Docker Hub `flink:<major.minor>`), used when no image is given. */
export const defaultFlinkImage = (version: string) => `flink:${version}`;

/**
 * An example Confluent Platform for Apache Flink image: tags follow `<flink x.y.z>-cp<n>` (the
 * CMF docs use confluentinc/cp-flink:1.19.3-cp1). The patch and cp numbers here are placeholders.
 */
export const exampleCpFlinkImage = (version: string) => `confluentinc/cp-flink:${version}.0-cp1`;
