import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LRUCache } from 'lru-cache';

/** A one-shot message shown on the next page after a redirect (Post/Redirect/Get). */
export interface Flash {
  kind: 'success' | 'info' | 'error';
  text: string;
}

const FLASH_COOKIE = 'flash';

/** Remembers a message for the page the browser is redirected to next. */
export function setFlash(reply: FastifyReply, flash: Flash): void {
  reply.setCookie(FLASH_COOKIE, JSON.stringify(flash), {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    signed: true,
    maxAge: 60,
  });
}

function takeFlash(request: FastifyRequest, reply: FastifyReply): Flash | undefined {
  const raw = request.cookies[FLASH_COOKIE];
  if (!raw) return undefined;
  reply.clearCookie(FLASH_COOKIE, { path: '/' });
  const unsigned = request.unsignCookie(raw);
  if (!unsigned.valid || unsigned.value === null) return undefined;
  try {
    const value: unknown = JSON.parse(unsigned.value);
    if (
      value !== null &&
      typeof value === 'object' &&
      'kind' in value &&
      'text' in value &&
      typeof value.text === 'string' &&
      (value.kind === 'success' || value.kind === 'info' || value.kind === 'error')
    ) {
      return { kind: value.kind, text: value.text };
    }
  } catch {
    // a tampered or stale cookie is simply ignored
  }
  return undefined;
}

/**
 * Rendered pages kept for reuse. A page's HTML depends on its data, the user and a per-response
 * CSRF token; it is stored with the token cut out — split at a slot holding a per-process random
 * string no user text can contain — and encoded to UTF-8 once, so a response is the parts joined
 * around a fresh token. Pages with a flash message are never stored or served from here.
 */
const TOKEN_SLOT = `csrf-slot-${randomUUID()}`;
const cachesByServer = new WeakMap<object, LRUCache<string, Buffer[]>>();

/** One cache per server instance: two apps in one process (as in tests) never share pages. */
function renderedPages(request: FastifyRequest): LRUCache<string, Buffer[]> {
  let cache = cachesByServer.get(request.server);
  if (!cache) {
    cache = new LRUCache<string, Buffer[]>({
      maxSize: 4 * 1024 * 1024,
      sizeCalculation: (parts, key) => parts.reduce((a, p) => a + p.length, 0) + key.length * 2,
    });
    cachesByServer.set(request.server, cache);
  }
  return cache;
}

/** The page's parts joined around the token. */
function withToken(parts: readonly Buffer[], csrfToken: string): Buffer {
  const token = Buffer.from(csrfToken);
  const chunks: Buffer[] = [];
  parts.forEach((part, i) => {
    if (i > 0) chunks.push(token);
    chunks.push(part);
  });
  return Buffer.concat(chunks);
}

interface PageCacheOptions {
  /** What, besides the user, decides the page's content (e.g. the URL and a data version). */
  cacheKey?: string;
}

const fullKey = (request: FastifyRequest, key: string) => `${request.user ?? ''}\u0000${key}`;

/**
 * The page stored under `key` for this user, with a fresh CSRF token, when there is one and no
 * flash message is waiting; otherwise undefined (render it with `renderPage` and the same key).
 */
export function cachedPage(request: FastifyRequest, reply: FastifyReply, key: string): Buffer | undefined {
  if (request.cookies[FLASH_COOKIE]) return undefined;
  const parts = renderedPages(request).get(fullKey(request, key));
  if (parts === undefined) return undefined;
  reply.code(200).type('text/html; charset=utf-8');
  return withToken(parts, reply.generateCsrf());
}

/**
 * Renders a page with what every page needs: a CSRF token for its forms, the current path for
 * the navigation, and any flash message. Status defaults to 200 (422 for re-rendered forms).
 * With a `cacheKey`, a 200 page without a flash message is kept for `cachedPage`.
 */
export async function renderPage(
  request: FastifyRequest,
  reply: FastifyReply,
  template: string,
  data: Record<string, unknown>,
  status = 200,
  options: PageCacheOptions = {},
) {
  const csrfToken = reply.generateCsrf();
  const flash = takeFlash(request, reply);
  reply.code(status).type('text/html; charset=utf-8');
  const store = options.cacheKey !== undefined && status === 200 && flash === undefined;
  const html = await reply.viewAsync(`pages/${template}.njk`, {
    ...data,
    csrfToken: store ? TOKEN_SLOT : csrfToken,
    flash,
    currentPath: request.url.split('?')[0],
    user: request.user,
    authMode: request.server.auth.mode,
  });
  if (!store || options.cacheKey === undefined) return html;
  const parts = html.split(TOKEN_SLOT).map((part) => Buffer.from(part));
  renderedPages(request).set(fullKey(request, options.cacheKey), parts);
  return withToken(parts, csrfToken);
}
