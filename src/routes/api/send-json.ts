import type { FastifyReply } from 'fastify';
import { utf8 } from './utf8.js';

/**
 * Answers with `value` as plain JSON instead of the route's schema serializer. For values the
 * code itself builds field by field to the response schema (unit tests hold the estimator's output
 * to `EstimateSchema`): checking them again on every response would only repeat that work on the
 * hot path. The body is the UTF-8 of JSON.stringify(value), encoded once (utf8.ts says why).
 */
export function sendJson(reply: FastifyReply, value: object): FastifyReply {
  return sendJsonText(reply, JSON.stringify(value));
}

/** Answers with JSON text the code itself wrote (as for sendJson, nothing checks it again). */
export function sendJsonText(reply: FastifyReply, json: string): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(utf8(json));
}
