import { describe, expect, it } from 'vitest';
import {
  fractionRoundedDown,
  managedMemoryForFraction,
  managedMemoryFractions,
  rocksDbArenaBlockSize,
  rocksDbCacheCapacity,
  rocksDbMutableLimit,
  rocksDbSlotMemory,
  rocksDbWriteBufferManagerCapacity,
} from '../../../../src/estimator/memory/rocksdb.js';

const MiB = 1024n * 1024n;

describe('RocksDB memory split (RocksDBMemoryControllerUtils)', () => {
  it('M = 2048, r = 0.5 → cache 1706, write-buffer manager 682', () => {
    expect(rocksDbCacheCapacity(2048n, 0.5)).toBe(1706n);
    expect(rocksDbWriteBufferManagerCapacity(2048n, 0.5)).toBe(682n);
  });

  it('default TaskManager (1 slot, M = 536870920) → cache 447392433, WBM 178956973', () => {
    expect(rocksDbCacheCapacity(536870920n)).toBe(447392433n);
    expect(rocksDbWriteBufferManagerCapacity(536870920n)).toBe(178956973n);
    expect(rocksDbSlotMemory(536870920n)).toEqual({
      budget: 536870920n,
      blockCache: 447392433n,
      writeBufferManager: 178956973n,
    });
  });

  it('arena block size = ceil4K(writeBufferSize / 8); mutable limit = 7/8', () => {
    expect(rocksDbArenaBlockSize(64n * MiB)).toBe(8n * MiB);
    expect(rocksDbArenaBlockSize(64n * MiB - 1n)).toBe(8n * MiB);
    expect(rocksDbArenaBlockSize(64n * MiB + 8n)).toBe(8n * MiB + 4096n);
    expect(rocksDbMutableLimit(64n * MiB)).toBe(56n * MiB);
  });
});

describe('managed-memory consumer weights (ManagedMemoryUtils)', () => {
  it('a pure RocksDB job gives the state backend all of the slot; RocksDB + Python 0.7 / 0.3', () => {
    expect(managedMemoryFractions(['STATE_BACKEND'])).toEqual({ STATE_BACKEND: 1 });
    expect(managedMemoryFractions(['STATE_BACKEND', 'PYTHON'])).toEqual({ STATE_BACKEND: 0.7, PYTHON: 0.3 });
  });

  it('rounds fractions down to 16 decimals', () => {
    expect(fractionRoundedDown(70, 170)).toBe(0.4117647058823529);
    expect(fractionRoundedDown(1, 3)).toBe(0.3333333333333333);
    expect(fractionRoundedDown(2, 3)).toBe(0.6666666666666666);
  });

  it('a slot budget is ⌊slot managed × fraction⌋', () => {
    expect(managedMemoryForFraction(1000n, 0.7)).toBe(700n);
    expect(managedMemoryForFraction(1001n, fractionRoundedDown(2, 3))).toBe(667n);
    expect(rocksDbSlotMemory(1000n, { useCases: ['STATE_BACKEND', 'PYTHON'] }).budget).toBe(700n);
  });
});
