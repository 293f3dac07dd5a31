/**
 * What changes in the memory model from one Flink release to the next.
 *
 * Sources read for each entry:
 * - network.max default: 1g up to 1.16, `MemorySize.MAX_VALUE` from 1.17 (FLINK-30469 /
 *   FLINK-30472, apache/flink PR #21618; release notes 1.17 "Simplify network memory
 *   configurations for TaskManager"). release-1.20 `TaskManagerOptions.NETWORK_MEMORY_MAX`
 *   (WangS-C/flink-1.20) and the 2.x `TaskManagerOptions` (apache/flink a4628798) both default to
 *   MAX_VALUE.
 * - `taskmanager.network.numberOfBuffers` (legacy network size = buffers × segment size, used
 *   only when no `taskmanager.memory.network.*` key is set): present and deprecated in 1.20
 *   (`NettyShuffleEnvironmentOptions.NETWORK_NUM_BUFFERS`,
 *   `TaskExecutorFlinkMemoryUtils.isUsingLegacyNetworkConfigs`); removed for 2.0 by FLINK-33750
 *   (apache/flink PR #25355 "Remove 'taskmanager.network.numberOfBuffers'").
 * - Legacy heap options `taskmanager.heap.size`/`.mb` and `jobmanager.heap.size`/`.mb`
 *   (`MemoryBackwardsCompatibilityUtils`): present in 1.20; removed for 2.0 by the same PR
 *   ("Remove legacy memory config option"); the 2.x `TaskManagerOptions` no longer declares them.
 * - Deprecated aliases kept in 2.x (read in apache/flink a4628798 `TaskManagerOptions`):
 *   `taskmanager.memory.size` → `taskmanager.memory.managed.size`,
 *   `taskmanager.network.memory.min|max|fraction` → `taskmanager.memory.network.min|max|fraction`.
 * - Every other default (framework 128m/128m, task off-heap 0, managed 0.4, network 64m/0.1,
 *   metaspace 256m, overhead 192m/1g/0.1, segment 32kb, slots 1) is the same in 1.11–1.20 and in
 *   the 2.x source read. The JobManager defaults were read in release-1.20 only; 2.x is assumed
 *   to keep them (only the legacy heap keys were removed there).
 */

import { LONG_MAX } from './java.js';
import { GiB } from './size.js';
import type { FlinkVersion } from './types.js';

export interface MemoryModelProfile {
  /** The release this profile describes, e.g. "1.20". */
  release: string;
  /** Default of `taskmanager.memory.network.max`. */
  networkMaxDefault: bigint;
  /** Whether `taskmanager.network.numberOfBuffers` still sizes network memory. */
  legacyNetworkBuffers: boolean;
  /** Whether `taskmanager.heap.size|mb` / `jobmanager.heap.size|mb` are still mapped. */
  legacyHeapOptions: boolean;
}

/**
 * The memory-model profile of a Flink release ("1.11" … "1.20", "2.0", "2.1"). Releases before
 * 1.11 (FLIP-49's first version, 1.10, had a 96m metaspace default) are not modelled.
 *
 * @throws RangeError for a release outside 1.11–2.x
 */
export function memoryModelProfile(release: string): MemoryModelProfile {
  const match = /^(\d+)\.(\d+)$/.exec(release);
  if (!match) throw new RangeError(`Unknown Flink release '${release}'`);
  const major = Number(match[1]);
  const minor = Number(match[2]);
  if (major === 1 && minor >= 11) {
    return {
      release,
      networkMaxDefault: minor <= 16 ? GiB : LONG_MAX,
      legacyNetworkBuffers: true,
      legacyHeapOptions: true,
    };
  }
  if (major === 2) {
    return { release, networkMaxDefault: LONG_MAX, legacyNetworkBuffers: false, legacyHeapOptions: false };
  }
  throw new RangeError(`Flink ${release} is not modelled (FLIP-49/FLIP-116 memory model, 1.11–2.x)`);
}

/** Profiles already read, by version: every derivation asks for one (a handful of versions exist). */
const profiles = new Map<FlinkVersion, MemoryModelProfile>();

/** The profile for one of the estimator's supported versions. */
export function profileFor(version: FlinkVersion): MemoryModelProfile {
  let profile = profiles.get(version);
  if (profile === undefined) {
    profile = Object.freeze(memoryModelProfile(version));
    profiles.set(version, profile);
  }
  return profile;
}
