/** Reading problem documents (the API's 4xx bodies) in tests. */

export interface FieldError {
  path: string;
  message: string;
}

/** The field paths a problem document names. */
export const errorPaths = (body: { errors?: FieldError[] }) => (body.errors ?? []).map((e) => e.path);

export const JSON_HEADERS = { 'content-type': 'application/json' };
