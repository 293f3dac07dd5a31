import { hasZodFastifySchemaValidationErrors } from '@fastify/type-provider-zod';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { type FieldError, type Problem, problem } from '../../schemas/problem.js';

/**
 * A browser (asking for HTML) gets the HTML error page; scripts and anything asking for JSON get a
 * problem document. The API never answers HTML: its scope has its own handlers.
 */
export function wantsHtml(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  return accept.includes('text/html');
}

/** Sends a problem document, or the HTML error page for browsers on page routes. */
export async function sendProblem(request: FastifyRequest, reply: FastifyReply, body: Problem) {
  reply.code(body.status);
  if (wantsHtml(request)) {
    reply.type('text/html; charset=utf-8');
    return reply.viewAsync('pages/error.njk', { problem: body, title: body.title });
  }
  return reply.type('application/problem+json; charset=utf-8').send(body);
}

/** Maps Fastify's own error codes (body parsing, limits) to the status and wording users should see. */
function classify(
  error: FastifyError,
  bodyLimit: number,
): { status: number; detail: string; errors?: FieldError[] } {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return {
        status: 415,
        detail: 'Unsupported Content-Type: send JSON with "Content-Type: application/json".',
      };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return {
        status: 413,
        detail: `The request body is larger than the limit of ${bodyLimit} bytes.`,
      };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, detail: 'The request body is empty; send a JSON document.' };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { status: 400, detail: `The request body is not valid JSON: ${error.message}` };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { status: 400, detail: 'The Content-Length header does not match the body.' };
    default:
      break;
  }
  if (error instanceof SyntaxError) {
    return { status: 400, detail: `The request body is not valid JSON: ${error.message}` };
  }
  const status = error.statusCode ?? 500;
  return { status, detail: status >= 500 ? 'An unexpected error occurred.' : error.message };
}

/** The problem document for an error a route or hook threw; logs 5xx (never sent with a stack). */
export function problemForError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): Problem {
  if (hasZodFastifySchemaValidationErrors(error)) {
    const context = error.validationContext;
    // An unknown (e.g. misspelt) field is reported at its own path, not its parent object's.
    const issues = error.validation.flatMap((issue) => {
      const path = issue.instancePath.split('/').filter(Boolean).join('.');
      const keys = issue.keyword === 'unrecognized_keys' ? issue.params.keys : undefined;
      return Array.isArray(keys)
        ? keys.map((key) => ({
            path: [path, String(key)].filter(Boolean).join('.'),
            message: `Unknown field "${String(key)}"`,
          }))
        : [{ path, message: issue.message }];
    });
    const errors = issues.map(({ path, message }) => {
      const prefixed =
        context && context !== 'body'
          ? [context === 'querystring' ? 'query' : context, path].filter(Boolean).join('.')
          : path;
      return { path: prefixed, message };
    });
    const where = context === 'querystring' ? 'query string' : context === 'params' ? 'URL' : 'request body';
    const detail = `The ${where} is invalid: ${errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('; ')}`;
    return problem(400, detail, errors, 'validation');
  }
  const { status, detail, errors } = classify(error, request.routeOptions.bodyLimit);
  if (status >= 500) {
    request.log.error({ err: error }, 'request failed');
  }
  if (status === 429 && !reply.getHeader('retry-after')) reply.header('retry-after', '60');
  return problem(status, detail, errors);
}

/** The problem document for a URL no route serves. */
export const notFoundProblem = (request: FastifyRequest): Problem =>
  problem(404, `No route or resource at ${request.method} ${request.url.split('?')[0]}.`);

/**
 * Central error and not-found handling: every error leaves as an RFC 9457 problem document
 * (or an error page for browsers), with field paths for validation errors and never a stack
 * trace for a 5xx (those are logged with the request id instead). The API's scope replaces both
 * handlers with JSON-only ones (routes/api/index.ts).
 */
export default fp(
  async (app) => {
    app.setErrorHandler(async (error: FastifyError, request, reply) =>
      sendProblem(request, reply, problemForError(error, request, reply)),
    );
    app.setNotFoundHandler(async (request, reply) => sendProblem(request, reply, notFoundProblem(request)));
  },
  { name: 'errors' },
);
