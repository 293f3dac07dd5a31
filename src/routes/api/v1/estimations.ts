import type { FastifyPluginAsyncZod } from '@fastify/type-provider-zod';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import {
  etagFor,
  InvalidCursorError,
  VERSION_CONFLICT,
  versionFromIfMatch,
} from '../../../estimations/service.js';
import { problem } from '../../../schemas/problem.js';
import {
  CreateEstimationSchema,
  ListQuerySchema,
  SavedEstimationListSchema,
  SavedEstimationSchema,
  UpdateEstimationSchema,
} from '../../../schemas/saved.js';
import { notModified } from '../conditional.js';
import { ownerOf } from '../owner.js';
import {
  BadRequest,
  bodyErrors,
  commonErrors,
  Empty,
  ETagHeader,
  LocationHeader,
  NotFound,
  PreconditionFailed,
  replyProblem,
} from '../responses.js';
import { sendJsonText } from '../send-json.js';
import { estimationNotFound, IdParamsSchema, isEstimationId } from './params.js';

export const estimationPath = (id: string) => `/api/v1/estimations/${id}`;

function stale(reply: FastifyReply, ifMatch: string | undefined, current: string) {
  return replyProblem(
    reply,
    problem(
      412,
      `The estimation changed since you read it: If-Match ${ifMatch ?? ''} is not the current version ${current}. ` +
        'GET it again for the current ETag, check the changes, then retry.',
    ),
  );
}

/** Responses carrying a saved estimation say which version they show, for If-Match/If-None-Match. */
const withETag = (description: string) =>
  SavedEstimationSchema.meta({ description, headers: { ETag: ETagHeader } });

// Loose objects: a header schema only documents and checks these headers, never drops the others.
const IfNoneMatchHeaders = z.looseObject({
  'if-none-match': z
    .string()
    .optional()
    .describe('An ETag from an earlier GET: answers 304 Not Modified while it is still current'),
});

const IfMatchHeaders = (what: string) =>
  z.looseObject({
    'if-match': z
      .string()
      .optional()
      .describe(
        `The ETag you last read: the ${what} happens only if the estimation has not changed since (412 otherwise). Without it the last write wins.`,
      ),
  });

/**
 * Saved estimations (docs/api.md): create, list with keyset pages and name search, read with
 * ETag / If-None-Match, and rename or re-estimate and delete guarded by If-Match, so two people
 * editing the same estimation cannot silently overwrite each other.
 */
