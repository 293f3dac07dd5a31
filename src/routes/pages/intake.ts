import type { FastifyPluginAsync } from 'fastify';
import { defaultFormValues, formValuesFromSpec } from '../../forms/estimate.js';
import { intakePlan, intakeSql } from '../../intake/index.js';
import { maskPlanText, maskSqlSecrets, redactJson } from '../../intake/secrets.js';
import type { IntakeSyntaxError } from '../../intake/types.js';
import { isExplainOutput } from '../../schemas/intake.js';
import { pipelineDiagram } from '../../web/charts/pipeline.js';
import { fieldText } from '../../web/fields.js';
import { intakeView, parseErrorsView, readPasted } from '../../web/intake.js';
import type { SourceText } from '../../web/links.js';
import { type IntakeTab, originFromBody, renderForm } from './estimate-form.js';

/** Longest text the form field is read to: past the intake limit, so the limit is reported, not cut. */
const READ_CHARS = 200_000;

/**
 * The "From SQL or a plan" tab of /estimate: the pasted script or plan goes through intake (the
 * same analysis as POST /api/v1/intake) and the page comes back with the pipeline editor filled
 * with the draft, its assumed values beside their nodes — or the parse error at its line. With
 * `Accept: application/json` (public/js/intake.js) the same outcome comes back as data plus the
 * server-rendered summary, so the rules that place questions and errors live here only.
 */
const intakePage: FastifyPluginAsync = async (app) => {
  app.post(
    '/estimate/intake',
    { schema: { hide: true }, preHandler: app.csrfProtection },
    async (request, reply) => {
      const text = fieldText(request.body, 'script', READ_CHARS) ?? '';
      const wantsJson = (request.headers.accept ?? '').includes('application/json');
      const pasted = readPasted(text);
      // What the page shows back: never a credential. Each of its characters becomes "*", so the
      // parse errors' lines and columns still point into the text as shown.
      const script =
        'plan' in pasted
          ? JSON.stringify(redactJson(pasted.plan), null, 2)
          : isExplainOutput(text)
            ? maskPlanText(text, true)
            : maskSqlSecrets(text, true);
      // Reading a script while editing a saved estimation keeps editing that one.
      const origin = originFromBody(request.body);
      const refuse = async (tab: IntakeTab) => {
        if (!wantsJson) {
          return renderForm(
            request,
            reply,
            { values: defaultFormValues(), intake: tab, origin },
            [{ field: 'script', path: 'script', message: tab.message ?? firstError(tab) }],
            422,
          );
        }
        const errors = await reply.viewAsync('partials/intake-errors.njk', { intake: tab });
        return reply.code(200).type('application/json; charset=utf-8').send({ ok: false, errors });
      };
      if ('error' in pasted) return refuse({ script, message: pasted.error });
      const outcome = 'sql' in pasted ? await intakeSql(pasted.sql, app.sqlParser) : intakePlan(pasted.plan);
      if (!outcome.ok) {
        const syntax = (outcome.problem.errors ?? []).filter(
          (e): e is IntakeSyntaxError =>
            e.line !== undefined && e.column !== undefined && e.construct !== undefined,
        );
        return syntax.length > 0
          ? refuse({ script, parseErrors: parseErrorsView(syntax, script) })
          : refuse({ script, message: outcome.problem.errors?.[0]?.message ?? outcome.problem.detail });
      }
      const { spec } = outcome.answer;
      const values = formValuesFromSpec(spec);
      const view = intakeView(outcome.answer, spec.pipeline ?? {});
      // What a save keeps: secrets as "***", not as many stars as they had characters.
      const source: SourceText | undefined =
        'plan' in pasted
          ? { kind: 'plan', text: script }
          : isExplainOutput(text)
            ? { kind: 'plan', text: maskPlanText(text) }
            : outcome.redactedSql
              ? { kind: 'sql', text: outcome.redactedSql }
              : undefined;
      if (!wantsJson) {
        return renderForm(request, reply, {
          values,
          origin,
          intake: { script, view },
          source,
          diagram: pipelineDiagram(app.estimator.estimate(spec)),
        });
      }
      const summary = await reply.viewAsync('partials/intake-summary.njk', { intake: { view } });
      return reply
        .code(200)
        .type('application/json; charset=utf-8')
        .send({ ok: true, spec, values, source: source ?? null, view, summary });
    },
  );
};

const firstError = (tab: IntakeTab) => {
  const e = tab.parseErrors?.[0];
  return e
    ? `The script does not parse at line ${e.line}, column ${e.column} (${e.construct}): ${e.message}`
    : 'The text could not be read';
};

export default intakePage;
