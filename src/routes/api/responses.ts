import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { type Problem, ProblemSchema } from '../../schemas/problem.js';

/**
 * Response schemas shared by the /api/v1 routes. Each error status is the RFC 9457 problem
 * document with a description of when it happens; the OpenAPI plugin serves them as
 * `application/problem+json`. Declaring them on every route also makes Fastify serialise
 * problem documents through the same schema the document shows.
 */
const problemFor = (description: string, example?: Problem) =>
  // One .meta() call: the clone then refers to Problem instead of inlining it.
  ProblemSchema.meta({ description, ...(example ? { examples: [example] } : {}) });

export const BadRequest = problemFor(
  'The request is invalid: malformed JSON, or a field that fails validation. `errors` lists each invalid field by its dotted JSON path (`query.` or `params.` prefixed for the URL).',
  {
    type: '/docs/problems/validation',
    title: 'Bad Request',
    status: 400,
    detail:
      'The request body is invalid: pipeline.operators.0.inputs.0: Unknown input "bidz": no source or operator has this id',
    errors: [
      {
        path: 'pipeline.operators.0.inputs.0',
        message: 'Unknown input "bidz": no source or operator has this id',
      },
    ],
  },
);

export const Unauthorized = problemFor(
  'Authentication required (only when the server runs with AUTH_MODE=token or proxy): send `Authorization: Bearer <token>`.',
);

export const NotFound = problemFor(
  'No saved estimation has this id (it was deleted, or the path segment is not an id at all).',
  {
    type: '/docs/problems/not-found',
    title: 'Not Found',
    status: 404,
    detail: 'There is no saved estimation with the id "Zm9vYmFyYmF6cXV4".',
  },
);

export const PreconditionFailed = problemFor(
  'If-Match names a version that is no longer current: someone changed the estimation since you read it. GET it again for the new ETag, then retry.',
  {
    type: '/docs/problems/precondition-failed',
    title: 'Precondition Failed',
    status: 412,
    detail:
      'The estimation changed since you read it: If-Match "Zm9vYmFyYmF6cXV4.v1" is not the current version "Zm9vYmFyYmF6cXV4.v2".',
  },
);

export const ContentTooLarge = problemFor(
  'The request body is larger than BODY_LIMIT_BYTES (1 MiB by default).',
);

export const UnsupportedMediaType = problemFor(
  'The API accepts only JSON request bodies: send `Content-Type: application/json`.',
);

export const TooManyRequests = problemFor(
  'More than RATE_LIMIT_MAX requests in a minute from this client; wait for the number of seconds in `Retry-After`.',
);

/** No response body (204 No Content, 304 Not Modified). */
export const Empty = (description: string) => z.undefined().describe(description);

/** Errors every /api/v1 route can answer (authentication and rate limiting act before the handler). */
export const commonErrors = { 401: Unauthorized, 429: TooManyRequests } as const;

/** Errors of every route that reads a JSON body. */
export const bodyErrors = { 400: BadRequest, 413: ContentTooLarge, 415: UnsupportedMediaType } as const;

/** Response header descriptions for the OpenAPI document (JSON Schema in `headers` meta). */
export const ETagHeader = {
  description:
    'The version of this saved estimation; send it back in If-Match (writes) or If-None-Match (reads)',
  type: 'string',
  examples: ['"Zm9vYmFyYmF6cXV4.v1"'],
} as const;

export const LocationHeader = {
  description: 'URL of the new saved estimation',
  type: 'string',
  examples: ['/api/v1/estimations/Zm9vYmFyYmF6cXV4'],
} as const;

/**
 * Sends a problem document from an API handler. Same wire format as `sendProblem` in
 * plugins/errors.ts, which API paths always answer with JSON, typed as a reply for handlers.
 */
export const replyProblem = (reply: FastifyReply, body: Problem): FastifyReply =>
  reply.code(body.status).type('application/problem+json; charset=utf-8').send(body);
