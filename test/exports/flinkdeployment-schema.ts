import { z } from 'zod';

/**
 * The FlinkDeployment spec fields this project emits, with their names, types and enums
 * transcribed from the Flink Kubernetes Operator's published CRD
 * (helm/flink-kubernetes-operator/crds/flinkdeployments.flink.apache.org-v1.yml, release 1.15).
 * Objects are strict where we emit them, so a misspelt field fails the test.
 */
const Resource = z.strictObject({
  cpu: z.number(),
  memory: z.string(),
  ephemeralStorage: z.string().optional(),
});

export const FlinkSpecSchema = z.strictObject({
  image: z.string(),
  imagePullPolicy: z.string().optional(),
  flinkVersion: z.enum([
    'v1_13',
    'v1_14',
    'v1_15',
    'v1_16',
    'v1_17',
    'v1_18',
    'v1_19',
    'v1_20',
    'v2_0',
    'v2_1',
    'v2_2',
  ]),
  serviceAccount: z.string(),
  flinkConfiguration: z.record(z.string(), z.string()),
  jobManager: z.strictObject({ resource: Resource, replicas: z.number().int().min(1) }),
  taskManager: z.strictObject({ resource: Resource, replicas: z.number().int().optional() }),
  job: z.strictObject({
    jarURI: z.string(),
    entryClass: z.string().optional(),
    args: z.array(z.string()).optional(),
    parallelism: z.number().int(),
    upgradeMode: z.enum(['last-state', 'savepoint', 'stateless']),
    state: z.enum(['running', 'suspended']),
  }),
});

export const FlinkDeploymentSchema = z.strictObject({
  apiVersion: z.literal('flink.apache.org/v1beta1'),
  kind: z.literal('FlinkDeployment'),
  metadata: z.looseObject({
    name: z
      .string()
      .regex(/^[a-z]([-a-z0-9]*[a-z0-9])?$/)
      .max(45),
  }),
  spec: FlinkSpecSchema,
});

export const FlinkApplicationSchema = z.strictObject({
  apiVersion: z.literal('cmf.confluent.io/v1'),
  kind: z.literal('FlinkApplication'),
  metadata: z.strictObject({
    name: z
      .string()
      .regex(/^[a-z]([-a-z0-9]*[a-z0-9])?$/)
      .max(45),
  }),
  spec: FlinkSpecSchema,
});
