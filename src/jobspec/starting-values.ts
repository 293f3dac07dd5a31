/**
 * What a new estimate assumes where the user has not said: the estimate form's first values, and
 * what the intake drafts for what SQL or a plan cannot say (each listed there as a question with
 * the value assumed). One place, so the form and the intake assume the same job.
 */
export const STARTING_VALUES = {
  /** Records per second into the job (the quick form's rate). */
  recordsPerSecond: 50_000,
  avgRecordBytes: 512,
  /** A Kafka source's partitions (the pipeline form's example source). */
  partitions: 24,
  /** Keys of a stateful operator. */
  distinctKeys: 1_000_000,
  stateBytesPerKey: 200,
} as const;
