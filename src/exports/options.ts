import { z } from 'zod';
import type { JobSpec } from '../jobspec/index.js';
import type { Estimate } from '../schemas/estimate.js';

// Kubernetes object names (k8s.io/apimachinery validation): a DNS-1123 label for namespaces,
// a DNS-1123 subdomain for service accounts.
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
// The Flink Kubernetes Operator's DefaultValidator: lower-case letters, digits and '-', starting
// with a letter, ending with a letter or digit, at most 45 characters (it derives Service names
// such as <name>-rest from it, which must stay DNS-1035 labels of at most 63).
const FLINK_DEPLOYMENT_NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
// An OCI image reference (distribution/reference grammar): [registry[:port]/]path[:tag][@digest].
const IMAGE_REFERENCE =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::\d{1,5})?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$/;
// YARN queue names: letters, digits, '_', '-' and '.' between path parts (root.team.etl).
const YARN_QUEUE = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*$/;

/** A URI with a scheme and no whitespace, quotes or control characters (local://, s3://, hdfs://…). */
const isUri = (value: string) =>
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point.
  /^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s"'<>\\`$\u0000-\u001f\u007f]+$/.test(value) && URL.canParse(value);

/**
 * A durable-storage URI Flink can write checkpoints to: scheme://[authority]/path, no fragment
 * or query (Flink's Path keeps neither, and Flink 1.18's flink-conf.yaml reader cuts at "#").
 */
const isCheckpointUri = (value: string) =>
  isUri(value) && /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*\/[^?#]*$/.test(value);

/** Megabytes as YARN configures them; query strings and command-line flags both arrive as text. */
const megabytes = (max: number) => z.coerce.number().int().min(1).max(max);

/**
 * What only the user knows about their deployment — one schema for the API's query string and
 * the CLI's flags (the CLI spells each key in kebab case). Everything is optional: without a
 * value the export uses a placeholder and says so.
 */
export const ManifestOptionsSchema = z.object({
  image: z
    .string()
    .max(512)
    .regex(IMAGE_REFERENCE, 'Not an image reference such as "registry.example.com/team/job:1.4.2"')
    .optional()
    .describe('Container image with your job (default: the official Flink image of the spec’s version)')
    .meta({ examples: ['registry.example.com/data/clickstream-job:1.4.2'] }),
  jarUri: z
    .string()
    .max(2048)
    .refine(isUri, 'Not a URI such as "local:///opt/flink/usrlib/job.jar" or "s3://bucket/job.jar"')
    .optional()
    .describe('URI of the job jar (default: a local:///opt/flink/usrlib/… placeholder)')
    .meta({ examples: ['local:///opt/flink/usrlib/clickstream-job.jar'] }),
  entryClass: z
    .string()
    .max(512)
    .regex(/^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$/, 'Not a Java class name such as "com.example.Job"')
    .optional()
    .describe('Main class of the job jar, when its manifest names none')
    .meta({ examples: ['com.example.ClickstreamJob'] }),
  namespace: z
    .string()
    .max(63)
    .regex(DNS1123_LABEL, 'Not a Kubernetes namespace: lower-case letters, digits and "-" (a DNS-1123 label)')
    .optional()
    .describe('Kubernetes namespace (default: none, so kubectl’s current namespace)')
    .meta({ examples: ['flink'] }),
  serviceAccount: z
    .string()
    .max(253)
    .regex(DNS1123_SUBDOMAIN, 'Not a Kubernetes service account name (a DNS-1123 subdomain)')
    .optional()
    .describe('Service account the Flink pods run as (default: flink, as the operator’s Helm chart creates)')
    .meta({ examples: ['flink'] }),
  jobName: z
    .string()
    .max(45, 'At most 45 characters (the Flink Kubernetes Operator’s limit for resource names)')
    .regex(
      FLINK_DEPLOYMENT_NAME,
      'Lower-case letters, digits and "-", starting with a letter and ending with a letter or digit',
    )
    .optional()
    .describe('Resource, cluster or application name (default: derived from the estimation’s name)')
    .meta({ examples: ['clickstream-sessions'] }),
  checkpointDir: z
    .string()
    .max(2048)
    .refine(isCheckpointUri, 'Not a storage URI such as "s3://bucket/flink/job" or "hdfs:///flink/job"')
    .optional()
    .describe(
      'Durable storage for checkpoints and savepoints (s3://, gs://, abfss://, hdfs://…). With it, stateful jobs keep their state across upgrades and failures; without it a stateful export says what is missing.',
    )
    .meta({ examples: ['s3://analytics-flink/checkpoints/clickstream'] }),
  yarnMinAllocationMb: megabytes(1048576)
    .optional()
    .describe(
      'yarn.scheduler.minimum-allocation-mb: the CapacityScheduler rounds every container up to a multiple of it (YARN’s default 1024)',
    ),
  yarnIncrementAllocationMb: megabytes(1048576)
    .optional()
    .describe(
      'yarn.resource-types.memory-mb.increment-allocation: the FairScheduler rounds containers up to a multiple of it instead',
    ),
  yarnMaxAllocationMb: megabytes(16777216)
    .optional()
    .describe(
      'yarn.scheduler.maximum-allocation-mb: the largest container YARN grants (YARN’s default 8192)',
    ),
  yarnQueue: z
    .string()
    .max(255)
    .regex(YARN_QUEUE, 'Not a YARN queue name such as "root.streaming"')
    .optional()
    .describe('yarn.application.queue to submit to'),
  yarnQueueMemoryMb: megabytes(1073741824)
    .optional()
    .describe('Memory the queue can give this application, to check the containers fit'),
  yarnQueueVcores: z.coerce
    .number()
    .int()
    .min(1)
    .max(1048576)
    .optional()
    .describe('Virtual cores the queue can give this application, to check the containers fit'),
});

/** What only the user knows about their deployment; everything is optional. */
export type ManifestOptions = z.output<typeof ManifestOptionsSchema>;

export interface ManifestInput {
  spec: JobSpec;
  estimate: Estimate;
  /** The saved estimation's name (any Unicode), used for the resource name when jobName is absent. */
  name?: string | undefined;
  options?: Partial<ManifestOptions> | undefined;
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
