import type { FastifyPluginAsyncZod } from '@fastify/type-provider-zod';
import { z } from 'zod';

/**
 * The handlers send JSON text they wrote themselves (bigints as exact integers); the response
 * schema documents its shape for OpenAPI. Fastify sends a string body as it is.
 */
const exactJson = (value: unknown) => toExactJson(value) as unknown as z.output<typeof MemoryResultSchema>;

import { FLINK_VERSIONS } from '../../../estimator/memory/index.js';
import { deriveMemory, type MemoryRole, planMemory, toExactJson } from '../../../presenters/memory.js';
import { bodyErrors, commonErrors } from '../responses.js';

const FlinkVersionSchema = z.enum(FLINK_VERSIONS).default('1.20').describe('Flink version; default 1.20');

export const MemoryConfigRequestSchema = z
  .strictObject({
    flinkVersion: FlinkVersionSchema,
    config: z
      .record(z.string().max(200), z.string().max(200))
      .refine((config) => Object.keys(config).length <= 200, 'At most 200 options')
      .describe(
        'Flink options exactly as in config.yaml, values as strings ("1728m", "0.4", "4"). Keys other than the memory, slot and CPU options are ignored. A non-string value is reported at `config.<key>` (the key itself contains dots).',
      ),
  })
  .meta({
    id: 'MemoryConfigRequest',
    examples: [{ flinkVersion: '1.20', config: { 'taskmanager.memory.process.size': '1728m' } }],
  });

const BytesSchema = z.number().int().describe('Bytes (exact, even above 2^53)');
const MemoryErrorSchema = z.object({
  message: z.string().describe('What Flink says when it rejects this configuration'),
  hint: z.string().describe('The smallest change that makes Flink accept it'),
  option: z.string().optional(),
  code: z.string().optional().describe('Which rule fired (E1–E9, J2–J4, PARSE, …)'),
});

export const MemoryResultSchema = z
  .union([
    z.object({
      valid: z.literal(true),
      flinkVersion: z.enum(FLINK_VERSIONS),
      memory: z.record(z.string(), BytesSchema).describe('Each component and the totals, bytes'),
      jvmArgs: z.object({
        Xmx: BytesSchema,
        Xms: BytesSchema,
        MaxDirectMemorySize: BytesSchema.nullable().describe(
          'null for a JobManager unless jobmanager.memory.enable-jvm-direct-memory-limit is true',
        ),
        MaxMetaspaceSize: BytesSchema,
      }),
      networkBuffers: z.number().int().optional().describe('⌊network / segment size⌋ (TaskManager)'),
      segmentSize: BytesSchema.optional(),
      slots: z.number().int().optional(),
      cpuCores: z.number().optional(),
      perSlot: z.record(z.string(), z.number()).optional().describe('Each slot’s share (integer division)'),
      containerMemoryMiB: z.number().int().describe('Kubernetes memory request: ⌊process / MiB⌋'),
      derivedFrom: z.string().describe('Which of Flink’s derivation paths applied'),
      notes: z.array(z.string()).describe('What Flink would log (a fraction raised to its minimum, …)'),
      config: z.record(z.string(), z.string()).describe('The options the result derives from'),
      containerSyntax: z.enum(['flink', 'kubernetes']).optional(),
    }),
    z.object({ valid: z.literal(false), flinkVersion: z.enum(FLINK_VERSIONS), error: MemoryErrorSchema }),
  ])
  .meta({ id: 'MemoryResult' });

const MemoryString = z.string().max(64);
export const TaskManagerPlanRequestSchema = z
  .strictObject({
    flinkVersion: FlinkVersionSchema,
    containerMemory: MemoryString.describe(
      'Container memory: Flink syntax ("8g" = 8 GiB, "4096m") or a Kubernetes quantity ("8Gi", "8G" = 8·10⁹), read as the Flink Kubernetes Operator reads resource.memory',
    ),
    cpu: z.number().positive().max(1024).describe('CPU cores of the container'),
    slots: z.number().int().min(1).max(1024).optional().describe('Task slots; default ⌊cpu⌋ (at least 1)'),
    managedMemoryPerSlot: MemoryString.optional().describe(
      'Managed memory each slot needs (RocksDB), e.g. "512m"',
    ),
    networkMemory: MemoryString.optional().describe('Network memory for the TaskManager, e.g. "256m"'),
  })
  .meta({
    id: 'TaskManagerPlanRequest',
    examples: [{ containerMemory: '8g', cpu: 2, slots: 2, managedMemoryPerSlot: '1g' }],
  });

export const JobManagerPlanRequestSchema = z
  .strictObject({
    flinkVersion: FlinkVersionSchema,
    containerMemory: MemoryString.describe('Container memory ("2g", "2Gi")'),
    cpu: z.number().positive().max(1024).describe('CPU cores of the container'),
  })
  .meta({ id: 'JobManagerPlanRequest', examples: [{ containerMemory: '2g', cpu: 1 }] });

const ROLES: ReadonlyArray<[MemoryRole, string]> = [
  ['taskmanager', 'TaskManager'],
  ['jobmanager', 'JobManager'],
];

/** Flink's memory model over HTTP (docs/api.md): forward derivation and the reverse planner. */
const memory: FastifyPluginAsyncZod = async (app) => {
  for (const [role, name] of ROLES) {
    app.post(
      `/memory/${role}`,
      {
        schema: {
          operationId: `derive${name}Memory`,
          tags: ['Memory'],
          summary: `Derive ${name} memory exactly as Flink does`,
          description: `Applies Flink’s own ${name} memory derivation (${role === 'taskmanager' ? 'FLIP-49' : 'FLIP-116'}) to the options: every component in bytes, the JVM flags${role === 'taskmanager' ? ' and the network buffers' : ''} — or, when Flink would refuse to start, its message and the smallest fix (still 200, with valid: false).`,
          body: MemoryConfigRequestSchema,
          response: {
            200: MemoryResultSchema.describe(
              'The derivation (valid: true) or Flink’s rejection with the fix (valid: false)',
            ),
            ...bodyErrors,
            ...commonErrors,
          },
        },
      },
      async (request, reply) => {
        const { flinkVersion, config } = request.body;
        return reply
          .type('application/json; charset=utf-8')
          .send(exactJson(deriveMemory(role, config, flinkVersion)));
      },
    );

    app.post(
      `/memory/${role}/plan`,
      {
        schema: {
          operationId: `plan${name}Memory`,
          tags: ['Memory'],
          summary: `Plan ${name} options that fill a container exactly`,
          description: `The reverse planner: from a container size (and for a TaskManager slots, managed memory per slot and network memory) to the ${role}.memory.* options Flink accepts and whose process size equals the container, with their breakdown.`,
          body: role === 'taskmanager' ? TaskManagerPlanRequestSchema : JobManagerPlanRequestSchema,
          response: {
            200: MemoryResultSchema.describe(
              'Options that fill the container and their breakdown, or why none can',
            ),
            ...bodyErrors,
            ...commonErrors,
          },
        },
      },
      async (request, reply) =>
        reply.type('application/json; charset=utf-8').send(exactJson(planMemory(role, request.body))),
    );
  }
};

export default memory;
