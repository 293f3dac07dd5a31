import type { FastifyPluginAsyncZod } from '@fastify/type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { estimate } from '../../../estimator/index.js';
import { JobSpecSchema } from '../../../jobspec/index.js';
import { sendJson } from '../../../json-bytes.js';
import { type Estimate, EstimateSchema } from '../../../schemas/estimate.js';
import { ownerOf } from '../owner.js';
import { bodyErrors, commonErrors } from '../responses.js';

const EstimateQuerySchema = z.object({
  model: z
    .enum(['default', 'calibrated'])
    .optional()
    .describe(
      'calibrated: estimate with the model fitted to stored calibrations (GET /api/v1/model?calibrated=true); the answer’s modelVersion names it. Default: the model in force',
    ),
});

const wantsCalibrated = (request: FastifyRequest) =>
  (request.query as { model?: string } | undefined)?.model === 'calibrated';

/** POST /api/v1/estimates: a JobSpec in, the resource plan out (CONTRACT §2). Nothing is stored. */
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
      // A body answered before — the same text, so the same valid spec — is neither parsed nor
      // validated again: the JSON parser hands its plan over (app.ts) and it is sent at once.
      // The cache holds plans of the model in force only.
      config: {
        answeredBody: (text: string, request: FastifyRequest) =>
          wantsCalibrated(request) ? undefined : app.estimator.forBody(text),
      },
      preValidation: async (request, reply) => {
        // `answered` is what answeredBody above returned: a plan.
        const known = request.answered as Estimate | undefined;
        if (known !== undefined) return reply.send(sendJson(reply, known));
      },
    },
    async (request, reply) => {
      if (request.query.model === 'calibrated') {
        const { model } = app.calibration.learned(ownerOf(request));
        return sendJson(reply, estimate(request.body, { model, pricing: app.estimator.pricing }));
      }
      // The engine's output is the Estimate schema (tests hold it to it); a cached plan's JSON is
      // written once.
      return sendJson(reply, app.estimator.estimate(request.body, request.jsonText));
    },
  );
};

export default estimates;
