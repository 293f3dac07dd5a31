/**
 * Window definitions, one schema per window type (a discriminated union on `type`), so a
 * consumer that has checked `type` gets exactly the fields that type has: a hopping window
 * always has `slideSeconds`, a session window always has `gapSeconds`.
 *
 * A field of another window type is rejected with a message naming the type, rather than as an
 * unknown key, because it is usually a mix-up between types rather than a typo.
 */
import { z } from 'zod';
import { WINDOW_TYPES, type WindowType } from './fields.js';

const YEAR_SECONDS = 366 * 24 * 3600;

/** The message for a number the window type requires, when it is absent. */
const missing = (why: string) => (issue: { input: unknown }) => (issue.input === undefined ? why : undefined);

const size = (why: string) =>
  z
    .number({ error: missing(why) })
    .positive('Window size must be greater than 0 seconds')
    .max(YEAR_SECONDS, 'Window size is at most a year')
    .describe('Window size in seconds (tumbling, hopping; the max size for cumulate)');

/** A field of another window type: present is an error naming this type. */
const notFor = (field: string, type: WindowType) =>
  z.never({ error: `${field} does not apply to ${type} windows` }).optional();

const timeFields = {
  time: z
    .enum(['event', 'processing'])
    .default('event')
    .describe('Event time (watermarks) or processing time. Default event'),
  allowedLatenessSeconds: z
    .number()
    .min(0)
    .max(30 * 24 * 3600)
    .optional()
    .describe('Event time only: how long a window is kept after it fires for late records'),
};

const latenessNeedsEventTime = (
  window: { time: 'event' | 'processing'; allowedLatenessSeconds?: number | undefined },
  ctx: z.RefinementCtx,
) => {
  if (window.allowedLatenessSeconds !== undefined && window.time === 'processing') {
    ctx.addIssue({
      code: 'custom',
      path: ['allowedLatenessSeconds'],
      message: 'Allowed lateness applies only to event-time windows',
    });
  }
};

export const TumblingWindowSchema = z
  .strictObject({
    type: z.literal('tumbling'),
    sizeSeconds: size('A tumbling window needs sizeSeconds'),
    slideSeconds: notFor('slideSeconds', 'tumbling'),
    stepSeconds: notFor('stepSeconds', 'tumbling'),
    gapSeconds: notFor('gapSeconds', 'tumbling'),
    ...timeFields,
  })
  .superRefine(latenessNeedsEventTime)
  .describe('Fixed-size, non-overlapping windows (TUMBLE)');

export const HoppingWindowSchema = z
  .strictObject({
    type: z.literal('hopping'),
    sizeSeconds: size('A hopping window needs sizeSeconds'),
    slideSeconds: z
      .number({ error: missing('A hopping window needs slideSeconds') })
      .positive('Slide must be greater than 0 seconds')
      .describe('Hopping windows: how often a new window starts, in seconds'),
    stepSeconds: notFor('stepSeconds', 'hopping'),
    gapSeconds: notFor('gapSeconds', 'hopping'),
    ...timeFields,
  })
  .superRefine((window, ctx) => {
    if (window.slideSeconds > window.sizeSeconds) {
      ctx.addIssue({
        code: 'custom',
        path: ['slideSeconds'],
        message: 'The slide must not exceed the window size (records between windows would be dropped)',
      });
    }
    latenessNeedsEventTime(window, ctx);
  })
  .describe('Fixed-size windows that start every slide and overlap (HOP)');

export const CumulateWindowSchema = z
  .strictObject({
    type: z.literal('cumulate'),
    sizeSeconds: size('A cumulate window needs sizeSeconds (its max size)'),
    stepSeconds: z
      .number({ error: missing('A cumulate window needs stepSeconds') })
      .positive('Step must be greater than 0 seconds')
      .describe('Cumulate windows: the step in seconds (the size must be a whole multiple of it)'),
    slideSeconds: notFor('slideSeconds', 'cumulate'),
    gapSeconds: notFor('gapSeconds', 'cumulate'),
    ...timeFields,
  })
  .superRefine((window, ctx) => {
    const steps = window.sizeSeconds / window.stepSeconds;
    if (Math.abs(steps - Math.round(steps)) > 1e-9 || steps < 1) {
      // Flink SQL's CUMULATE requires "max size must be an integral multiple of step".
      ctx.addIssue({
        code: 'custom',
        path: ['stepSeconds'],
        message: 'The cumulate window size must be a whole multiple of its step',
      });
    }
    latenessNeedsEventTime(window, ctx);
  })
  .describe('Windows that grow by a step up to a max size, then start over (CUMULATE)');

export const SessionWindowSchema = z
  .strictObject({
    type: z.literal('session'),
    gapSeconds: z
      .number({ error: missing('A session window needs gapSeconds') })
      .positive('Gap must be greater than 0 seconds')
      .max(YEAR_SECONDS)
      .describe('Session windows: inactivity gap in seconds that closes a session'),
    sizeSeconds: notFor('sizeSeconds', 'session'),
    slideSeconds: notFor('slideSeconds', 'session'),
    stepSeconds: notFor('stepSeconds', 'session'),
    ...timeFields,
  })
  .superRefine(latenessNeedsEventTime)
  .describe('Per-key windows that close after an inactivity gap (SESSION)');

export const WindowSchema = z
  .discriminatedUnion(
    'type',
    [TumblingWindowSchema, HoppingWindowSchema, SessionWindowSchema, CumulateWindowSchema],
    {
      error: (issue) =>
        issue.code === 'invalid_union' ? `Window type is one of ${WINDOW_TYPES.join(', ')}` : undefined,
    },
  )
  .describe('Window definition; the fields required depend on the window type');

export type Window = z.output<typeof WindowSchema>;
export type WindowInput = z.input<typeof WindowSchema>;
export type TumblingWindow = z.output<typeof TumblingWindowSchema>;
export type HoppingWindow = z.output<typeof HoppingWindowSchema>;
export type SessionWindow = z.output<typeof SessionWindowSchema>;
export type CumulateWindow = z.output<typeof CumulateWindowSchema>;
