import type { FastifyPluginAsync } from 'fastify';
import { isManifestFormat, renderManifest } from '../../exports/index.js';
import { sendProblem } from '../../plugins/errors.js';
import { problem } from '../../schemas/problem.js';
import { specFromLink } from './estimate.js';

/** Downloads for the unsaved results page: the manifests and the estimate JSON of a shared link. */
const resultsExport: FastifyPluginAsync = async (app) => {
  app.get<{ Params: { format: string }; Querystring: { spec?: string } }>(
    '/results/export/:format',
    { schema: { hide: true } },
    async (request, reply) => {
      const { format } = request.params;
      if (format !== 'json' && !isManifestFormat(format)) {
        return sendProblem(
          request,
          reply,
          problem(404, `There is no export called "${format.slice(0, 40)}".`),
        );
      }
      const link = specFromLink(request.query.spec);
      if ('problem' in link) return sendProblem(request, reply, link.problem);
      const estimate = app.estimator.estimate(link.spec);
      if (format === 'json') {
        reply.header('content-disposition', 'attachment; filename="flink-estimate.json"');
        return reply.type('application/json; charset=utf-8').send(JSON.stringify(estimate, null, 2));
      }
      const out = renderManifest(format, { spec: link.spec, estimate });
      // renderManifest's filenames are [a-z0-9.-] only, safe in the header as they are.
      reply.header('content-disposition', `attachment; filename="${out.filename}"`);
      return reply.type(`${out.contentType}; charset=utf-8`).send(out.yaml);
    },
  );
};

export default resultsExport;
