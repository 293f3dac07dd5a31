import { z } from 'zod';
import { MANIFEST_FORMATS, ManifestOptionsSchema, REMOVED_FORMATS } from '../../../exports/index.js';

export const FormatParamsSchema = z.object({
  format: z
    .enum(MANIFEST_FORMATS, {
      error: (issue) =>
        (typeof issue.input === 'string' ? REMOVED_FORMATS[issue.input] : undefined) ??
        `One of ${MANIFEST_FORMATS.join(', ')}`,
    })
    .describe(
      '`flink-config`: Flink’s config.yaml (flink-conf.yaml before 1.19); `flink-deployment`: a flink.apache.org/v1beta1 FlinkDeployment for the Flink Kubernetes Operator; `cmf-application`: a cmf.confluent.io/v1 FlinkApplication for Confluent Manager for Apache Flink; `kubernetes-application`: a native Kubernetes `flink run-application` script with its pod template; `yarn-application`: a `flink run-application -t yarn-application` script, containers rounded as YARN rounds them; `standalone`: a script writing the configuration, workers and masters files. (`mesos` answers 400: Flink removed Mesos support in 1.14.)',
    ),
});

/** The API's query string: the options shared with the CLI, and the output form. */
export const ManifestQuerySchema = ManifestOptionsSchema.extend({
  output: z
    .enum(['yaml', 'json'])
    .default('yaml')
    .describe(
      '`yaml` (default) or `json`. JSON exists for the Kubernetes resources only (flink-deployment, cmf-application); the other formats answer 400 with `output=json`.',
    ),
});

export type ManifestQuery = z.output<typeof ManifestQuerySchema>;
