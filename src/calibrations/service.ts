import {
  type CalibrationDeps,
  type CalibrationResult,
  calibrationResult,
  observe,
} from '../calibration/index.js';
import type { Observation } from '../calibration/observation.js';
import type { CalibrationRequest } from '../calibration/request.js';
import { SourceError } from '../calibration/safety.js';
import { evaluatedAtMs, type PriorEvaluation, priorEvaluation } from '../calibration/scale-down.js';
import { unknownTargetLoadVertices } from '../calibration/spec.js';
import type { Model } from '../estimator/index.js';
import type { JobSpec } from '../jobspec/index.js';
import { type Problem, problem } from '../schemas/problem.js';
import type { CalibrationStore } from '../store/calibrations.js';

/**
 * What a calibration run needs from the app: the source settings and learned model
 * (plugins/app/calibration.ts), the calibration store, the saved estimations it may link to and
 * the model in force. Both the API route and the calibrate page run calibrations through here.
 */
export interface CalibrationRunDeps {
  calibration: CalibrationDeps & { learned: (owner: string | null) => { model: Model } };
  calibrations: Pick<CalibrationStore, 'ofJob' | 'create'>;
  estimations: { get: (id: string) => { spec: JobSpec } | undefined };
  estimator: { model: Model };
}

export type StoredCalibrationResult = CalibrationResult & {
  id: string;
  createdAt: string;
  estimationId: string | null;
};

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
function userSpec(linked: { spec: JobSpec } | undefined, body: CalibrationRequest) {
  if (body.spec) return { spec: body.spec, from: 'spec' as const };
  return linked?.spec.pipeline ? { spec: linked.spec, from: 'estimation' as const } : undefined;
}

/** Reads, evaluates and stores one calibration; a source or graph problem comes back as a Problem. */
export async function runCalibration(
  deps: CalibrationRunDeps,
  owner: string | null,
  body: CalibrationRequest,
): Promise<{ stored: StoredCalibrationResult } | { problem: Problem }> {
  const linked = body.estimationId === undefined ? undefined : deps.estimations.get(body.estimationId);
  if (body.estimationId !== undefined && !linked)
    return {
      problem: problem(400, `There is no saved estimation with the id "${body.estimationId}" to link to.`, [
        { path: 'estimationId', message: 'No saved estimation has this id' },
      ]),
    };
  let observation: Observation;
  try {
    observation = await observe(body, deps.calibration);
  } catch (error) {
    if (error instanceof SourceError) return { problem: sourceProblem(error) };
    throw error;
  }
  const unknown = unknownTargetLoadVertices(observation, body.targetLoad);
  if (unknown.length > 0) return { problem: problem(400, unknown.map((e) => e.message).join('; '), unknown) };
  const model = body.model === 'calibrated' ? deps.calibration.learned(owner).model : deps.estimator.model;
  let result: CalibrationResult;
  try {
    // Earlier calibrations of the job are the autoscaler's earlier evaluations (delayed scale-downs).
    const history = deps.calibrations
      .ofJob(observation.jobId, owner)
      .map((c) => priorEvaluation(c.createdAt, c.result))
      .filter((h): h is PriorEvaluation => h !== undefined);
    const nowMs = evaluatedAtMs(observation.observedAt, new Date().toISOString());
    result = calibrationResult(observation, body, model, { history, nowMs }, userSpec(linked, body));
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
  const saved = deps.calibrations.create({
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
