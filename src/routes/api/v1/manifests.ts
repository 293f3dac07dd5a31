import type { FastifyPluginAsyncZod } from '@fastify/type-provider-zod';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { renderManifest } from '../../../exports/index.js';
import type { Estimate } from '../../../schemas/estimate.js';
import { type JobSpec, JobSpecSchema } from '../../../schemas/jobspec.js';
import { problem } from '../../../schemas/problem.js';
import { attachment } from '../content-disposition.js';
import { BadRequest, bodyErrors, commonErrors, NotFound, replyProblem } from '../responses.js';
import { estimationNotFound } from './estimations.js';
import {
  FormatParamsSchema,
  type ManifestFormat,
  type ManifestQuery,
  ManifestQuerySchema,
  RESOURCE_FORMATS,
} from './manifest-params.js';
import { IdParamsSchema, isEstimationId } from './params.js';

export const KubernetesResourceSchema = z
  .looseObject({
    apiVersion: z.string(),
    kind: z.string(),
    metadata: z.looseObject({ name: z.string(), namespace: z.string().optional() }),
    spec: z.record(z.string(), z.unknown()),
  })
  .meta({
    id: 'KubernetesResource',
    description:
      'A FlinkDeployment (flink.apache.org/v1beta1) or FlinkApplication (cmf.confluent.io/v1) as JSON: the same content as the YAML',
  });

const ManifestResponse = z.union([z.string(), KubernetesResourceSchema]).meta({
  description:
    'The manifest, as a download (`Content-Disposition: attachment`). YAML by default; JSON with `output=json` for the Kubernetes resources.',
  content: {
    'application/yaml': {
      schema: {
        type: 'string',
        description:
          'Flink config.yaml / flink-conf.yaml, or the Kubernetes resource, with comments saying why',
      },
    },
    'application/json': { schema: { $ref: '#/components/schemas/KubernetesResource' } },
  },
  headers: {
    'Content-Disposition': {
      type: 'string',
      description:
        'attachment; filename="<name>.yaml"; filename*=UTF-8\'\'<name> — the name is made safe whatever the estimation is called',
    },
  },
});

const FORMAT_DESCRIPTION =
  'Query parameters fill in what only you know — `image`, `jarUri`, `namespace`, `serviceAccount`, `jobName` — with placeholders otherwise. The memory the file sets derives, in Flink, to the plan’s breakdown.';

/** Renders and sends one manifest; `output=json` exists only for the Kubernetes resources. */
function sendManifest(
  reply: FastifyReply,
  format: ManifestFormat,
  query: ManifestQuery,
  input: { spec: JobSpec; estimate: Estimate; name?: string },
): FastifyReply {
  const json = query.output === 'json';
  if (json && !RESOURCE_FORMATS.includes(format)) {
    const message =
      'flink-config is a Flink configuration file, not a Kubernetes resource, so it has no JSON form; leave out output=json (the estimate’s flinkConfig maps hold the same options as JSON)';
    return replyProblem(
      reply,
      problem(
        400,
        `The query string is invalid: query.output: ${message}.`,
        [{ path: 'query.output', message }],
        'validation',
      ),
    );
  }
  const { output: _output, ...options } = query;
  const rendered = renderManifest(format, { ...input, options });
  const filename = rendered.filename.replace(/\.(ya?ml|json)$/i, '') + (json ? '.json' : '.yaml');
  reply.header('content-disposition', attachment(filename, format));
  return json
    ? reply.type('application/json; charset=utf-8').send(rendered.json)
    : reply.type('application/yaml; charset=utf-8').send(rendered.yaml);
}

/**
 * Deployable exports (CONTRACT §5): Flink configuration, a FlinkDeployment for the Flink
 * Kubernetes Operator, or a CMF FlinkApplication — for a spec sent now, or a saved estimation.
 */
const manifests: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/manifests/:format',
    {
      schema: {
        operationId: 'createManifest',
        tags: ['Manifests'],
        summary: 'Export a deployable manifest for a spec',
        description: `Estimates the spec (nothing is saved) and renders the plan in the requested format. ${FORMAT_DESCRIPTION}`,
        params: FormatParamsSchema,
        querystring: ManifestQuerySchema,
        body: JobSpecSchema,
        response: { 200: ManifestResponse, ...bodyErrors, ...commonErrors },
      },
    },
    async (request, reply) => {
      const spec = request.body;
      return sendManifest(reply, request.params.format, request.query, {
        spec,
        estimate: app.estimator.estimate(spec),
      });
    },
  );

  app.get(
    '/estimations/:id/manifests/:format',
    {
      schema: {
        operationId: 'getEstimationManifest',
        tags: ['Manifests'],
        summary: 'Export a deployable manifest for a saved estimation',
        description: `Renders the saved estimate (as saved; PATCH the spec to re-estimate) in the requested format, named after the estimation. ${FORMAT_DESCRIPTION}`,
        params: IdParamsSchema.extend(FormatParamsSchema.shape),
        querystring: ManifestQuerySchema,
        response: { 200: ManifestResponse, 400: BadRequest, 404: NotFound, ...commonErrors },
      },
    },
    async (request, reply) => {
      const { id, format } = request.params;
      const saved = isEstimationId(id) ? app.estimations.get(id) : undefined;
      if (!saved) return estimationNotFound(reply, id);
      return sendManifest(reply, format, request.query, {
        spec: saved.spec,
        estimate: saved.estimate,
        name: saved.name,
      });
    },
  );
};

export default manifests;
