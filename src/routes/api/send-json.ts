import type { FastifyReply } from 'fastify';

/**
 * Answers with `value` as plain JSON instead of the route's schema serializer. For values the
 * code itself builds field by field to the response schema (unit tests hold the estimator's output
 * to `EstimateSchema`): checking them again on every response would only repeat that work on the
 * hot path.
 */
export function sendJson<T extends object>(reply: FastifyReply, value: T): T {
  const text = JSON.stringify(value);
  reply.type('application/json; charset=utf-8').serializer(() => text);
  return value;
}
