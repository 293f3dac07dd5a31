/**
 * The estimate form as a page, shared by the routes that show it (/estimate, and the intake
 * routes that fill it from SQL or a plan): not a route plugin itself, so neither imports the other.
 */

import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  type EstimateFormValues,
  FIELD_LABELS,
  type FormError,
  fieldMessages,
  pipelineErrors,
} from '../../forms/estimate.js';
import { PRESETS, presetById } from '../../forms/presets.js';
import type { PipelineDiagram } from '../../web/charts/pipeline.js';
import { fieldText } from '../../web/fields.js';
import type { IntakeView, ParseErrorView } from '../../web/intake.js';
import { intakeTabHref, originFromQuery, type SavedOrigin, type SourceText } from '../../web/links.js';
import { renderPage } from './render.js';

/** The "From SQL or a plan" tab: what was pasted, and the draft read from it or why none was. */
export interface IntakeTab {
  script: string;
  view?: IntakeView;
  message?: string;
  parseErrors?: ParseErrorView[];
}

export function renderForm(
  request: FastifyRequest,
  reply: FastifyReply,
  form: {
    values: EstimateFormValues;
    origin?: SavedOrigin | undefined;
    preset?: string | undefined;
    diagram?: PipelineDiagram | undefined;
    /** Shown on the "From SQL or a plan" tab (with the draft's questions, when there is one). */
    intake?: IntakeTab | undefined;
    /** The script or plan the form's spec was made from (credentials masked), carried to the results. */
    source?: SourceText | undefined;
    /** The pipeline was just drafted from the quick form's values (without JavaScript). */
    drafted?: boolean | undefined;
  },
  errors: FormError[] = [],
  status = 200,
) {
  const fieldErrors = fieldMessages(errors);
  const preset = presetById(form.preset);
  return renderPage(
    request,
    reply,
    'estimate',
    {
      title: form.origin ? `Edit ${form.origin.name}` : 'Estimate a Flink job',
      v: form.values,
      origin: form.origin,
      errors: errors.map((e) => ({
        field: e.field,
        label: FIELD_LABELS[e.field] ?? e.field,
        message: e.message,
        path: e.path,
      })),
      fieldErrors,
      presets: PRESETS.map((p) => ({
        id: p.id,
        label: p.label,
        description: p.description,
        current: p.id === preset?.id,
      })),
      preset: preset ? { label: preset.label, description: preset.description } : undefined,
      diagram: form.diagram,
      // The rows editor puts each of these next to the row's own field.
      pipelineErrors: JSON.stringify(pipelineErrors(errors)),
      intake: form.intake,
      // The draft's questions and notes ride with the form, so a refused Estimate shows them again.
      intakeJson: form.intake?.view ? JSON.stringify(form.intake.view) : '',
      source: form.source,
      intakeHref: intakeTabHref(form.origin, form.source),
      drafted: form.drafted,
    },
    status,
  );
}

/** The form's "editing a saved estimation" fields, with the name as the user typed it. */
export function originFromBody(body: unknown): SavedOrigin | undefined {
  return originFromQuery({
    from: fieldText(body, 'from'),
    version: fieldText(body, 'version'),
    name: fieldText(body, 'name'),
  });
}
