import type { FastifyPluginAsyncZod } from '@fastify/type-provider-zod';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { type ManifestFormat, RESOURCE_FORMATS, renderManifest } from '../../../exports/index.js';
import { type JobSpec, JobSpecSchema } from '../../../jobspec/index.js';
import type { Estimate } from '../../../schemas/estimate.js';
import { problem } from '../../../schemas/problem.js';
import { attachment } from '../content-disposition.js';
import { BadRequest, bodyErrors, commonErrors, NotFound, replyProblem } from '../responses.js';
import { FormatParamsSchema, type ManifestQuery, ManifestQuerySchema } from './manifest-params.js';
import { estimationNotFound, IdParamsSchema, isEstimationId } from './params.js';

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
    'text/x-shellscript': {
      schema: {
        type: 'string',
        description:
          'A bash script (yarn-application, kubernetes-application, standalone), a comment on every option',
      },
    },
  },
  headers: {
    Warning: {
      type: 'string',
      description:
        '299 warnings: a stateful job exported without checkpointDir, a YARN container above the maximum, a queue too small. The file says the same in its comments.',
    },
    'Content-Disposition': {
      type: 'string',
      description:
        'attachment; filename="<name>.yaml"; filename*=UTF-8\'\'<name> — the name is made safe whatever the estimation is called',
    },
  },
});

const FORMAT_DESCRIPTION =
  'Query parameters fill in what only you know — `image`, `jarUri`, `entryClass`, `namespace`, `serviceAccount`, `jobName`, `checkpointDir`, and the YARN scheduler’s `yarnMinAllocationMb` / `yarnIncrementAllocationMb` / `yarnMaxAllocationMb` — with placeholders otherwise. A stateful job needs `checkpointDir` to keep its state; without it the answer carries a `Warning` header and the file says what is missing. The memory the file sets derives, in Flink, to the plan’s breakdown.';

/** Renders and sends one manifest; `output=json` exists only for the Kubernetes resources. */
function sendManifest(
  reply: FastifyReply,
  format: ManifestFormat,
  query: ManifestQuery,
  input: { spec: JobSpec; estimate: Estimate; name?: string },
): FastifyReply {
  const json = query.output === 'json';
  if (json && !RESOURCE_FORMATS.includes(format)) {
    const message = `${format} is ${format === 'flink-config' ? 'a Flink configuration file' : 'a shell script'}, not a Kubernetes resource, so it has no JSON form; leave out output=json (the estimate’s flinkConfig maps hold the same options as JSON)`;
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
  const filename = json ? rendered.filename.replace(/\.ya?ml$/i, '.json') : rendered.filename;
  reply.header('content-disposition', attachment(filename, format));
  // RFC 9111 obsoleted Warning, but clients and proxies still show it; 299 = "miscellaneous persistent warning".
  if (rendered.headerWarnings.length > 0)
    reply.header(
      'warning',
      rendered.headerWarnings.map((text) => `299 flink-estimator "${text}"`).join(', '),
    );
  return json
    ? reply.type('application/json; charset=utf-8').send(rendered.json)
    : reply.type(`${rendered.contentType}; charset=utf-8`).send(rendered.yaml);
}

/**
 * Deployable exports (docs/exports.md): Flink configuration, a FlinkDeployment for the Flink
 * Kubernetes Operator, a CMF FlinkApplication, or a native Kubernetes, YARN or standalone
 * script — for a spec sent now, or a saved estimation.
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
