import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { workloadToPipeline } from '../../estimator/normalize.js';
import {
  defaultFormValues,
  type EstimateFormValues,
  type FormError,
  formValuesFromSpec,
  readFormValues,
  readSpec,
} from '../../forms/estimate.js';
import { presetById } from '../../forms/presets.js';
import { type JobSpec, JobSpecSchema } from '../../jobspec/index.js';
import { sendProblem } from '../../plugins/app/errors.js';
import type { Estimate } from '../../schemas/estimate.js';
import { type PipelineDiagram, pipelineDiagram } from '../../web/charts/pipeline.js';
import { fieldText } from '../../web/fields.js';
import { intakeViewFromField } from '../../web/intake.js';
import {
  decodeSpec,
  EncodedSpec,
  encodeSpec,
  estimateHref,
  linkExports,
  originFromQuery,
  resultsHref,
  type SavedOrigin,
  type SourceText,
  sourceFitsLink,
  sourceFromBody,
  sourceFromLink,
  sourceOfRecord,
  sourceTitle,
  specFromLink,
} from '../../web/links.js';
import { buildPlanView } from '../../web/plan.js';
import { originFromBody, renderForm } from './estimate-form.js';
import { renderPage } from './render.js';

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

/** The pipeline as drawn beside the editor, when the form holds a valid one. */
function diagramOf(
  values: EstimateFormValues,
  run: (spec: JobSpec) => Estimate,
): PipelineDiagram | undefined {
  if (values.mode !== 'pipeline') return undefined;
  const read = readSpec(values);
  return read.ok ? pipelineDiagram(run(read.spec)) : undefined;
}

/** The estimate form and the shareable results page. */
const estimatePages: FastifyPluginAsync = async (app) => {
  app.get<{ Querystring: Record<string, string | undefined> }>(
    '/estimate',
    { schema: { hide: true } },
    async (request, reply) => {
      const values = initialValues(request.query);
      const origin = originFromQuery(request.query);
      // Editing a saved estimation whose script was too long for the link: the stored copy.
      const stored = origin && !sourceFromLink(request.query) ? app.estimations.get(origin.id) : undefined;
      const source = sourceFromLink(request.query) ?? (stored ? sourceOfRecord(stored) : undefined);
      return renderForm(request, reply, {
        values,
        origin,
        preset: request.query.preset,
        diagram: diagramOf(values, (spec) => app.estimator.estimate(spec)),
        intake: request.query.tab === 'intake' ? { script: source?.text ?? '' } : undefined,
        source,
      });
    },
  );

  app.post(
    '/estimate',
    { schema: { hide: true }, preHandler: app.csrfProtection },
    async (request, reply) => {
      const values = readFormValues(request.body);
      const origin = originFromBody(request.body);
      const source = sourceFromBody(request.body);
      // A refused draft keeps its questions and notes beside what the user typed.
      const view = intakeViewFromField(fieldText(request.body, 'intake'));
      const form = {
        values,
        origin,
        source,
        intake: view ? { script: source?.text ?? '', view } : undefined,
      };
      if (fieldText(request.body, 'intent') === 'pipeline-draft') return draftPipeline(request, reply, form);
      const read = readSpec(values);
      if (!read.ok) return renderForm(request, reply, form, read.errors, 422);
      // A source too long for a link is shown (and saved) from this answer instead of a redirect.
      if (!sourceFitsLink(source)) {
        return renderResults(request, reply, read.spec, encodeSpec(read.input), origin, source);
      }
      return reply.redirect(resultsHref(read.input, origin, source), 303);
    },
  );

  // The pipeline diagram beside the editor, redrawn by the live preview (public/js/build): a spec
  // as JSON in, the figure the page itself renders out. The estimate's numbers come from the API;
  // the drawing stays here, in the template the no-JavaScript page uses. Read-only.
  app.post('/estimate/diagram', { schema: { hide: true } }, async (request, reply) => {
    const result = JobSpecSchema.safeParse(request.body);
    if (!result.success) return reply.code(422).type('text/html; charset=utf-8').send('');
    const diagram = pipelineDiagram(app.estimator.estimate(result.data));
    const figure = await reply.viewAsync('partials/pipeline-figure.njk', { diagram });
    return reply.code(200).type('text/html; charset=utf-8').send(figure);
  });

  /**
   * The quick form's values as a pipeline, for the switch to the pipeline form: the same DAG the
   * estimator builds from a workload (docs/model.md), so the two forms describe one job.
   */
  function quickToPipeline(values: EstimateFormValues): { pipeline: unknown } | { errors: FormError[] } {
    const read = readSpec({ ...values, mode: 'quick' });
    if (!read.ok) return { errors: read.errors };
    if (read.spec.workload === undefined) return { errors: [] };
    return { pipeline: workloadToPipeline(read.spec.workload, app.estimator.model) };
  }

  // With JavaScript, the mode switch asks for the draft here and fills the editor.
  app.post('/estimate/pipeline-draft', { schema: { hide: true } }, async (request, reply) => {
    const draft = quickToPipeline(readFormValues(request.body));
    return reply.code(200).send('pipeline' in draft ? { ok: true, pipeline: draft.pipeline } : { ok: false });
  });

  /**
   * Without JavaScript, "Edit as a pipeline" posts the whole form here (`intent=pipeline-draft`):
   * it comes back in pipeline mode holding the quick form's job as a DAG, to edit and estimate.
   */
  function draftPipeline(
    request: FastifyRequest,
    reply: FastifyReply,
    form: Parameters<typeof renderForm>[2],
  ) {
    const draft = quickToPipeline(form.values);
    if (!('pipeline' in draft)) {
      return renderForm(
        request,
        reply,
        { ...form, values: { ...form.values, mode: 'quick' } },
        draft.errors,
        422,
      );
    }
    const values = {
      ...form.values,
      mode: 'pipeline' as const,
      pipelineJson: JSON.stringify(draft.pipeline, null, 2),
    };
    return renderForm(request, reply, {
      ...form,
      values,
      diagram: diagramOf(values, (spec) => app.estimator.estimate(spec)),
      drafted: true,
    });
  }

  app.get<{ Querystring: Record<string, string | undefined> }>(
    '/results',
    { schema: { hide: true } },
    async (request, reply) => {
      const link = specFromLink(request.query.spec);
      if ('problem' in link) return sendProblem(request, reply, link.problem);
      const origin = originFromQuery(request.query);
      return renderResults(request, reply, link.spec, link.encoded, origin, sourceFromLink(request.query));
    },
  );

  /** The results page of a spec; `encoded` is the spec as its link carries it. */
  function renderResults(
    request: FastifyRequest,
    reply: FastifyReply,
    spec: JobSpec,
    encoded: string,
    origin: SavedOrigin | undefined,
    source: SourceText | undefined,
  ) {
    const estimate = app.estimator.estimate(spec);
    // Its links carry the validated spec (what JobSpecSchema made of the link), as one encoding.
    const links = new EncodedSpec(spec);
    return renderPage(request, reply, 'results', {
      title: 'Your Flink plan',
      plan: buildPlanView({
        spec,
        estimate,
        exports: linkExports(links),
        planAt: app.estimator.planAtLoad,
      }),
      specJson: JSON.stringify(spec),
      specParam: encoded,
      editHref: estimateHref(links, origin, source),
      shareHref: resultsHref(links, undefined, source),
      origin,
      source,
      sourceTitle: source ? sourceTitle(source) : undefined,
    });
  }
};

export default estimatePages;
