/**
 * Flink's exceptions as data: each failure keeps Flink's message, the exception it wraps (as
 * Java prints "Caused by: …"), a short code for the rule that fired, and the numbers a hint
 * needs to say how to fix it.
 */

/**
 * Which rule rejected the configuration. E1–E9 and J2–J4 follow the reference's tables; the
 * rest are option-level failures Flink raises while reading values.
 */
export type MemoryErrorCode =
  | 'E1'
  | 'E2'
  | 'E3'
  | 'E4'
  | 'E5'
  | 'E6'
  | 'E7'
  | 'E8'
  | 'E9'
  | 'J2'
  | 'J3'
  | 'J4'
  | 'PARSE'
  | 'SLOTS'
  | 'SEGMENT_SIZE'
  | 'CPU'
  | 'LEGACY_HEAP'
  | 'OVERFLOW'
  | 'NETWORK_BUFFERS';

/** Numbers and keys a hint needs; bigints are bytes. */
export type ErrorFacts = Readonly<Record<string, bigint | number | string | boolean | undefined>>;

interface FlinkExceptionInit {
  cause?: FlinkException;
  code?: MemoryErrorCode;
  /** The option most directly at fault. */
  option?: string;
  facts?: ErrorFacts;
  /**
   * A generic wrapper ("TaskManager memory configuration failed: …", "Cannot read memory size
   * from config option …") whose cause says what is wrong.
   */
  wrapper?: boolean;
  /** The message only makes sense together with its cause (E5's "… inconsistent with its configuration."). */
  withCause?: boolean;
}

export class FlinkException extends Error {
  readonly flinkCause: FlinkException | undefined;
  readonly code: MemoryErrorCode | undefined;
  readonly option: string | undefined;
  readonly facts: ErrorFacts;
  readonly wrapper: boolean;
  readonly withCause: boolean;

  constructor(
    readonly javaClass: string,
    message: string,
    init: FlinkExceptionInit = {},
  ) {
    super(message);
    this.flinkCause = init.cause;
    this.code = init.code;
    this.option = init.option;
    this.facts = init.facts ?? {};
    this.wrapper = init.wrapper ?? false;
    this.withCause = init.withCause ?? false;
  }
}

/** `new IllegalConfigurationException(message)`. */
export function illegalConfiguration(message: string, init: FlinkExceptionInit = {}): FlinkException {
  return new FlinkException('IllegalConfigurationException', message, init);
}

/** Wraps an exception the way `TaskExecutorProcessUtils.processSpecFromConfig` does: prefix + cause. */
export function wrapWithPrefix(prefix: string, inner: FlinkException): FlinkException {
  return new FlinkException(inner.javaClass, `${prefix}${inner.message}`, {
    cause: inner,
    wrapper: true,
  });
}

export interface FailureDescription {
  /** Flink's message for the failing rule (wrappers skipped; E5 followed by its cause). */
  message: string;
  /** The whole exception chain, outermost first, as Flink prints it. */
  details: string[];
  code: MemoryErrorCode | undefined;
  option: string | undefined;
  /** The node that carries the code, for its facts. */
  source: FlinkException;
}

/** Reads a Flink exception chain into the parts a caller shows. */
export function describeFailure(error: FlinkException): FailureDescription {
  const chain: FlinkException[] = [];
  for (let e: FlinkException | undefined = error; e; e = e.flinkCause) chain.push(e);
  const headline = chain.find((e) => !e.wrapper) ?? error;
  const cause = headline.flinkCause;
  const message = headline.withCause && cause ? `${headline.message} ${cause.message}` : headline.message;
  const source = chain.find((e) => e.code !== undefined) ?? headline;
  return {
    message,
    details: chain.map((e) => e.message),
    code: source.code,
    option: source.option ?? headline.option,
    source,
  };
}

/** A derivation's outcome before any hint is searched for (what hint searches probe). */
export type Probe<P> = { valid: true; plan: P } | { valid: false; failure: FailureDescription };

/** Runs a derivation that throws Flink's exceptions, returning its plan or the failure. */
export function probe<P>(derive: () => P): Probe<P> {
  try {
    return { valid: true, plan: derive() };
  } catch (error) {
    if (error instanceof FlinkException) return { valid: false, failure: describeFailure(error) };
    throw error;
  }
}

/** The rejection a caller sees: Flink's message, the whole chain, and the computed hint. */
export function rejection(failure: FailureDescription, hint: string) {
  return {
    message: failure.message,
    hint,
    details: failure.details,
    ...(failure.code !== undefined ? { code: failure.code } : {}),
    ...(failure.option !== undefined ? { option: failure.option } : {}),
  };
}
