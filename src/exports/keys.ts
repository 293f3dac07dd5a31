import type { FlinkVersion } from '../estimator/memory/types.js';

/**
 * Checkpointing options renamed in Flink 1.20 (the old keys stay as deprecated fallbacks in 1.20
 * and are removed in 2.0; release notes 1.20 "Deprecated configuration options" and 2.0
 * "Removed configuration options"). Pairs are [before 1.20, 1.20 and later].
 */
const RENAMED_IN_1_20: readonly (readonly [string, string])[] = [
  ['state.backend.incremental', 'execution.checkpointing.incremental'],
  ['state.checkpoints.dir', 'execution.checkpointing.dir'],
  ['state.savepoints.dir', 'execution.checkpointing.savepoint-dir'],
  ['state.checkpoints.num-retained', 'execution.checkpointing.num-retained'],
  ['state.checkpoint-storage', 'execution.checkpointing.storage'],
  ['state.backend.local-recovery', 'execution.state-recovery.from-local'],
  ['execution.checkpointing.unaligned', 'execution.checkpointing.unaligned.enabled'],
];

/** Keys removed in Flink 2.0 whose replacement existed long before (`state.backend` since 1.17). */
const RENAMED_IN_2_0: readonly (readonly [string, string])[] = [['state.backend', 'state.backend.type']];

const before120 = (version: FlinkVersion) => version === '1.18' || version === '1.19';
const before20 = (version: FlinkVersion) => version.startsWith('1.');

/**
 * The options spelt as `version` reads them: 1.18/1.19 get the old checkpointing keys (the new
 * ones do not exist there), 1.20 and 2.x the new ones (2.x no longer reads the old ones). When
 * both spellings are present the one native to the version wins.
 */
export function keysForVersion(
  options: Record<string, string>,
  version: FlinkVersion,
): Record<string, string> {
  const rename = new Map<string, string>();
  for (const [oldKey, newKey] of RENAMED_IN_1_20) {
    if (before120(version)) rename.set(newKey, oldKey);
    else rename.set(oldKey, newKey);
  }
  if (!before20(version)) for (const [oldKey, newKey] of RENAMED_IN_2_0) rename.set(oldKey, newKey);
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(options)) {
    const target = rename.get(key);
    if (target === undefined) out[key] = value;
    else if (!(target in options)) out[target] = value;
  }
  return out;
}

/** Every key a version no longer (or does not yet) read, for tests and callers that check output. */
export function foreignKeys(version: FlinkVersion): string[] {
  const keys = RENAMED_IN_1_20.map(([oldKey, newKey]) => (before120(version) ? newKey : oldKey));
  if (!before20(version)) keys.push(...RENAMED_IN_2_0.map(([oldKey]) => oldKey));
  return keys;
}
