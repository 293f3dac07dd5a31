import type { FastifyPluginAsyncZod } from '@fastify/type-provider-zod';
import { intakePlan, intakeSql } from '../../../intake/index.js';
import { IntakeAnswerSchema, IntakeRequestSchema } from '../../../schemas/intake.js';
import { bodyErrors, commonErrors, replyProblem } from '../responses.js';

/** POST /api/v1/intake: Flink SQL or one of Flink's plans in, a pipeline draft with its questions out. */
const intake: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/intake',
    {
      schema: {
        operationId: 'createIntakeDraft',
        tags: ['Intake'],
        summary: 'Turn Flink SQL or a Flink plan into a pipeline draft',
        description:
          'Reads a Flink SQL script (tables and connectors from CREATE TABLE … WITH, views, SET, INSERT INTO, statement sets; windows, joins, aggregates, deduplication, top-N, MATCH_RECOGNIZE, OVER) or a plan Flink printed (EXPLAIN JSON_EXECUTION_PLAN, GET /jobs/:id/plan, COMPILE PLAN) and answers a pipeline-form JobSpec that estimates as it is. What the input cannot say — rates, record sizes, key counts, partitions — carries the estimate form’s defaults, each listed in `questions` with its path and the value assumed; `notes` explain each interpretation. Credentials in options (passwords, tokens, JAAS configs, keys, user:password in URLs) are never echoed, logged or stored. A script that does not parse is a 400 whose errors carry line, column and construct.',
        body: IntakeRequestSchema,
        response: {
          200: IntakeAnswerSchema.describe('The draft, the questions to confirm and the notes'),
          ...bodyErrors,
          ...commonErrors,
        },
      },
    },
    async (request, reply) => {
      const { sql, plan } = request.body;
      const outcome = sql !== undefined ? await intakeSql(sql, app.sqlParser) : intakePlan(plan);
      if (!outcome.ok) return replyProblem(reply, outcome.problem);
      return outcome.answer;
    },
  );
};

export default intake;
