import type { FastifyRequest } from 'fastify';

/**
 * The owner recorded on estimations saved through the API: the authenticated user that
 * plugins/auth.ts put on the request, or null when AUTH_MODE=none. Every API route asks here,
 * so scoping reads and writes by owner later is a change to this one module.
 */
export const ownerOf = (request: FastifyRequest): string | null => request.user ?? null;
