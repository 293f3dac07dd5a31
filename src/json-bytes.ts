import type { FastifyReply } from 'fastify';

const encoded = new WeakMap<object, Buffer>();

/**
 * A value's JSON as UTF-8. A frozen value — a cached plan or list page, shared between requests —
 * is encoded once: writing and encoding a long text on every response costs more than the rest of
 * a cached request (tens of µs when it holds characters such as "≤" or "→").
 */
export function jsonBytes(value: object): Buffer {
  const known = encoded.get(value);
  if (known !== undefined) return known;
  const bytes = Buffer.from(JSON.stringify(value));
  if (Object.isFrozen(value)) encoded.set(value, bytes);
  return bytes;
}

/**
 * Answers with `value` as JSON through `jsonBytes` instead of the route's schema serializer. For
 * values the code builds field by field to the response schema (tests hold them to it).
 */
export function sendJson<T extends object>(reply: FastifyReply, value: T): T {
  const bytes = jsonBytes(value);
  // Fastify sends what the serializer returns as is; a Buffer goes out untouched with its length
  // (lib/reply.js onSendEnd). The declared return type is string, hence the cast.
  reply.type('application/json; charset=utf-8').serializer(() => bytes as unknown as string);
  return value;
}
