import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { CalibrationResult } from '../../calibration/index.js';
import { InvalidCursorError, VERSION_CONFLICT } from '../../estimations/service.js';
import { type JobSpec, JobSpecSchema } from '../../jobspec/index.js';
import { sendProblem } from '../../plugins/app/errors.js';
import { calibrationView } from '../../presenters/calibration.js';
import { buildCompareView } from '../../presenters/compare.js';
import {
  buildSavedListView,
  estimateHref,
  isolate,
  listHref,
  MAX_COMPARE,
  MIN_COMPARE,
  parseListQuery,
  quoted,
  savedHeader,
  savedHref,
} from '../../presenters/saved.js';
import { fieldErrorsFromZod, type Problem, problem } from '../../schemas/problem.js';
import { EstimationNameSchema, type SavedEstimation } from '../../schemas/saved.js';
import { compareCharts } from '../../web/charts/compare.js';
import { fieldInteger, fieldText } from '../../web/fields.js';
import { savedSource, sourceFromBody, sourceOfRecord, sourceTitle } from '../../web/links.js';
import { buildPlanView } from '../../web/plan.js';
import { renderPage, setFlash } from './render.js';

type Params = { id: string };

const field = (body: unknown, name: string) => fieldText(body, name);

/** The version a form carried; absent or malformed means "don't check" (only our forms send it). */
const versionField = (body: unknown) => fieldInteger(body, 'version');

/** The spec a form carried as JSON text, validated; or the problem to answer instead. */
function specField(body: unknown): { spec: JobSpec } | { problem: Problem } {
  let json: unknown;
  try {
    json = JSON.parse(field(body, 'spec') ?? '');
  } catch {
    return {
      problem: problem(
        400,
        'The form did not carry a readable job description. Start again from the estimate form.',
      ),
    };
  }
  const spec = JobSpecSchema.safeParse(json);
  if (!spec.success) {
    return {
      problem: problem(
        400,
        'The job description in the form is not valid.',
        fieldErrorsFromZod(spec.error.issues, 'spec'),
      ),
    };
  }
  return { spec: spec.data };
}

/** Only a link back into the saved list may follow a failed comparison, never another site. */
function safeListHref(value: unknown): string {
  return typeof value === 'string' && /^\/saved(\?[^\s]*)?$/.test(value) ? value : '/saved';
}

const notFound = (request: FastifyRequest, reply: FastifyReply, id: string) =>
  sendProblem(
    request,
    reply,
    problem(404, `There is no saved estimation with the id ${quoted(id)}. It may have been deleted.`),
  );

const CONFLICT_TEXT =
  'Someone else changed this estimation since you opened the form; here is the current version. ' +
  'Check it, then try again.';

/**
 * The saved-estimation pages: the list (search, sort, keyset pages, compare picker), one saved
 * estimation, rename and delete with a confirmation step, duplicate-and-edit, and the comparison.
 * Every state change is a CSRF-checked POST answered with a redirect and a flash (Post/Redirect/Get);
 * rename and delete carry the record's version so a concurrent change is reported, not overwritten.
 */
