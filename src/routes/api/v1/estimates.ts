import type { FastifyPluginAsyncZod } from '@fastify/type-provider-zod';
import { z } from 'zod';
import { JobSpecSchema } from '../../../jobspec/index.js';
import { EstimateSchema } from '../../../schemas/estimate.js';
import { ownerOf } from '../owner.js';
import { bodyErrors, commonErrors } from '../responses.js';
import { sendJson } from '../send-json.js';

const EstimateQuerySchema = z.object({
  model: z
    .enum(['default', 'calibrated'])
    .optional()
    .describe(
      'calibrated: estimate with the model fitted to stored calibrations (GET /api/v1/model?calibrated=true); the answer’s modelVersion names it. Default: the model in force',
    ),
});

/** POST /api/v1/estimates: a JobSpec in, the resource plan out (docs/api.md). Nothing is stored. */
const estimates: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/estimates',
    {
      schema: {
        operationId: 'createEstimate',
        tags: ['Estimates'],
        summary: 'Estimate the resources of a Flink job',
        description:
          'Sizes a job described either by the quick `workload` form or by a detailed `pipeline` DAG: parallelism, CPU, slots, TaskManagers, Flink-exact memory, state, checkpoints, network and cost, with warnings and an explanation of each number. Nothing is saved; POST the same spec to /api/v1/estimations to keep it.',
        querystring: EstimateQuerySchema,
        body: JobSpecSchema,
        response: {
          200: EstimateSchema.describe('The resource plan for the spec'),
          ...bodyErrors,
          ...commonErrors,
        },
      },
    },
    async (request, reply) => {
      const model =
        request.query.model === 'calibrated' ? app.calibration.learned(ownerOf(request)).model : undefined;
      // The engine's output is the Estimate schema (tests hold it to it).
      return sendJson(reply, app.estimator.estimate(request.body, model));
    },
  );
};

export default estimates;
