import type { FastifyPluginAsyncZod } from '@fastify/type-provider-zod';
import { z } from 'zod';
import { ModelSchema, PricingSchema } from '../../../estimator/index.js';
import { commonErrors } from '../responses.js';

export const ModelInForceSchema = z
  .object({
    modelVersion: z
      .string()
      .describe('Version of the coefficients; every Estimate carries it as `modelVersion`'),
    model: ModelSchema.describe(
      'The coefficients in force: the built-in model with any MODEL_FILE overrides applied',
    ),
    pricing: PricingSchema.describe(
      'Prices used for `cost` (PRICE_PER_CORE_HOUR, PRICE_PER_GIB_HOUR, PRICE_CURRENCY) and `cost.platforms` (PRICE_AWS_KPU_HOUR, PRICE_CONFLUENT_CFU_HOUR), each platform price with its source and date',
    ),
  })
  .meta({ id: 'ModelInForce', description: 'The cost model and prices this server estimates with' });

/** GET /api/v1/model: the coefficients and prices behind every estimate, so results can be audited. */
const model: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/model',
    {
      schema: {
        operationId: 'getModel',
        tags: ['Model'],
        summary: 'The cost model and prices in force',
        description:
          'The coefficients every estimate is computed with (per-record CPU costs by operator kind, state overheads, network and checkpoint assumptions, each with its source) and the prices used for the cost estimate.',
        response: {
          200: ModelInForceSchema.describe('The coefficients, their version and the prices in force'),
          ...commonErrors,
        },
      },
    },
    async () => ({
      modelVersion: app.estimator.model.version,
      model: app.estimator.model,
      pricing: app.estimator.pricing,
    }),
  );
};

export default model;
