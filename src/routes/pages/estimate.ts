import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import {
  decodeSpec,
  defaultFormValues,
  type EstimateFormValues,
  encodeSpec,
  errorsFromIssues,
  formValuesFromSpec,
  readFormValues,
  SharedSpecError,
  specInputFromForm,
} from '../../forms/estimate.js';
import { PRESETS, presetById } from '../../forms/presets.js';
import { type JobSpec, JobSpecSchema } from '../../jobspec/index.js';
import { sendProblem } from '../../plugins/errors.js';
import { buildResultsView } from '../../presenters/results.js';
import { type Problem, problem } from '../../schemas/problem.js';
import { cachedPage, renderPage } from './render.js';

const LABELS: Record<string, string> = {
  sources: 'Sources',
  operators: 'Operators',
  sinks: 'Sinks',
  recordsPerSecond: 'Records per second',
  avgRecordBytes: 'Average record size',
  peakFactor: 'Peak factor',
  statefulOperators: 'Stateful operators',
  distinctKeys: 'Distinct keys',
  stateBytesPerKey: 'State per key',
  complexity: 'Complexity',
  pipelineJson: 'Pipeline (JSON)',
  flinkVersion: 'Flink version',
  stateBackend: 'State backend',
  checkpointIntervalSeconds: 'Checkpoint interval',
  incrementalCheckpoints: 'Incremental checkpoints',
  taskManagerCpu: 'CPU per TaskManager',
  taskManagerMemory: 'Memory per TaskManager',
  slotsPerTaskManager: 'Slots per TaskManager',
  maxParallelism: 'Max parallelism',
  utilization: 'Target utilization',
  catchUpMinutes: 'Catch-up time',
  restartSeconds: 'Restart time',
};

type FormError = { field: string; path: string; message: string };

function renderForm(
  request: FastifyRequest,
  reply: FastifyReply,
  values: EstimateFormValues,
  errors: FormError[] = [],
  status = 200,
) {
  const fieldErrors: Record<string, string> = {};
  for (const e of errors) {
    const text =
      e.field === 'pipelineJson' && e.path && e.path !== 'pipeline' ? `${e.path}: ${e.message}` : e.message;
    fieldErrors[e.field] = fieldErrors[e.field] ? `${fieldErrors[e.field]} ${text}` : text;
  }
  return renderPage(
    request,
    reply,
    'estimate',
    {
      title: 'Estimate a Flink job',
      v: values,
      errors: errors.map((e) => ({
        field: e.field,
        label: LABELS[e.field] ?? e.field,
        message: e.message,
        path: e.path,
      })),
      fieldErrors,
      presets: PRESETS.map((p) => ({ id: p.id, label: p.label, description: p.description })),
    },
    status,
  );
}

/** The spec a GET /estimate should start from: a preset, a spec to edit, or the defaults. */
function initialValues(query: { preset?: string; spec?: string }): EstimateFormValues {
  const preset = presetById(query.preset);
  if (preset) return formValuesFromSpec(preset.spec);
  if (typeof query.spec === 'string' && query.spec !== '') {
    try {
      const raw: unknown = query.spec.startsWith('v1.') ? decodeSpec(query.spec) : JSON.parse(query.spec);
      if (raw !== null && typeof raw === 'object') return formValuesFromSpec(raw as Record<string, unknown>);
    } catch {
      // An unreadable spec link falls back to the defaults rather than failing the form.
    }
  }
  return defaultFormValues();
}

export const resultsHref = (specInput: unknown) =>
  `/results?spec=${encodeURIComponent(encodeSpec(specInput))}`;

/** The shared results link's spec, validated, or the problem to answer instead. */
export function specFromLink(encoded: unknown): { spec: JobSpec; encoded: string } | { problem: Problem } {
  if (typeof encoded !== 'string' || encoded === '') {
    return {
      problem: problem(400, 'This results link has no estimate in it. Start one from the estimate form.'),
    };
  }
  try {
    const parsed = JobSpecSchema.safeParse(decodeSpec(encoded));
    if (parsed.success) return { spec: parsed.data, encoded };
    return {
      problem: problem(
        400,
        'The estimate in this link is not a valid job description.',
        parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
      ),
    };
  } catch (error) {
    if (!(error instanceof SharedSpecError)) throw error;
    return { problem: problem(400, error.message) };
  }
}

/** The estimate form and the shareable results page. */
const estimatePages: FastifyPluginAsync = async (app) => {
  app.get<{ Querystring: { preset?: string; spec?: string } }>(
    '/estimate',
    { schema: { hide: true } },
    async (request, reply) => renderForm(request, reply, initialValues(request.query)),
  );

  app.post(
    '/estimate',
    { schema: { hide: true }, preHandler: app.csrfProtection },
    async (request, reply) => {
      const values = readFormValues(request.body);
      const parsed = specInputFromForm(values);
      if (!parsed.input) return renderForm(request, reply, values, parsed.errors, 422);
      const result = JobSpecSchema.safeParse(parsed.input);
      if (!result.success) {
        return renderForm(
          request,
          reply,
          values,
          errorsFromIssues(result.error.issues, values.mode === 'pipeline' ? 'pipeline' : 'quick'),
          422,
        );
      }
      return reply.redirect(resultsHref(parsed.input), 303);
    },
  );

  app.get<{ Querystring: { spec?: string } }>(
    '/results',
    { schema: { hide: true } },
    async (request, reply) => {
      const cacheKey = `results\u0000${request.query.spec ?? ''}`;
      const cached = cachedPage(request, reply, cacheKey);
      if (cached !== undefined) return cached;
      const link = specFromLink(request.query.spec);
      if ('problem' in link) return sendProblem(request, reply, link.problem);
      const estimate = app.estimator.estimate(link.spec);
      const spec = encodeURIComponent(link.encoded);
      const view = {
        title: 'Estimate',
        r: buildResultsView(estimate, (format) => `/results/export/${format}?spec=${spec}`),
        specJson: JSON.stringify(link.spec),
        editHref: `/estimate?spec=${spec}`,
        shareHref: `/results?spec=${spec}`,
        flinkVersion: estimate.flinkVersion,
        modelVersion: estimate.modelVersion,
      };
      return renderPage(request, reply, 'results', view, 200, { cacheKey });
    },
  );
};

export default estimatePages;