const saved: FastifyPluginAsync = async (app) => {
  const page = { schema: { hide: true } };
  const post = { schema: { hide: true }, preHandler: app.csrfProtection };

  app.get('/saved', page, async (request, reply) => {
    const query = parseListQuery(request.query);
    let result: ReturnType<typeof app.estimations.listCounted>;
    let cursorReset = false;
    try {
      result = app.estimations.listCounted(query);
    } catch (error) {
      if (!(error instanceof InvalidCursorError)) throw error;
      // An old or edited page link: show the first page rather than an error.
      cursorReset = true;
      result = app.estimations.listCounted({ ...query, cursor: undefined });
    }
    const view = buildSavedListView({ query, ...result, cursorReset });
    return renderPage(request, reply, 'saved', { title: 'Saved estimations', v: view });
  });

  // Save from the results page: the form posts the name and the spec it was computed from.
  app.post('/saved', post, async (request, reply) => {
    const parsed = specField(request.body);
    if ('problem' in parsed) return sendProblem(request, reply, parsed.problem);
    const spec = { data: parsed.spec };
    const nameText = field(request.body, 'name') ?? '';
    const name = EstimationNameSchema.safeParse(nameText);
    if (!name.success) {
      const estimate = app.estimator.estimate(spec.data);
      return renderPage(
        request,
        reply,
        'saved-new',
        {
          title: 'Save this estimation',
          name: nameText,
          error: name.error.issues[0]?.message ?? 'Enter a name',
          specText: JSON.stringify(spec.data),
          source: sourceFromBody(request.body),
          editHref: estimateHref(spec.data, undefined, sourceFromBody(request.body)),
          estimate,
        },
        422,
      );
    }
    const created = app.estimations.create({
      name: name.data,
      spec: spec.data,
      owner: request.user,
      ...savedSource(sourceFromBody(request.body)),
    });
    setFlash(reply, { kind: 'success', text: `Saved ${quoted(created.name)}.` });
    return reply.redirect(savedHref(created.id), 303);
  });

  app.get('/saved/compare', page, async (request, reply) => {
    const query = (request.query ?? {}) as Record<string, unknown>;
    const raw = query.ids;
    const ids = [
      ...new Set((Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string')),
    ];
    const back = safeListHref(query.back);
    if (ids.length < MIN_COMPARE || ids.length > MAX_COMPARE) {
      setFlash(reply, {
        kind: 'error',
        text:
          ids.length < MIN_COMPARE
            ? `Select at least ${MIN_COMPARE} estimations to compare (you selected ${ids.length}).`
            : `Select at most ${MAX_COMPARE} estimations to compare (you selected ${ids.length}).`,
      });
      return reply.redirect(back, 303);
    }
    const items = app.estimations.getMany(ids);
    if (items.length !== ids.length) {
      const found = new Set(items.map((i) => i.id));
      const missing = ids.filter((id) => !found.has(id));
      return sendProblem(
        request,
        reply,
        problem(
          404,
          `There is no saved estimation with the id ${missing.map(quoted).join(', ')}. It may have been deleted.`,
        ),
      );
    }
    const onlyDifferences = query.only === 'diff';
    const view = buildCompareView(items, { onlyDifferences });
    const params = new URLSearchParams(ids.map((id): [string, string] => ['ids', id]));
    if (back !== '/saved') params.set('back', back);
    const allHref = `/saved/compare?${params.toString()}`;
    params.set('only', 'diff');
    const diffHref = `/saved/compare?${params.toString()}`;
    return renderPage(request, reply, 'compare', {
      title: 'Compare saved estimations',
      v: view,
      charts: compareCharts(items),
      allHref,
      diffHref,
      backHref: back,
    });
  });

  app.get<{ Params: Params }>('/saved/:id', page, async (request, reply) => {
    const record = app.estimations.get(request.params.id);
    if (!record) return notFound(request, reply, request.params.id);
    return renderSaved(request, reply, record);
  });

  // Update: the spec and name shown (a results page's, or this page's own) replace the saved
  // ones, re-estimated with the model in force, if nobody changed it since the version read.
  app.post<{ Params: Params }>('/saved/:id/update', post, async (request, reply) => {
    const { id } = request.params;
    const record = app.estimations.get(id);
    if (!record) return notFound(request, reply, id);
    const parsed = specField(request.body);
    if ('problem' in parsed) return sendProblem(request, reply, parsed.problem);
    const nameText = field(request.body, 'name') ?? record.name;
    const name = EstimationNameSchema.safeParse(nameText);
    if (!name.success) {
      return renderSaved(request, reply, record, {
        nameError: name.error.issues[0]?.message ?? 'Enter a name',
        name: nameText,
        status: 422,
      });
    }
    const result = app.estimations.update(
      id,
      // The script or plan the form carried replaces the stored one; none keeps it.
      { name: name.data, spec: parsed.spec, ...savedSource(sourceFromBody(request.body)) },
      versionField(request.body),
    );
    if (result === undefined) return notFound(request, reply, id);
    if (result === VERSION_CONFLICT) {
      const current = app.estimations.get(id);
      if (!current) return notFound(request, reply, id);
      return renderSaved(request, reply, current, { conflict: CONFLICT_TEXT, name: nameText, status: 409 });
    }
    setFlash(reply, { kind: 'success', text: `Updated ${quoted(result.name)}.` });
    return reply.redirect(savedHref(id), 303);
  });

  // Duplicate and edit: the estimate form prefilled with this spec; saving there makes a new one.
  app.get<{ Params: Params }>('/saved/:id/duplicate', page, async (request, reply) => {
    const record = app.estimations.get(request.params.id);
    if (!record) return notFound(request, reply, request.params.id);
    return reply.redirect(estimateHref(record.spec, undefined, sourceOfRecord(record)), 303);
  });

  app.get<{ Params: Params }>('/saved/:id/rename', page, async (request, reply) => {
    const record = app.estimations.get(request.params.id);
    if (!record) return notFound(request, reply, request.params.id);
    return renderRename(request, reply, record, { value: record.name });
  });

  app.post<{ Params: Params }>('/saved/:id/rename', post, async (request, reply) => {
    const { id } = request.params;
    const record = app.estimations.get(id);
    if (!record) return notFound(request, reply, id);
    const value = field(request.body, 'name') ?? '';
    const name = EstimationNameSchema.safeParse(value);
    if (!name.success) {
      return renderRename(
        request,
        reply,
        record,
        {
          value,
          error: name.error.issues[0]?.message ?? 'Enter a name',
          version: versionField(request.body),
        },
        422,
      );
    }
    const expected = versionField(request.body);
    if (name.data === record.name && (expected === undefined || expected === record.version)) {
      setFlash(reply, { kind: 'info', text: `The name is unchanged: ${quoted(record.name)}.` });
      return reply.redirect(savedHref(id), 303);
    }
    const result = app.estimations.update(id, { name: name.data }, expected);
    if (result === undefined) return notFound(request, reply, id);
    if (result === VERSION_CONFLICT) {
      const current = app.estimations.get(id);
      if (!current) return notFound(request, reply, id);
      return renderRename(request, reply, current, { value, conflict: true }, 409);
    }
    setFlash(reply, { kind: 'success', text: `Renamed to ${quoted(result.name)}.` });
    return reply.redirect(savedHref(id), 303);
  });

  app.get<{ Params: Params }>('/saved/:id/delete', page, async (request, reply) => {
    const record = app.estimations.get(request.params.id);
    if (!record) return notFound(request, reply, request.params.id);
    return renderDelete(request, reply, record, false);
  });

  app.post<{ Params: Params }>('/saved/:id/delete', post, async (request, reply) => {
    const { id } = request.params;
    const record = app.estimations.get(id);
    if (!record) return notFound(request, reply, id);
    const result = app.estimations.delete(id, versionField(request.body));
    if (result === false) return notFound(request, reply, id);
    if (result === VERSION_CONFLICT) {
      const current = app.estimations.get(id);
      if (!current) return notFound(request, reply, id);
      return renderDelete(request, reply, current, true, 409);
    }
    setFlash(reply, { kind: 'success', text: `Deleted ${quoted(record.name)}.` });
    return reply.redirect(listHref({}), 303);
  });

  function linkedCalibration(id: string) {
    const linked = app.calibrations.latestFor(id);
    return linked ? calibrationView({ ...(linked.result as CalibrationResult), id: linked.id }) : null;
  }

  function renderSaved(
    request: FastifyRequest,
    reply: FastifyReply,
    record: SavedEstimation,
    form: { conflict?: string; nameError?: string; name?: string; status?: number } = {},
  ) {
    const source = sourceOfRecord(record);
    return renderPage(
      request,
      reply,
      'saved-one',
      {
        title: isolate(record.name),
        h: savedHeader(record),
        plan: buildPlanView({
          spec: record.spec,
          estimate: record.estimate,
          exports: { kind: 'saved', id: record.id },
          planAt: app.estimator.planAtLoad,
        }),
        specJson: JSON.stringify(record.spec),
        source,
        sourceTitle: source ? sourceTitle(source) : undefined,
        conflict: form.conflict,
        nameError: form.nameError,
        nameValue: form.name ?? record.name,
        // The latest calibration linked to this estimation: modelled against measured.
        calibration: linkedCalibration(record.id),
      },
      form.status ?? 200,
    );
  }

  function renderRename(
    request: FastifyRequest,
    reply: FastifyReply,
    record: SavedEstimation,
    form: { value: string; error?: string; conflict?: boolean; version?: number | undefined },
    status = 200,
  ) {
    return renderPage(
      request,
      reply,
      'saved-rename',
      {
        title: `Rename ${quoted(record.name)}`,
        h: savedHeader(record),
        // A stale version the user submitted stays stale (422 re-render); after a conflict the form
        // carries the current version, so submitting again is a deliberate choice.
        version: form.version ?? record.version,
        value: form.value,
        error: form.error,
        conflict: form.conflict ? CONFLICT_TEXT : undefined,
      },
      status,
    );
  }

  function renderDelete(
    request: FastifyRequest,
    reply: FastifyReply,
    record: SavedEstimation,
    conflict: boolean,
    status = 200,
  ) {
    return renderPage(
      request,
      reply,
      'saved-delete',
      {
        title: `Delete ${quoted(record.name)}?`,
        h: savedHeader(record),
        summary: record.estimate,
        conflict: conflict ? CONFLICT_TEXT : undefined,
      },
      status,
    );
  }
};

export default saved;
