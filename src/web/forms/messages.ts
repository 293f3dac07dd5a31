/**
 * Validation problems in words a person reads on a form, never a validator's own text
 * ("expected number, received string"): the field's label, what it must be, and an example.
 */
import type { z } from 'zod';

/** An example value for each numeric field, in the form the form accepts. */
export const EXAMPLES: Record<string, string> = {
  sources: '2',
  operators: '4',
  sinks: '1',
  recordsPerSecond: '50000 or 50k',
  avgRecordBytes: '512',
  peakFactor: '1.5',
  statefulOperators: '1',
  distinctKeys: '1000000 or 1M',
  stateBytesPerKey: '200',
  checkpointIntervalSeconds: '60',
  taskManagerCpu: '2',
  taskManagerMemory: '8g or 8Gi',
  slotsPerTaskManager: '2',
  maxParallelism: '720',
  utilization: '0.7 or 70%',
  catchUpMinutes: '30',
  restartSeconds: '300',
};

export const notANumber = (label: string, field: string) =>
  `${label} must be a number, for example ${EXAMPLES[field] ?? '10'}`;

const bound = (value: unknown) =>
  typeof value === 'bigint' || typeof value === 'number'
    ? Number(value).toLocaleString('en-US')
    : String(value);

/** One schema issue as a sentence about the field labelled `label`. */
export function plainMessage(issue: z.core.$ZodIssue, label: string, field: string): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.expected === 'int')
        return `${label} must be a whole number, for example ${EXAMPLES[field] ?? '10'}`;
      if (issue.expected === 'number') return notANumber(label, field);
      return `${label} is missing or not in a form this page understands`;
    case 'too_small':
      if (issue.origin === 'number' || issue.origin === 'bigint' || issue.origin === 'int')
        return `${label} must be ${issue.inclusive === false ? 'more than' : 'at least'} ${bound(issue.minimum)}`;
      return `${label}: ${issue.message}`;
    case 'too_big':
      if (issue.origin === 'number' || issue.origin === 'bigint' || issue.origin === 'int')
        return `${label} must be ${issue.inclusive === false ? 'less than' : 'at most'} ${bound(issue.maximum)}`;
      return `${label}: ${issue.message}`;
    case 'invalid_value':
      return `${label} must be one of: ${issue.values.map(String).join(', ')}`;
    default:
      // The schema's own messages (refinements) are written as sentences for people.
      return issue.message;
  }
}
