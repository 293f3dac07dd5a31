import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { isManifestFormat, ManifestOptionsSchema, renderManifest } from '../../exports/index.js';
import type { JobSpec } from '../../jobspec/index.js';
import { sendProblem } from '../../plugins/app/errors.js';
import type { Estimate } from '../../schemas/estimate.js';
import { problem } from '../../schemas/problem.js';
import { fieldText } from '../../web/fields.js';
import { specFromLink } from '../../web/links.js';

type Query = Record<string, unknown>;

/**
 * Sends one download of a plan. The pages' export form adds what only the user knows (name,
 * image, jar, checkpoint directory, …) as query options, read with the API's own schema so both
 * accept the same values; a field left blank means "keep the placeholder", as if left out.
 */
function sendExport(
  request: FastifyRequest,
  reply: FastifyReply,
  format: string,
  plan: { spec: JobSpec; estimate: Estimate; name?: string | undefined },
) {
  if (format === 'json') {
    reply.header('content-disposition', 'attachment; filename="flink-estimate.json"');
    return reply.type('application/json; charset=utf-8').send(JSON.stringify(plan.estimate, null, 2));
  }
  const { spec: _spec, name: _name, ...rest } = request.query as Query;
  const given = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== ''));
  const options = ManifestOptionsSchema.safeParse(given);
  if (!options.success) {
    return sendProblem(
      request,
      reply,
      problem(
        400,
        'One of the export fields is not valid.',
        options.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
      ),
    );
  }
  if (!isManifestFormat(format)) return sendProblem(request, reply, noSuchExport(format));
  const out = renderManifest(format, {
    spec: plan.spec,
    estimate: plan.estimate,
    name: fieldText(request.query, 'name', 200)?.trim() || plan.name,
    options: options.data,
  });
  // renderManifest's filenames are [a-z0-9.-] only, safe in the header as they are.
  reply.header('content-disposition', `attachment; filename="${out.filename}"`);
  if (out.headerWarnings.length > 0)
    reply.header('warning', out.headerWarnings.map((text) => `299 flink-estimator "${text}"`).join(', '));
  return reply.type(`${out.contentType}; charset=utf-8`).send(out.yaml);
}

const isFormat = (format: string) => format === 'json' || isManifestFormat(format);
const noSuchExport = (format: string) => problem(404, `There is no export called "${format.slice(0, 40)}".`);

/** Downloads for the pages: a shared results link's plan, or a saved estimation's. */
const resultsExport: FastifyPluginAsync = async (app) => {
  app.get<{ Params: { format: string }; Querystring: Query }>(
    '/results/export/:format',
    { schema: { hide: true } },
    async (request, reply) => {
      const { format } = request.params;
      if (!isFormat(format)) return sendProblem(request, reply, noSuchExport(format));
      const link = specFromLink(request.query.spec);
      if ('problem' in link) return sendProblem(request, reply, link.problem);
      return sendExport(request, reply, format, {
        spec: link.spec,
        estimate: app.estimator.estimate(link.spec),
      });
    },
  );

  app.get<{ Params: { id: string; format: string }; Querystring: Query }>(
    '/saved/:id/export/:format',
    { schema: { hide: true } },
    async (request, reply) => {
      const { id, format } = request.params;
      if (!isFormat(format)) return sendProblem(request, reply, noSuchExport(format));
      const record = app.estimations.get(id);
      if (!record)
        return sendProblem(request, reply, problem(404, 'There is no saved estimation with this id.'));
      return sendExport(request, reply, format, record);
    },
  );
};

export default resultsExport;
