import type { FastifyPluginAsyncZod } from '@fastify/type-provider-zod';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { type CalibrationResult, calibrationResult, observe } from '../../../calibration/index.js';
import type { Observation } from '../../../calibration/observation.js';
import { type CalibrationRequest, CalibrationRequestSchema } from '../../../calibration/request.js';
import { CalibrationSchema } from '../../../calibration/response.js';
import { SourceError } from '../../../calibration/safety.js';
import { evaluatedAtMs, type PriorEvaluation, priorEvaluation } from '../../../calibration/scale-down.js';
import { type Problem, ProblemSchema, problem } from '../../../schemas/problem.js';
import { ownerOf } from '../owner.js';
import { bodyErrors, commonErrors, LocationHeader, NotFound, replyProblem } from '../responses.js';
import { sendJson } from '../send-json.js';
import { isEstimationId } from './params.js';

export const calibrationPath = (id: string) => `/api/v1/calibrations/${id}`;

const Forbidden = ProblemSchema.meta({
  description:
    'The source URL’s host is not listed in CALIBRATION_ALLOWED_HOSTS (empty: URL sources are off).',
});
const Unprocessable = ProblemSchema.meta({
  description:
    'The source could not be read: unreachable, too slow, a redirect (never followed), too large, not Flink’s or Prometheus’s JSON, or a job graph that makes no JobSpec.',
});

/** A source problem as a problem document: 403 (not allowed), 400 (bad field) or 422 (upstream). */
export function sourceProblem(error: SourceError): Problem {
  const errors = [{ path: error.path, message: error.message }];
  if (error.reason === 'forbidden') return problem(403, error.message, errors, 'forbidden');
  if (error.reason === 'invalid') return problem(400, error.message, errors, 'validation');
  return problem(422, error.message, errors, 'unprocessable-content');
}

/**
 * The spec to map onto the job's vertices: the request's own, else the linked estimation's when it
 * is a pipeline (a quick-form estimation has no nodes to map; the job graph gives them).
 */
function userSpec(app: FastifyInstance, body: CalibrationRequest) {
  if (body.spec) return { spec: body.spec, from: 'spec' as const };
  const saved = body.estimationId === undefined ? undefined : app.estimations.get(body.estimationId);
  return saved?.spec.pipeline ? { spec: saved.spec, from: 'estimation' as const } : undefined;
}

/** Reads, evaluates and stores one calibration; a source or graph problem comes back as a Problem. */
export async function runCalibration(
  app: FastifyInstance,
  request: FastifyRequest,
  body: CalibrationRequest,
): Promise<
  | { stored: CalibrationResult & { id: string; createdAt: string; estimationId: string | null } }
  | { problem: Problem }
> {
  if (
    body.estimationId !== undefined &&
    !(isEstimationId(body.estimationId) && app.estimations.get(body.estimationId))
  )
    return {
      problem: problem(400, `There is no saved estimation with the id "${body.estimationId}" to link to.`, [
        { path: 'estimationId', message: 'No saved estimation has this id' },
      ]),
    };
  let observation: Observation;
  try {
    observation = await observe(body, app.calibration);
  } catch (error) {
    if (error instanceof SourceError) return { problem: sourceProblem(error) };
    throw error;
  }
  const owner = ownerOf(request);
  const model = body.model === 'calibrated' ? app.calibration.learned(owner).model : app.estimator.model;
  let result: CalibrationResult;
  try {
    // Earlier calibrations of the job are the autoscaler's earlier evaluations (delayed scale-downs).
    const history = app.calibrations
      .ofJob(observation.jobId, owner)
      .map((c) => priorEvaluation(c.createdAt, c.result))
      .filter((h): h is PriorEvaluation => h !== undefined);
    const nowMs = evaluatedAtMs(observation.observedAt, new Date().toISOString());
    result = calibrationResult(observation, body, model, { history, nowMs }, userSpec(app, body));
  } catch (error) {
    // A graph our pipeline form cannot express (e.g. a cycle) is the job's, not a server fault.
    const message = error instanceof Error ? error.message : String(error);
    return {
      problem: problem(
        422,
        `The job graph could not be calibrated: ${message}`,
        [{ path: 'source', message }],
        'unprocessable-content',
      ),
    };
  }
  const saved = app.calibrations.create({
    owner,
    sourceKind: observation.source.kind,
    sourceHost: observation.source.host ?? null,
    jobId: observation.jobId,
    jobName: observation.jobName,
    modelVersion: result.modelVersion,
    estimationId: body.estimationId ?? null,
    observation,
    result,
  });
  return {
    stored: { id: saved.id, createdAt: saved.createdAt, estimationId: saved.estimationId, ...result },
  };
}

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
      const outcome = await runCalibration(app, request, request.body);
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
