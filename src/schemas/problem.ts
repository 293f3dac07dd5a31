import { z } from 'zod';

/** One invalid field: a dotted JSON path into the request, and what is wrong there (with a position for SQL). */
export const FieldErrorSchema = z.object({
  path: z.string().describe('Dotted path of the invalid field, e.g. "pipeline.operators.2.kind"'),
  message: z.string(),
  // A pasted Flink SQL script (POST /api/v1/intake) is one field with positions inside it.
  line: z.number().int().optional().describe('SQL intake: 1-based line of the script'),
  column: z.number().int().optional().describe('SQL intake: 1-based column of the script'),
  construct: z.string().optional().describe('SQL intake: the statement, or the grammar gap, the error is in'),
});

/** RFC 9457 problem document, the body of every error response. */
export const ProblemSchema = z
  .object({
    type: z.string().describe('A URI identifying the problem type'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional(),
    errors: z.array(FieldErrorSchema).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem document' });

export type FieldError = z.output<typeof FieldErrorSchema>;
export type Problem = z.output<typeof ProblemSchema>;

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export const titleFor = (status: number) =>
  TITLES[status] ?? (status >= 500 ? 'Server Error' : 'Client Error');

/** Builds a problem document; `type` names the kind of problem under the API's docs. */
export function problem(status: number, detail: string, errors?: FieldError[], slug?: string): Problem {
  const title = titleFor(status);
  const kind = slug ?? title.toLowerCase().replaceAll(' ', '-');
  return {
    type: `/docs/problems/${kind}`,
    title,
    status,
    detail,
    ...(errors && errors.length > 0 ? { errors } : {}),
  };
}

/** Converts zod issues to field errors with dotted paths (prefix e.g. "query" for query strings). */
export function fieldErrorsFromZod(issues: readonly z.core.$ZodIssue[], prefix?: string): FieldError[] {
  return issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    return {
      path: prefix ? (path ? `${prefix}.${path}` : prefix) : path,
      message: issue.message,
    };
  });
}
