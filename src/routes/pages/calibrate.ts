import type { FastifyPluginAsync } from 'fastify';
import type { CalibrationResult } from '../../calibration/index.js';
import { CalibrationRequestSchema } from '../../calibration/request.js';
import { runCalibration } from '../../calibrations/service.js';
import { calibrationView } from '../../presenters/calibration.js';
import { estimateHref, resultsHref } from '../../web/links.js';
import { renderPage } from './render.js';

interface CalibrateForm {
  kind?: string;
  url?: string;
  jobId?: string;
  jobName?: string;
  restUrl?: string;
  windowSeconds?: string;
  snapshot?: string;
  utilization?: string;
  loadFactor?: string;
}

const FIELDS: Record<string, string> = {
  'source.url': 'url',
  'source.jobId': 'jobId',
  'source.jobName': 'jobName',
  'source.restUrl': 'restUrl',
  'source.plan': 'restUrl',
  'source.windowSeconds': 'windowSeconds',
  'source.snapshot': 'snapshot',
  'targets.utilization': 'utilization',
  'targetLoad.factor': 'loadFactor',
};

const text = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v.trim());
const num = (v: string | undefined) => (text(v) === undefined ? undefined : Number(v));

/** The form as a CalibrationRequest body (the API's schema validates it). */
function requestBody(form: CalibrateForm): { body?: unknown; error?: { field: string; message: string } } {
  const kind = form.kind ?? 'snapshot';
  let source: Record<string, unknown>;
  if (kind === 'snapshot') {
    try {
      source = { kind, snapshot: JSON.parse(form.snapshot ?? '') };
    } catch {
      return { error: { field: 'snapshot', message: 'Paste the JSON the snapshot script wrote' } };
    }
  } else {
    source = {
      kind,
      url: text(form.url) ?? '',
      jobId: text(form.jobId),
      windowSeconds: num(form.windowSeconds),
    };
    if (kind === 'prometheus')
      Object.assign(source, { jobName: text(form.jobName), restUrl: text(form.restUrl) });
  }
  const utilization = num(form.utilization);
  const factor = num(form.loadFactor);
  return {
    body: {
      source,
      ...(utilization !== undefined ? { targets: { utilization } } : {}),
      ...(factor !== undefined ? { targetLoad: { factor } } : {}),
    },
  };
}

/**
 * "Calibrate from a running job": a form (works without JavaScript) posting to the same
 * calibration the API runs, answered with a redirect to the stored calibration's page.
 */
const calibratePages: FastifyPluginAsync = async (app) => {
  const page = { schema: { hide: true } };
  const show = (form: CalibrateForm, errors: Array<{ field?: string; path?: string; message: string }>) => ({
    form: { kind: form.kind ?? 'snapshot', ...form },
    errors,
    fieldErrors: Object.fromEntries(errors.filter((e) => e.field).map((e) => [e.field, e.message])),
    urlSourcesOn: app.calibration.policy.allowedHosts.length > 0,
  });

  app.get('/calibrate', page, async (request, reply) =>
    renderPage(request, reply, 'calibrate', show({}, [])),
  );

  app.post<{ Body: CalibrateForm }>(
    '/calibrate',
    { ...page, preHandler: app.csrfProtection },
    async (request, reply) => {
      const form = request.body ?? {};
      const built = requestBody(form);
      if (built.error) return renderPage(request, reply, 'calibrate', show(form, [built.error]), 422);
      const parsed = CalibrationRequestSchema.safeParse(built.body);
      if (!parsed.success) {
        const errors = parsed.error.issues.map((i) => {
          const path = i.path.join('.');
          const field = FIELDS[path] ?? (path.startsWith('source.snapshot') ? 'snapshot' : undefined);
          return { ...(field ? { field } : { path }), message: i.message };
        });
        return renderPage(request, reply, 'calibrate', show(form, errors), 422);
      }
      const outcome = await runCalibration(app, request.user ?? null, parsed.data);
      if ('problem' in outcome) {
        const errors = (outcome.problem.errors ?? [{ path: '', message: outcome.problem.detail }]).map(
          (e) => ({
            ...(FIELDS[e.path] ? { field: FIELDS[e.path] } : { path: e.path }),
            message: e.message,
          }),
        );
        return renderPage(request, reply, 'calibrate', show(form, errors), 422);
      }
      return reply.redirect(`/calibrate/${outcome.stored.id}`, 303);
    },
  );

  app.get<{ Params: { id: string } }>('/calibrate/:id', page, async (request, reply) => {
    const saved = app.calibrations.get(request.params.id);
    if (!saved)
      return renderPage(
        request,
        reply,
        'error',
        { problem: { title: 'Not Found', status: 404, detail: 'There is no calibration with this id.' } },
        404,
      );
    const result = saved.result as CalibrationResult;
    const calibration = calibrationView({ ...result, id: saved.id });
    return renderPage(request, reply, 'calibration', {
      calibration,
      apiHref: `/api/v1/calibrations/${saved.id}`,
      // The calibrated spec's own plan, with its exports, and the form to adjust it before saving.
      resultsHref: resultsHref(result.spec),
      estimateHref: estimateHref(result.spec),
    });
  });
};

export default calibratePages;