const estimations: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/estimations',
    {
      schema: {
        operationId: 'createEstimation',
        tags: ['Saved estimations'],
        summary: 'Save an estimation',
        description:
          'Estimates the spec and saves the name, spec and estimate together, and `sql`, the Flink SQL script the spec was made from, when given (stored with every credential masked). Answers 201 with the record, its URL in `Location` and its version in `ETag`.',
        body: CreateEstimationSchema,
        response: {
          201: SavedEstimationSchema.meta({
            description: 'Saved',
            headers: { Location: LocationHeader, ETag: ETagHeader },
          }),
          ...bodyErrors,
          ...commonErrors,
        },
      },
    },
    async (request, reply) => {
      const saved = app.estimations.create({ ...request.body, owner: ownerOf(request) });
      return reply
        .code(201)
        .header('location', estimationPath(saved.id))
        .header('etag', etagFor(saved))
        .send(saved);
    },
  );

  app.get(
    '/estimations',
    {
      schema: {
        operationId: 'listEstimations',
        tags: ['Saved estimations'],
        summary: 'List saved estimations',
        description:
          'Newest first by default. Keyset pagination: pass `nextCursor` from one page as `cursor` for the next (null on the last page); keep the same `q`, `sort` and `order`. `q` matches any part of the name, case-insensitively.',
        querystring: ListQuerySchema,
        response: {
          200: SavedEstimationListSchema.describe('One page of saved estimations with their key numbers'),
          400: BadRequest,
          ...commonErrors,
        },
      },
    },
    async (request, reply) => {
      try {
        // Written field by field from the stored rows (service.ts listJson): checking a page
        // against its schema again cost a fifth of the request's time at 100,000 rows.
        return sendJsonText(reply, app.estimations.listJson(request.query));
      } catch (error) {
        if (!(error instanceof InvalidCursorError)) throw error;
        return replyProblem(
          reply,
          problem(
            400,
            'The query string is invalid: query.cursor: not a cursor this service issued; use nextCursor from the previous page, or leave it out for the first page.',
            [{ path: 'query.cursor', message: 'Not a cursor this service issued' }],
            'validation',
          ),
        );
      }
    },
  );

  app.get(
    '/estimations/:id',
    {
      schema: {
        operationId: 'getEstimation',
        tags: ['Saved estimations'],
        summary: 'Get a saved estimation',
        description:
          'The name, spec, estimate and version. The `ETag` header names the version; send it back in If-None-Match to get 304 while nothing changed, or in If-Match to guard a PATCH or DELETE.',
        params: IdParamsSchema,
        headers: IfNoneMatchHeaders,
        response: {
          200: withETag('The saved estimation'),
          304: Empty('Not Modified: the ETag in If-None-Match is still current'),
          404: NotFound,
          ...commonErrors,
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const saved = isEstimationId(id) ? app.estimations.get(id) : undefined;
      if (!saved) return estimationNotFound(reply, id);
      const etag = etagFor(saved);
      // Revalidate on every use: a cache may keep the record but must ask whether it is current.
      reply.header('etag', etag).header('cache-control', 'private, no-cache');
      if (notModified(request.headers['if-none-match'], etag)) return reply.code(304).send(undefined);
      return saved;
    },
  );

  app.patch(
    '/estimations/:id',
    {
      schema: {
        operationId: 'updateEstimation',
        tags: ['Saved estimations'],
        summary: 'Rename or re-estimate a saved estimation',
        description:
          'Give `name`, `spec`, `sql` (the script it was made from; null removes it) or several. A new spec is estimated again with the model in force. With `If-Match: <ETag>` the change applies only if nobody changed the estimation since you read it (412 otherwise).',
        params: IdParamsSchema,
        headers: IfMatchHeaders('change'),
        body: UpdateEstimationSchema,
        response: {
          200: withETag('The updated estimation'),
          ...bodyErrors,
          404: NotFound,
          412: PreconditionFailed,
          ...commonErrors,
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      if (!isEstimationId(id)) return estimationNotFound(reply, id);
      const ifMatch = request.headers['if-match'];
      const expected = versionFromIfMatch(ifMatch, id);
      if (expected === null) {
        const current = app.estimations.get(id);
        return current ? stale(reply, ifMatch, etagFor(current)) : estimationNotFound(reply, id);
      }
      const result = app.estimations.update(id, request.body, expected);
      if (result === undefined) return estimationNotFound(reply, id);
      if (result === VERSION_CONFLICT) {
        const current = app.estimations.get(id);
        return current ? stale(reply, ifMatch, etagFor(current)) : estimationNotFound(reply, id);
      }
      return reply.header('etag', etagFor(result)).send(result);
    },
  );

  app.delete(
    '/estimations/:id',
    {
      schema: {
        operationId: 'deleteEstimation',
        tags: ['Saved estimations'],
        summary: 'Delete a saved estimation',
        description:
          'With `If-Match: <ETag>` the estimation is deleted only if nobody changed it since you read it (412 otherwise).',
        params: IdParamsSchema,
        headers: IfMatchHeaders('deletion'),
        response: {
          204: Empty('Deleted'),
          404: NotFound,
          412: PreconditionFailed,
          ...commonErrors,
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      if (!isEstimationId(id)) return estimationNotFound(reply, id);
      const ifMatch = request.headers['if-match'];
      const expected = versionFromIfMatch(ifMatch, id);
      const result = expected === null ? VERSION_CONFLICT : app.estimations.delete(id, expected);
      if (result === true) return reply.code(204).send(undefined);
      const current = app.estimations.get(id);
      return current ? stale(reply, ifMatch, etagFor(current)) : estimationNotFound(reply, id);
    },
  );
};

export default estimations;
