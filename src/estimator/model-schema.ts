/**
 * The shape of the estimator's model (a MODEL_FILE is validated with it; GET /api/v1/model
 * describes it from here). The values and the measurement each comes from are in model.ts.
 */
import { z } from 'zod';
import { OPERATOR_KINDS, RECORD_FORMATS, SINK_KINDS, SOURCE_KINDS } from '../jobspec/index.js';

const positive = z.number().positive();
const nonNegative = z.number().min(0);

const FormatCostSchema = z.strictObject({
  deserializeNanosPerByte: nonNegative.describe('CPU to parse one wire byte into a row'),
  serializeNanosPerByte: nonNegative.describe('CPU to write one wire byte from a row'),
});

const ConnectorCostSchema = z.strictObject({
  fixedMicrosPerRecord: nonNegative.describe('Connector CPU per record, excluding (de)serialization'),
  defaultFormat: z.enum(RECORD_FORMATS),
});

const kindRecord = <K extends readonly string[], V extends z.ZodType>(kinds: K, value: V) =>
  z.strictObject(Object.fromEntries(kinds.map((k) => [k, value])) as { [P in K[number]]: V });

export const ModelSchema = z
  .strictObject({
    version: z.string().min(1),
    cpu: z.strictObject({
      recordFrameworkMicros: nonNegative.describe(
        'Per source record: reading a record and moving it through a chained pipeline (Nexmark q0, less its emission)',
      ),
      recordEmitMicros: nonNegative.describe(
        'Per record a sink receives: handing it over (Nexmark q0 − q2: q2 emits 1 bid in 123)',
      ),
      operatorMicros: kindRecord(OPERATOR_KINDS, nonNegative).describe('Own cost per input record, by kind'),
      windowAssignMicros: nonNegative.describe('Window aggregate: cost per window a record is assigned to'),
      sliceMergeMicros: nonNegative.describe(
        'SQL window TVF (hopping, cumulate): cost per slice accumulator merged into a window when it fires',
      ),
      stateAccessMicros: nonNegative.describe(
        'Group aggregation and deduplication: one keyed-state read-modify-write, paid per record without mini-batch and per key and batch with it',
      ),
      sessionWindowMicros: nonNegative.describe('Session window aggregate: cost per record (merging)'),
      distinctAggregateMicros: nonNegative.describe(
        'Per record and distinct set (the MapState of one DISTINCT argument, shared by its FILTER variants), with or without mini-batch (Nexmark q15, q16)',
      ),
      joinRowBytes: z
        .strictObject({
          referenceBytes: positive.describe(
            'Row bytes at which operatorMicros prices regular and temporal joins',
          ),
          shareOfReferencePerByte: nonNegative.describe(
            'Share of operatorMicros (the price at referenceBytes) each byte of a kept row adds, or removes below it',
          ),
          measuredFromBytes: nonNegative.describe(
            'Narrowest kept row measured (Nexmark q4); narrower rows cost as this',
          ),
          measuredToBytes: positive.describe(
            'Widest kept row measured (Nexmark q9); each byte beyond adds only its (de)serialization',
          ),
        })
        .describe(
          'Regular and temporal joins on RocksDB, priced by the bytes of the rows they keep (Nexmark q4, q20)',
        ),
      topNReferenceN: positive.describe('The n at which operatorMicros["top-n"] was measured'),
      shuffleNanosPerByte: nonNegative.describe('Serialize + deserialize one byte across a network edge'),
      shuffleBytesIncluded: nonNegative.describe(
        'Record bytes whose hash shuffle is already inside the keyed-operator costs (Nexmark records)',
      ),
      stateSerdeNanosPerByte: nonNegative.describe(
        'RocksDB (de)serializes state on every access; the heap backend does not — saved per byte accessed',
      ),
      complexity: z.strictObject({
        simple: z.strictObject({ statelessKind: z.enum(OPERATOR_KINDS), costFactor: positive }),
        medium: z.strictObject({ statelessKind: z.enum(OPERATOR_KINDS), costFactor: positive }),
        complex: z.strictObject({ statelessKind: z.enum(OPERATOR_KINDS), costFactor: positive }),
      }),
      sources: kindRecord(SOURCE_KINDS, ConnectorCostSchema),
      sinks: kindRecord(SINK_KINDS, ConnectorCostSchema),
      formats: kindRecord(RECORD_FORMATS, FormatCostSchema),
    }),
    lookup: z.strictObject({
      defaultLatencyMs: nonNegative,
      defaultAsyncCapacity: z.number().int().min(1),
    }),
    state: z.strictObject({
      defaultAggregateBytesPerKey: z.number().int().min(1),
      rocksdbInternalKeyBytes: z.number().int().min(0),
      rocksdbSpaceAmplification: z.number().min(1),
      heapEntryOverheadBytes: z.number().int().min(0),
      ttlTimestampBytes: z.number().int().min(0),
      windowNamespaceBytes: z.number().int().min(0),
      voidNamespaceBytes: z.number().int().min(0),
      timerBytes: z.number().int().min(0),
      distinctEntryBytes: z.number().int().min(0),
      unboundedJoinAssumedRetentionSeconds: positive,
      hashmapMaxStateBytes: z.number().int().positive(),
      hashmapMaxStateBytesPerSlot: z.number().int().positive(),
      heapStateMaxOccupancy: z.number().gt(0).max(1),
      rocksdbWriteBufferBytes: z.number().int().positive(),
      rocksdbWriteBufferRatio: z.number().gt(0).lt(1),
      rocksdbBlockBytes: z.number().int().positive(),
      rocksdbIndexEntryOverheadBytes: z.number().int().min(0),
      rocksdbIndexKeyBytes: z.number().int().positive(),
      rocksdbLocalDiskFactor: z.number().min(1),
      rocksdbHotStateShare: z
        .number()
        .min(0)
        .max(1)
        .describe('Model assumption: share of a slot’s data blocks RocksDB keeps cached'),
      rocksdbMaxStatePerSlotBytes: z
        .number()
        .int()
        .positive()
        .describe(
          'Cap on RocksDB state per slot; below it, what one download stream restores in restartSeconds',
        ),
      rocksdbMinStatePerSlotBytes: z.number().int().positive().describe('Floor of the per-slot state limit'),
      rocksdbMaxLocalDiskPerCoreBytes: z
        .number()
        .int()
        .positive()
        .describe(
          'Local disk a TaskManager may give RocksDB per core (AWS Managed Service for Apache Flink: 50 GB of running application storage per KPU of 1 vCPU)',
        ),
      rocksdbMaxDataCachePerSlotBytes: z
        .number()
        .int()
        .min(0)
        .describe('Model assumption: data-block cache cap per slot'),
    }),
    taskManager: z.strictObject({
      taskHeapPerSlotBytes: z
        .number()
        .int()
        .positive()
        .describe('Working set per slot: the task heap Flink’s shipped 1728m TaskManager gives its slot'),
      processBytesPerCore: z.number().int().positive(),
      processStepBytes: z.number().int().positive().describe('Containers are rounded up to whole steps'),
      maxProcessBytes: z.number().int().positive(),
      cpuCandidates: z.array(positive).min(1).describe('The size ladder: CPU per TaskManager, ascending'),
      maxSlotsPerCoreIoBound: positive.describe(
        'Slots per core when subtasks wait on blocking I/O (AWS Managed Flink ParallelismPerKPU up to 8)',
      ),
      targetCoresPerSlot: positive.describe(
        'Cores a slot may need at the target; one slot per core (Flink configuration docs)',
      ),
      taskManagersPerSize: z
        .number()
        .int()
        .min(1)
        .describe('Model choice: TaskManagers of one ladder size before the next size (shapes never shrink)'),
    }),
    jobManager: z
      .strictObject({
        minProcessBytes: z.number().int().positive(),
        baseHeapBytes: z.number().int().min(0),
        heapBytesPerTask: z.number().int().min(0),
        stateHandleBytes: z.number().int().min(0),
        sharedStateHandleBytes: z.number().int().min(0),
        sstFileBytes: z.number().int().positive(),
        inlineStateThresholdBytes: z.number().int().min(0),
        checkpointHistory: z.number().int().min(0),
        subtaskCheckpointStatsBytes: z.number().int().min(0),
        heapBytesPerTaskManager: z.number().int().min(0),
        tasksPerCore: z.number().int().positive(),
      })
      .describe(
        'JobManager sizing: Flink’s shipped 1600m floor, then model assumptions per task, state handle, checkpoint statistic and TaskManager (docs/model.md)',
      ),
    network: z.strictObject({
      buffersPerChannel: z.number().int().min(0),
      floatingBuffersPerGate: z.number().int().min(0),
      segmentBytes: z.number().int().positive(),
      headroom: z.number().min(1).describe('Network buffers × this (autoscaler memory.tuning.overhead)'),
      minBytes: z.number().int().min(0).describe('Flink’s taskmanager.memory.network.min default, 64m'),
      nicWarnUtilization: z.number().gt(0).max(1),
    }),
    checkpoint: z.strictObject({
      bytesPerSecondPerTransferThread: positive,
      transferThreads: z.number().int().min(1),
      warnFractionOfInterval: z.number().gt(0).max(1),
    }),
    window: z.strictObject({
      burstWarnFractionOfFireInterval: z
        .number()
        .gt(0)
        .max(1)
        .describe(
          'Warn when the downstream tasks need longer than this share of the interval between window firings to drain one firing’s results',
        ),
    }),
    parallelism: z.strictObject({
      keyGroupSkewTolerance: z.number().min(1),
      recommendedMaxParallelisms: z
        .array(z.number().int().min(1).max(32768))
        .min(1)
        .refine((list) => list.every((m, i) => i === 0 || m > (list[i - 1] ?? 0)), {
          message: 'must be in ascending order',
        })
        .describe(
          'Max parallelisms with many divisors (Flink Kubernetes Operator autoscaler docs) a new job gets, ascending; 128 is Flink’s own default for small jobs',
        ),
      maxParallelismRoom: z
        .number()
        .min(1)
        .describe(
          'A new job’s max parallelism is at least this many times its parallelism (room to scale up)',
        ),
      maxParallelismChoices: z
        .number()
        .int()
        .min(1)
        .describe(
          'A new job’s max parallelism is one of this many smallest recommended values with that room (a very large max parallelism costs per key group: Flink docs, “Parallel Execution”)',
        ),
    }),
  })
  .describe('Coefficients of the estimation model');

export type Model = z.output<typeof ModelSchema>;
