/**
 * The live preview on /estimate, bundled for the browser (`npm run build:browser`, into
 * public/js/build/). It reads the form with the page's own rules (forms/estimate.ts: 50k, 70%,
 * 8g, blanks taking their defaults), shows a field's problem beside it in the words a submit
 * would, asks POST /api/v1/estimates for the estimate and says it in the headline's words
 * (web/headline.ts): the same modules the server runs, so no rule is written twice.
 *
 * Debounced (400 ms after the last edit) and a newer edit aborts the request still under way,
 * so a late answer for an old value never replaces a newer one. A 429 pauses it until the
 * answer's Retry-After has passed. Without JavaScript none of this runs and the form submits.
 */
// First: it must run before the schemas below are built (see the module).
import './zod-jitless.js';
import {
  errorText,
  type FormError,
  fieldMessages,
  pipelineErrors,
  QUICK_FIELDS,
  readFormValues,
  readSpec,
  SHARED_FIELDS,
} from '../forms/estimate.js';
import type { Estimate } from '../schemas/estimate.js';
import { headlineParts } from '../web/headline.js';
import { pipelineFields } from './pipeline-fields.js';

const DEBOUNCE_MS = 400;
/** The fields the spec is read from: the ones whose messages this script keeps up to date. */
const SPEC_FIELDS: readonly string[] = [...QUICK_FIELDS, ...SHARED_FIELDS, 'pipelineJson'];

/** The field's message as views/macros/form.njk writes it after a refused submit. */
function showFieldErrors(form: HTMLFormElement, errors: readonly FormError[]): void {
  const messages = fieldMessages(errors);
  for (const id of SPEC_FIELDS) {
    const control = form.querySelector<HTMLElement>(`#${id}`);
    const wrap = control?.closest('.field');
    if (!control || !wrap) continue;
    const message = messages[id];
    const old = wrap.querySelector<HTMLElement>(`#${id}-error`);
    if (old && old.dataset.text === message) continue;
    old?.remove();
    const hint = wrap.querySelector(`#${id}-hint`) ? `${id}-hint` : '';
    wrap.classList.toggle('field-error', message !== undefined);
    if (message === undefined) {
      control.removeAttribute('aria-invalid');
      if (hint) control.setAttribute('aria-describedby', hint);
      else control.removeAttribute('aria-describedby');
      continue;
    }
    const note = Object.assign(document.createElement('p'), {
      id: `${id}-error`,
      className: 'error-message',
    });
    note.dataset.text = message;
    note.append(
      Object.assign(document.createElement('span'), { className: 'visually-hidden', textContent: 'Error:' }),
      ` ${message}`,
    );
    (wrap.querySelector(`#${id}-hint`) ?? wrap.querySelector('label'))?.after(note);
    control.setAttribute('aria-invalid', 'true');
    control.setAttribute('aria-describedby', hint ? `${hint} ${id}-error` : `${id}-error`);
  }
}

/** "Retry-After: 42" in milliseconds; a minute (the limit's window) when it is missing. */
function retryAfterMs(res: Response): number {
  const seconds = Number(res.headers.get('retry-after'));
  return (Number.isFinite(seconds) && seconds > 0 ? seconds : 60) * 1000;
}

function livePreview(form: HTMLFormElement): void {
  const box = form.querySelector<HTMLElement>('[data-live-estimate]');
  if (!box) return;
  const figure = form.querySelector<HTMLElement>('[data-editor-figure]');
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inflight: AbortController | undefined;
  /** Until when the API asked us to wait (a 429's Retry-After), as Date.now() milliseconds. */
  let pausedUntil = 0;

  const say = (state: string, text: string) => {
    box.hidden = false;
    box.dataset.state = state;
    box.textContent = text;
  };

  const run = async () => {
    inflight?.abort();
    inflight = undefined;
    const values = readFormValues(Object.fromEntries(new FormData(form)));
    const read = readSpec(values);
    const errors = read.ok ? [] : read.errors;
    showFieldErrors(form, errors);
    form.dispatchEvent(
      new CustomEvent('pipeline-editor:errors', { detail: { errors: pipelineErrors(errors) } }),
    );
    if (!read.ok) {
      // Nothing is sent: the fields say what to fix, in the words a submit would show.
      const [first] = errors;
      const more = errors.length - 1;
      say(
        'paused',
        first
          ? `Live estimate paused: ${errorText(first)}${more > 0 ? ` (and ${more} more, shown beside their fields)` : ''}`
          : 'Live estimate paused: a field needs a fix.',
      );
      return;
    }
    // Paused by a 429: the fields are checked meanwhile, the API is asked once the wait is over.
    const wait = pausedUntil - Date.now();
    if (wait > 0) {
      schedule(wait);
      return;
    }
    const controller = new AbortController();
    inflight = controller;
    box.dataset.state = 'stale';
    try {
      const res = await fetch('/api/v1/estimates', {
        method: 'POST',
        body: JSON.stringify(read.input),
        signal: controller.signal,
        headers: { 'content-type': 'application/json', accept: 'application/json' },
      });
      if (res.status === 429) {
        const ms = retryAfterMs(res);
        pausedUntil = Date.now() + ms;
        say(
          'paused',
          `Live estimate paused: too many requests from this address; it resumes in ${Math.ceil(ms / 1000)} s (Estimate works meanwhile).`,
        );
        schedule(ms);
        return;
      }
      if (!res.ok) {
        say('unavailable', `Live estimate unavailable (the server answered ${res.status}); press Estimate.`);
        return;
      }
      const estimate = (await res.json()) as Estimate;
      if (figure && values.mode === 'pipeline') {
        const drawn = await fetch('/estimate/diagram', {
          method: 'POST',
          body: JSON.stringify(read.input),
          signal: controller.signal,
          headers: { 'content-type': 'application/json', accept: 'text/html' },
        });
        if (drawn.ok) figure.innerHTML = await drawn.text();
      }
      say('fresh', `Live estimate: ${headlineParts(estimate).join(' · ')}`);
    } catch (error) {
      if ((error as Error).name !== 'AbortError')
        say('unavailable', 'Live estimate unavailable; press Estimate.');
    } finally {
      if (inflight === controller) inflight = undefined;
    }
  };

  const schedule = (ms = DEBOUNCE_MS) => {
    clearTimeout(timer);
    timer = setTimeout(run, Math.max(ms, DEBOUNCE_MS));
  };
  form.addEventListener('input', () => schedule());
  form.addEventListener('change', () => schedule());
  form.addEventListener('pipeline-editor:changed', () => schedule());
  run();
}

const form = document.querySelector<HTMLFormElement>('form[data-estimate-form]');
if (form) livePreview(form);

// The pipeline editor (public/js/estimate.js, a plain script) reads each kind's fields and their
// forgiving formats from here, so the schema's list and the page forms' number rules stay in one place.
(window as Window & { pipelineFields?: typeof pipelineFields }).pipelineFields = pipelineFields;
document.dispatchEvent(new CustomEvent('pipeline-fields:ready'));
