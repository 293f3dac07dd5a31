/**
 * How a slot's managed memory becomes RocksDB's block cache and write-buffer manager.
 *
 * Re-derived from release-1.20 `ManagedMemoryUtils` (consumer weights, fractions rounded down
 * to 16 decimals), `MemoryManager.computeMemorySize` (⌊slot managed × fraction⌋, in double) and
 * `RocksDBMemoryControllerUtils` (cache, write-buffer manager, arena block size, mutable limit;
 * all in Java double/long arithmetic, which JavaScript numbers reproduce).
 */

/** `taskmanager.memory.managed.consumer-weights` default. */
export const DEFAULT_CONSUMER_WEIGHTS = { OPERATOR: 70, STATE_BACKEND: 70, PYTHON: 30 } as const;

export type ManagedMemoryUseCase = keyof typeof DEFAULT_CONSUMER_WEIGHTS;

/** `state.backend.rocksdb.memory.write-buffer-ratio` default. */
export const DEFAULT_WRITE_BUFFER_RATIO = 0.5;
/** `state.backend.rocksdb.memory.high-prio-pool-ratio` default. */
export const DEFAULT_HIGH_PRIORITY_POOL_RATIO = 0.1;

/** `ManagedMemoryUtils.getFractionRoundedDown`: dividend/divisor to 16 decimals, rounded down. */
export function fractionRoundedDown(dividend: number, divisor: number): number {
  const scaled = (BigInt(dividend) * 10n ** 16n) / BigInt(divisor);
  const text = scaled.toString().padStart(17, '0');
  return Number(`${text.slice(0, text.length - 16)}.${text.slice(text.length - 16)}`);
}

/**
 * Each present use case's share of a slot's managed memory: its weight over the sum of the
 * present use cases' weights (a pure RocksDB job gives STATE_BACKEND 1.0; RocksDB + Python gives
 * 70/100 and 30/100).
 */
export function managedMemoryFractions(
  present: readonly ManagedMemoryUseCase[],
  weights: Readonly<Record<ManagedMemoryUseCase, number>> = DEFAULT_CONSUMER_WEIGHTS,
): Partial<Record<ManagedMemoryUseCase, number>> {
  const unique = [...new Set(present)];
  const total = unique.reduce((sum, useCase) => sum + weights[useCase], 0);
  const fractions: Partial<Record<ManagedMemoryUseCase, number>> = {};
  for (const useCase of unique)
    fractions[useCase] = total > 0 ? fractionRoundedDown(weights[useCase], total) : 0;
  return fractions;
}

/** `MemoryManager.computeMemorySize(fraction)`: ⌊slot managed memory × fraction⌋. */
export function managedMemoryForFraction(slotManagedBytes: bigint, fraction: number): bigint {
  return BigInt(Math.floor(Number(slotManagedBytes) * fraction));
}

/** `calculateActualCacheCapacity`: (long) ((3 − r) × M / 3). M = 2048, r = 0.5 → 1706. */
export function rocksDbCacheCapacity(
  totalMemoryBytes: bigint,
  writeBufferRatio = DEFAULT_WRITE_BUFFER_RATIO,
): bigint {
  return BigInt(Math.trunc(((3 - writeBufferRatio) * Number(totalMemoryBytes)) / 3));
}

/** `calculateWriteBufferManagerCapacity`: (long) (2 × M × r / 3), 2 × M in long arithmetic. M = 2048 → 682. */
export function rocksDbWriteBufferManagerCapacity(
  totalMemoryBytes: bigint,
  writeBufferRatio = DEFAULT_WRITE_BUFFER_RATIO,
): bigint {
  return BigInt(Math.trunc((Number(BigInt.asIntN(64, 2n * totalMemoryBytes)) * writeBufferRatio) / 3));
}

/** `calculateRocksDBDefaultArenaBlockSize`: writeBufferSize / 8, aligned up to 4 KiB. */
export function rocksDbArenaBlockSize(writeBufferSize: bigint): bigint {
  const arena = writeBufferSize / 8n;
  const align = 4096n;
  return ((arena + align - 1n) / align) * align;
}

/** `calculateRocksDBMutableLimit`: bufferSize × 7 / 8. */
export function rocksDbMutableLimit(bufferSize: bigint): bigint {
  return (bufferSize * 7n) / 8n;
}

export interface RocksDbSlotMemory {
  /** The state backend's share of the slot's managed memory. */
  budget: bigint;
  blockCache: bigint;
  writeBufferManager: bigint;
}

/**
 * The RocksDB memory of one slot: its managed memory × the state backend's fraction, split into
 * the shared block cache and the write-buffer manager (charged inside the cache). For a default
 * 1728m TaskManager with one slot: cache 447,392,433 and WBM 178,956,973 bytes.
 */
export function rocksDbSlotMemory(
  slotManagedBytes: bigint,
  options: { useCases?: readonly ManagedMemoryUseCase[]; writeBufferRatio?: number } = {},
): RocksDbSlotMemory {
  const fractions = managedMemoryFractions(options.useCases ?? ['STATE_BACKEND']);
  const budget = managedMemoryForFraction(slotManagedBytes, fractions.STATE_BACKEND ?? 0);
  const ratio = options.writeBufferRatio ?? DEFAULT_WRITE_BUFFER_RATIO;
  return {
    budget,
    blockCache: rocksDbCacheCapacity(budget, ratio),
    writeBufferManager: rocksDbWriteBufferManagerCapacity(budget, ratio),
  };
}
