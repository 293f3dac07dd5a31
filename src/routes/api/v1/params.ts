import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { problem } from '../../../schemas/problem.js';
import { replyProblem } from '../responses.js';

/**
 * Saved-estimation ids are 16 characters of base64url (store/estimations.ts `newId`). The route
 * accepts 8–64 such characters so a future id format still routes, and answers 404 — not 400 —
 * for anything else: a path segment that cannot be an id names no resource. The pattern is
 * documented (metadata only) rather than enforced by the schema, which would turn it into a 400.
 */
export const ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

export const isEstimationId = (id: string) => ID_PATTERN.test(id);

export const EstimationIdSchema = z
  .string()
  .describe('Id of a saved estimation, as returned by POST /api/v1/estimations')
  .meta({ pattern: ID_PATTERN.source, examples: ['Zm9vYmFyYmF6cXV4'] });

export const IdParamsSchema = z.object({ id: EstimationIdSchema });

/** 404 for an id that names nothing; a segment that is not even an id is not echoed back. */
export function estimationNotFound(reply: FastifyReply, id: string) {
  const detail = isEstimationId(id)
    ? `There is no saved estimation with the id "${id}". It may have been deleted.`
    : 'There is no saved estimation with this id: estimation ids are 8–64 letters, digits, "-" or "_".';
  return replyProblem(reply, problem(404, detail));
}
