import { z } from 'zod';

/** The deployable formats (CONTRACT §5). */
export const MANIFEST_FORMATS = ['flink-config', 'flink-deployment', 'cmf-application'] as const;
export type ManifestFormat = (typeof MANIFEST_FORMATS)[number];

/** The formats that are Kubernetes resources, and so also have a JSON form. */
export const RESOURCE_FORMATS: readonly ManifestFormat[] = ['flink-deployment', 'cmf-application'];

export const FormatParamsSchema = z.object({
  format: z
    .enum(MANIFEST_FORMATS)
    .describe(
      '`flink-config`: Flink’s config.yaml (flink-conf.yaml before 1.19); `flink-deployment`: a flink.apache.org/v1beta1 FlinkDeployment for the Flink Kubernetes Operator; `cmf-application`: a cmf.confluent.io/v1 FlinkApplication for Confluent Manager for Apache Flink',
    ),
});

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

/** A URI with a scheme and no whitespace, quotes or control characters (jarURI: local://, s3://, https://…). */
const isJarUri = (value: string) =>
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point.
  /^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s"'<>\\\u0000-\u001f\u007f]+$/.test(value) && URL.canParse(value);

export const ManifestQuerySchema = z.object({
  output: z
    .enum(['yaml', 'json'])
    .default('yaml')
    .describe(
      '`yaml` (default) or `json`. JSON exists for the Kubernetes resources only: flink-config is a Flink configuration file and answers 400 with `output=json`.',
    ),
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
    .refine(isJarUri, 'Not a URI such as "local:///opt/flink/usrlib/job.jar" or "s3://bucket/job.jar"')
    .optional()
    .describe('URI of the job jar (default: a local:///opt/flink/usrlib/… placeholder)')
    .meta({ examples: ['local:///opt/flink/usrlib/clickstream-job.jar'] }),
  namespace: z
    .string()
    .max(63)
    .regex(DNS1123_LABEL, 'Not a Kubernetes namespace: lower-case letters, digits and "-" (a DNS-1123 label)')
    .optional()
    .describe('Kubernetes namespace for metadata.namespace (default: none, so kubectl’s current namespace)')
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
    .describe('metadata.name of the resource (default: derived from the estimation’s name)')
    .meta({ examples: ['clickstream-sessions'] }),
});

export type ManifestQuery = z.output<typeof ManifestQuerySchema>;
