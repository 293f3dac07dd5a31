import type { FastifyPluginAsyncZod } from '@fastify/type-provider-zod';
import { z } from 'zod';
import type { CalibrationResult } from '../../../calibration/index.js';
import { CalibrationRequestSchema } from '../../../calibration/request.js';
import { CalibrationSchema } from '../../../calibration/response.js';
import { runCalibration } from '../../../calibrations/service.js';
import { ProblemSchema, problem } from '../../../schemas/problem.js';
import { ownerOf } from '../owner.js';
import { bodyErrors, commonErrors, LocationHeader, NotFound, replyProblem } from '../responses.js';
import { sendJson } from '../send-json.js';

export const calibrationPath = (id: string) => `/api/v1/calibrations/${id}`;

const Forbidden = ProblemSchema.meta({
  description:
    'The source URL’s host is not listed in CALIBRATION_ALLOWED_HOSTS (empty: URL sources are off).',
});
const Unprocessable = ProblemSchema.meta({
  description:
    'The source could not be read: unreachable, too slow, a redirect (never followed), too large, not Flink’s or Prometheus’s JSON, or a job graph that makes no JobSpec.',
});

const CalibrationIdParams = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .describe('Calibration id, from the Location header of POST /api/v1/calibrations'),
});

/**
 * POST /api/v1/calibrations: read a running job (JobManager REST, Prometheus or a snapshot), apply
 * the autoscaler's rules, store the observation and answer with the calibrated plan.
 * GET /api/v1/calibrations/{id}: a stored calibration, as it was answered.
 */
const calibrations: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/calibrations',
    {
      schema: {
        operationId: 'createCalibration',
        tags: ['Calibrations'],
        summary: 'Calibrate from a running job',
        description:
          'Reads a running Flink job — from its JobManager’s REST API (`flink-rest`), from a Prometheus that scrapes Flink’s PrometheusReporter (`prometheus`, topology from `restUrl` or a pasted `plan`), or from an uploaded `snapshot` of the REST responses — and answers, per job vertex, what it processes, how busy it is and what the Flink Kubernetes Operator autoscaler’s rules recommend, plus a calibrated JobSpec and its estimate. URLs are fetched only from hosts in CALIBRATION_ALLOWED_HOSTS, redirects never followed; tokens are sent to that host only and never stored. The observation is stored, immutable, and feeds the learned model (GET /api/v1/model?calibrated=true).',
        body: CalibrationRequestSchema,
        response: {
          201: CalibrationSchema.meta({
            description: 'The calibration, stored',
            headers: { Location: LocationHeader },
          }),
          ...bodyErrors,
          403: Forbidden,
          422: Unprocessable,
          ...commonErrors,
        },
      },
    },
    async (request, reply) => {
      const outcome = await runCalibration(app, ownerOf(request), request.body);
      if ('problem' in outcome) return replyProblem(reply, outcome.problem);
      reply.code(201).header('location', calibrationPath(outcome.stored.id));
      return sendJson(reply, outcome.stored);
    },
  );

  app.get(
    '/calibrations/:id',
    {
      schema: {
        operationId: 'getCalibration',
        tags: ['Calibrations'],
        summary: 'A stored calibration',
        description: 'The calibration as it was answered when made; observations never change.',
        params: CalibrationIdParams,
        response: {
          200: CalibrationSchema.meta({ description: 'The stored calibration' }),
          404: NotFound,
          ...commonErrors,
        },
      },
    },
    async (request, reply) => {
      const saved = app.calibrations.get(request.params.id);
      if (!saved) return replyProblem(reply, problem(404, 'There is no calibration with this id.'));
      return sendJson(reply, {
        id: saved.id,
        createdAt: saved.createdAt,
        estimationId: saved.estimationId,
        ...(saved.result as CalibrationResult),
      });
    },
  );
};

export default calibrations;
