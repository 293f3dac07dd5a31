/**
 * The problem types the service answers with. Every problem document's `type` is
 * `/docs/problems/<slug>`, and RFC 9457 §3.1.1 asks that a type URI, when dereferenced, gives
 * human-readable documentation: this catalogue feeds both that page and the OpenAPI description.
 */
export interface ProblemType {
  slug: string;
  status: number;
  title: string;
  when: string;
  fix: string;
}

export const PROBLEM_TYPES: readonly ProblemType[] = [
  {
    slug: 'validation',
    status: 400,
    title: 'Bad Request',
    when: 'A field of the body, query string or URL fails validation. `errors` lists each invalid field by its dotted JSON path, e.g. `pipeline.operators.0.inputs.0` in the body, `query.limit` in the query string or `params.format` in the URL.',
    fix: 'Correct each field named in `errors`; the OpenAPI document gives every field’s type and limits.',
  },
  {
    slug: 'bad-request',
    status: 400,
    title: 'Bad Request',
    when: 'The body is not valid JSON, is empty where a JSON document is required, or a query parameter cannot be combined with the format asked for.',
    fix: 'Send a complete JSON document with `Content-Type: application/json`; read `detail` for the exact cause.',
  },
  {
    slug: 'unauthorized',
    status: 401,
    title: 'Unauthorized',
    when: 'The server runs with AUTH_MODE=token or proxy and the request carries no valid credentials.',
    fix: 'Send `Authorization: Bearer <token>` (AUTH_MODE=token), or go through the authenticating proxy.',
  },
  {
    slug: 'forbidden',
    status: 403,
    title: 'Forbidden',
    when: 'A calibration names a URL whose host is not listed in CALIBRATION_ALLOWED_HOSTS (when that variable is empty, URL sources are off altogether).',
    fix: 'Upload a snapshot of the Flink REST responses instead (`source.kind: "snapshot"`), or ask the operator to add the host to CALIBRATION_ALLOWED_HOSTS.',
  },
  {
    slug: 'not-found',
    status: 404,
    title: 'Not Found',
    when: 'No route answers at this path, or no saved estimation has this id (it was deleted, or the segment is not an id).',
    fix: 'List saved estimations with GET /api/v1/estimations to find the id.',
  },
  {
    slug: 'precondition-failed',
    status: 412,
    title: 'Precondition Failed',
    when: 'An If-Match header names a version of the saved estimation that is no longer current: someone changed it after you read it.',
    fix: 'GET the estimation again for the current ETag, check what changed, and retry with that ETag.',
  },
  {
    slug: 'content-too-large',
    status: 413,
    title: 'Content Too Large',
    when: 'The request body is larger than the server’s limit (BODY_LIMIT_BYTES, 1 MiB by default).',
    fix: 'Send a smaller document; a pipeline has at most 500 nodes.',
  },
  {
    slug: 'unsupported-media-type',
    status: 415,
    title: 'Unsupported Media Type',
    when: 'The body is not declared as JSON. The API parses only `application/json`, so that forms and text/plain cross-site requests never reach it.',
    fix: 'Send the body with `Content-Type: application/json`.',
  },
  {
    slug: 'unprocessable-content',
    status: 422,
    title: 'Unprocessable Content',
    when: 'A form on a page was well formed but its values cannot be used (pages; the API answers 400), or a calibration source could not be read (unreachable, a timeout, a redirect, an answer too large or not Flink’s JSON).',
    fix: 'Correct the fields the page marks.',
  },
  {
    slug: 'too-many-requests',
    status: 429,
    title: 'Too Many Requests',
    when: 'This client sent more than RATE_LIMIT_MAX requests to /api in one minute.',
    fix: 'Wait the number of seconds in the `Retry-After` header, then retry.',
  },
  {
    slug: 'internal-server-error',
    status: 500,
    title: 'Internal Server Error',
    when: 'A bug. The response never contains a stack trace; the server logs the error with the request id.',
    fix: 'Report it with the `x-request-id` response header so the log line can be found.',
  },
  {
    slug: 'service-unavailable',
    status: 503,
    title: 'Service Unavailable',
    when: 'The database is not reachable (GET /readyz).',
    fix: 'Retry later; check the volume the database lives on.',
  },
];

/** One line of links to the catalogue, for the OpenAPI description. */
export function problemTypesMarkdown(): string {
  return PROBLEM_TYPES.map((t) => `[\`${t.slug}\`](/docs/problems/${t.slug}) (${t.status})`).join(' · ');
}
