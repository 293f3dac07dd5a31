import type { FastifyReply, FastifyRequest } from 'fastify';

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
 * Renders a page with what every page needs: a CSRF token for its forms, the current path for
 * the navigation, and any flash message. Status defaults to 200 (422 for re-rendered forms).
 * Every page is rendered for its request: its HTML depends on the user, the token and the data.
 */
export async function renderPage(
  request: FastifyRequest,
  reply: FastifyReply,
  template: string,
  data: Record<string, unknown>,
  status = 200,
) {
  const csrfToken = reply.generateCsrf();
  const flash = takeFlash(request, reply);
  reply.code(status).type('text/html; charset=utf-8');
  return reply.viewAsync(`pages/${template}.njk`, {
    ...data,
    csrfToken,
    flash,
    currentPath: request.url.split('?')[0],
    user: request.user,
    authMode: request.server.auth.mode,
  });
}
