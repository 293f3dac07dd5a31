import type { FastifyPluginAsyncZod } from '@fastify/type-provider-zod';
import { z } from 'zod';
import { ModelSchema, PricingSchema } from '../../../estimator/index.js';
import { ownerOf } from '../owner.js';
import { commonErrors } from '../responses.js';
import { sendJson } from '../send-json.js';

const ModelQuerySchema = z.object({
  calibrated: z
    .enum(['true', 'false'])
    .optional()
    .describe(
      'true: the model fitted to past calibrations (yours, with authentication on; everyone’s without)',
    ),
  download: z
    .enum(['true', 'false'])
    .optional()
    .describe('true: only the coefficients, as an attachment to use as MODEL_FILE'),
});

const CalibrationFitSchema = z
  .object({
    observations: z.number().int().describe('Calibrations the fit used (those made with the model in force)'),
    kinds: z.array(
      z.object({
        kind: z.string().describe('Operator kind'),
        multiplier: z.number().describe('Fitted multiplier of the kind’s own CPU cost'),
        count: z.number().int().describe('Measured vertices that informed it'),
        spread: z.number().describe('Median absolute deviation of the log ratios, as a factor'),
      }),
    ),
    connectors: z.array(
      z.object({
        role: z.enum(['source', 'sink']),
        kind: z.string().describe('Connector kind (model.cpu.sources / model.cpu.sinks)'),
        microsPerRecord: z.number().describe('Fitted connector cost, core-µs per record'),
        modeledMicrosPerRecord: z.number().describe('The model in force’s'),
        count: z.number().int().describe('Measured vertices that informed it'),
        spreadMicros: z.number().describe('Median absolute deviation of what they implied, µs per record'),
      }),
    ),
  })
  .describe('How the calibrated model was fitted (robust regression on measured ÷ modelled log ratios)');

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
    calibration: CalibrationFitSchema.optional(),
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
          'The coefficients every estimate is computed with (per-record CPU costs by operator kind, state overheads, network and checkpoint assumptions, each with its source) and the prices used for the cost estimate. With `calibrated=true`, the model fitted to stored calibrations instead (POST /api/v1/estimates?model=calibrated estimates with it); with `download=true`, the coefficients alone as a MODEL_FILE.',
        querystring: ModelQuerySchema,
        response: {
          200: ModelInForceSchema.describe('The coefficients, their version and the prices in force'),
          ...commonErrors,
        },
      },
    },
    async (request, reply) => {
      const learned =
        request.query.calibrated === 'true' ? app.calibration.learned(ownerOf(request)) : undefined;
      const chosen = learned?.model ?? app.estimator.model;
      if (request.query.download === 'true') {
        // A MODEL_FILE: the full coefficients (merged over the defaults when loaded, so complete is fine).
        reply.header(
          'content-disposition',
          `attachment; filename="model-${learned ? 'calibrated' : 'in-force'}.json"`,
        );
        // Sent as written (not through the response schema, which describes the default answer).
        return sendJson(reply, chosen);
      }
      return {
        modelVersion: chosen.version,
        model: chosen,
        pricing: app.estimator.pricing,
        ...(learned ? { calibration: learned.fit } : {}),
      };
    },
  );
};

export default model;
