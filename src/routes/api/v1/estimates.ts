import type { FastifyPluginAsyncZod } from '@fastify/type-provider-zod';
import { JobSpecSchema } from '../../../jobspec/index.js';
import { sendJson } from '../../../json-bytes.js';
import { type Estimate, EstimateSchema } from '../../../schemas/estimate.js';
import { bodyErrors, commonErrors } from '../responses.js';

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
        body: JobSpecSchema,
        response: {
          200: EstimateSchema.describe('The resource plan for the spec'),
          ...bodyErrors,
          ...commonErrors,
        },
      },
      // A body answered before — the same text, so the same valid spec — is neither parsed nor
      // validated again: the JSON parser hands its plan over (app.ts) and it is sent at once.
      config: { answeredBody: (text: string) => app.estimator.forBody(text) },
      preValidation: async (request, reply) => {
        // `answered` is what answeredBody above returned: a plan.
        const known = request.answered as Estimate | undefined;
        if (known !== undefined) return reply.send(sendJson(reply, known));
      },
    },
    async (request, reply) => {
      // The engine's output is the Estimate schema (tests hold it to it); a cached plan's JSON is
      // written once.
      return sendJson(reply, app.estimator.estimate(request.body, request.jsonText));
    },
  );
};

export default estimates;
