/**
 * How the plan's pods pack onto the user's nodes (docs/exports.md, "Node fit").
 *
 * A node gives pods what is left after the kubelet's reserves: kube-reserved and system-reserved
 * CPU and memory and the hard eviction threshold (Kubernetes "Reserve Compute Resources for System
 * Daemons"). Each managed Kubernetes documents its defaults, used when `cloud` names it:
 * - GKE ("Plan node sizes"): memory 25 % of the first 4 GiB, 20 % of the next 4, 10 % of the next
 *   8, 6 % of the next 112, 2 % above 128 GiB (255 MiB below 1 GiB); CPU 6 % of the first core,
 *   1 % of the second, 0.5 % of the next two, 0.25 % above four; eviction at 100 MiB.
 * - EKS (the Amazon Linux AMI's bootstrap): memory 11 MiB per pod of max-pods + 255 MiB; CPU as GKE;
 *   eviction at 100 MiB.
 * - AKS ("Node resource reservations", Kubernetes 1.29+): memory 20 MB per pod of max-pods + 50 MB,
 *   at most 25 % of the node; CPU by core count (60m for 1 core … 740m for 64); eviction at 100 MiB.
 * Without `cloud` the shape is taken as allocatable already, as `kubectl describe node` shows it.
 * Checked on 2026-12-02: AKS's CPU table (60, 100, 140, 180, 260, 420, 740 millicores for 1–64
 * cores), its memory rule (the lesser of 20 MB × max-pods + 50 MB and 25 % of the node) and its
 * 100 Mi eviction threshold, against https://learn.microsoft.com/azure/aks/node-resource-reservations;
 * GKE's memory tiers and 100 MiB eviction, against
 * https://cloud.google.com/kubernetes-engine/docs/concepts/plan-node-sizes#memory_and_cpu_reservations
 * (as quoted by a calculator built on it). EKS's rules, against the Amazon Linux 2 AMI's
 * https://github.com/awslabs/amazon-eks-ami/blob/0158a1ea2c5de86e99048de507eaa75f9e181110/files/bootstrap.sh
 * (get_memory_mebibytes_to_reserve: 11 × max-pods + 255 Mi; get_cpu_millicores_to_reserve: 600,
 * 100, 50, 25 hundredths of a percent over 0–1, 1–2, 2–4 and 4+ cores, "CPU ranges from GKE", so
 * this is also the source for GKE's CPU tiers; evictionHard memory.available 100Mi). The AMI
 * takes max-pods per instance type from eni-max-pods.txt (ENIs × (IPv4 per ENI − 1) + 2, e.g.
 * 58 for m5.xlarge/2xlarge, 234 for m5.4xlarge), which a node shape does not name: without
 * `maxPods` EKS assumes Kubernetes' 110 (fewer pods reserve less: set nodeShape.maxPods to the type's).
 *
 * Flink sets each pod's memory limit to its request (kubernetes.*.memory.limit-factor 1.0) and its
 * CPU limit to its request (cpu.limit-factor 1.0): Guaranteed QoS, evicted last. A pod is
 * OOM-killed when its process outgrows the limit — Flink bounds heap, managed and network memory,
 * but native memory outside them (RocksDB beyond managed memory, glibc arenas, thread stacks)
 * must fit in the JVM overhead.
 */

import { z } from 'zod';

import { type ClusterSpec, NODE_CLOUDS } from '../jobspec/constraints.js';
import { parseKubernetesQuantityBytes } from '../jobspec/quantity.js';

export type Cloud = (typeof NODE_CLOUDS)[number];

export interface NodeShape {
  cpu: number;
  memoryBytes: number;
  /** The managed Kubernetes whose documented reserves apply; absent = the shape is allocatable already. */
  cloud?: Cloud | undefined;
  /** The node's max-pods (EKS and AKS reserve memory per pod); defaults per cloud below. */
  maxPods?: number | undefined;
}

/** The spec's `cluster.nodeShape` in bytes and cores, if it gives one. */
export function nodeShapeOf(cluster: ClusterSpec): NodeShape | undefined {
  const shape = cluster.nodeShape;
  return (
    shape && {
      cpu: shape.cpu,
      memoryBytes: Number(parseKubernetesQuantityBytes(shape.memory)),
      cloud: shape.cloud,
      maxPods: shape.maxPods,
    }
  );
}

export interface PodShape {
  cpu: number;
  memoryBytes: number;
}

const MiB = 2 ** 20;
const GiB = 2 ** 30;
const EVICTION_HARD_BYTES = 100 * MiB;

/**
 * The volume a TaskManager pod claims for RocksDB's working files: the plan's local disk, rounded
 * up to whole GiB (the exports request it as a generic ephemeral volume, docs/exports.md).
 */
export const rocksDbVolumeBytes = (localDiskBytes: number) =>
  Math.max(1, Math.ceil(localDiskBytes / GiB)) * GiB;

/** The node's max-pods: the one given, or the figure assumed and what it rests on. */
export interface MaxPods {
  value: number;
  assumed: boolean;
  basis: string;
}

/**
 * The max-pods assumed when the node shape gives none. The kubelet's own default is 110
 * (KubeletConfiguration maxPods); EKS's AMI replaces it per instance type (eni-max-pods.txt, see
 * above), GKE Standard node pools default to 110, AKS with Azure CNI Overlay to 250 (kubenet 110).
 */
const ASSUMED_MAX_PODS: Record<Cloud | 'allocatable', MaxPods> = {
  eks: {
    value: 110,
    assumed: true,
    basis:
      'the kubelet’s default; EKS’s AMI sets max-pods per instance type from its network interfaces (58 on m5.xlarge and m5.2xlarge, 234 on m5.4xlarge), and EKS reserves 11 MiB of memory per pod of it, so set cluster.nodeShape.maxPods to your instance type’s',
  },
  gke: {
    value: 110,
    assumed: true,
    basis:
      'GKE Standard’s default maximum pods per node (Autopilot allows 32); set cluster.nodeShape.maxPods if your node pool differs',
  },
  aks: {
    value: 250,
    assumed: true,
    basis:
      'AKS’s default with Azure CNI Overlay (kubenet: 110); AKS reserves 20 MB of memory per pod of it, so set cluster.nodeShape.maxPods to your node pool’s',
  },
  allocatable: {
    value: 110,
    assumed: true,
    basis: 'the kubelet’s default (--max-pods); set cluster.nodeShape.maxPods if your nodes differ',
  },
};

export function maxPodsOf(node: NodeShape): MaxPods {
  if (node.maxPods !== undefined)
    return { value: node.maxPods, assumed: false, basis: 'cluster.nodeShape.maxPods' };
  return ASSUMED_MAX_PODS[node.cloud ?? 'allocatable'];
}

/** The sum of each tier's share of the part of `amount` that falls in it (tiers in order, sizes in amount's unit). */
function tiered(amount: number, tiers: readonly (readonly [number, number])[]): number {
  let left = amount;
  let reserve = 0;
  for (const [size, share] of tiers) {
    const part = Math.min(left, size);
    reserve += part * share;
    left -= part;
    if (left <= 0) break;
  }
  return reserve;
}

/** GKE's and EKS's CPU reserve: 6 % of the first core, 1 % of the next, 0.5 % of the next 2, 0.25 % above 4. */
const tieredCpuReserve = (cores: number) =>
  tiered(cores, [
    [1, 0.06],
    [1, 0.01],
    [2, 0.005],
    [Number.POSITIVE_INFINITY, 0.0025],
  ]);

/** GKE's memory reserve by tiers of the node's memory (255 MiB below 1 GiB). */
const gkeMemoryReserve = (bytes: number) =>
  bytes < GiB
    ? 255 * MiB
    : tiered(bytes, [
        [4 * GiB, 0.25],
        [4 * GiB, 0.2],
        [8 * GiB, 0.1],
        [112 * GiB, 0.06],
        [Number.POSITIVE_INFINITY, 0.02],
      ]);

/** AKS's CPU reserve in cores, by the node's core count (the table in "Node resource reservations"). */
function aksCpuReserve(cores: number): number {
  const table: [number, number][] = [
    [1, 0.06],
    [2, 0.1],
    [4, 0.14],
    [8, 0.18],
    [16, 0.26],
    [32, 0.42],
    [64, 0.74],
  ];
  let reserve = 0.06;
  for (const [atLeast, value] of table) if (cores >= atLeast) reserve = value;
  return reserve;
}

export interface Reserves {
  cpu: number;
  memoryBytes: number;
  evictionBytes: number;
}

/** What the node keeps for the system under the cloud's documented defaults. */
export function systemReserves(node: NodeShape): Reserves {
  if (node.cloud === undefined) return { cpu: 0, memoryBytes: 0, evictionBytes: 0 };
  const pods = maxPodsOf(node).value;
  switch (node.cloud) {
    case 'gke':
      return {
        cpu: tieredCpuReserve(node.cpu),
        memoryBytes: gkeMemoryReserve(node.memoryBytes),
        evictionBytes: EVICTION_HARD_BYTES,
      };
    case 'eks':
      return {
        cpu: tieredCpuReserve(node.cpu),
        memoryBytes: (11 * pods + 255) * MiB,
        evictionBytes: EVICTION_HARD_BYTES,
      };
    case 'aks':
      return {
        cpu: aksCpuReserve(node.cpu),
        memoryBytes: Math.min((20 * pods + 50) * 1e6, 0.25 * node.memoryBytes),
        evictionBytes: EVICTION_HARD_BYTES,
      };
  }
}

/** CPU and memory pods can request on the node. */
export function allocatable(node: NodeShape): PodShape {
  const r = systemReserves(node);
  return {
    cpu: Math.max(0, node.cpu - r.cpu),
    memoryBytes: Math.max(0, node.memoryBytes - r.memoryBytes - r.evictionBytes),
  };
}

/** How many pods of a shape fit on a node: the scheduler admits a pod while its requests fit. */
export function podsPerNode(space: PodShape, pod: PodShape): number {
  // Millicores, as the scheduler counts CPU, so 0.1 + 0.2 sums exactly.
  const cpu = Math.floor(Math.round(space.cpu * 1000) / Math.round(pod.cpu * 1000));
  return Math.max(0, Math.min(cpu, Math.floor(space.memoryBytes / pod.memoryBytes)));
}

/**
 * The TaskManager CPU (among `candidates`) whose pods fill a node best, for a TaskManager whose
 * memory grows with its CPU at `memoryPerCoreBytes`: the candidate that leaves the least of the
 * node's allocatable CPU unused, the larger one on a tie (fewer JVMs, more slots share a JVM).
 * The TaskManager-shape rules may take it as a preference when the user gives a node shape.
 */
export function packingTaskManagerCpu(
  node: NodeShape,
  memoryPerCoreBytes: number,
  candidates: readonly number[] = [1, 2, 4, 8, 16],
): { cpu: number; perNode: number; cpuFill: number } | undefined {
  const space = allocatable(node);
  const cap = maxPodsOf(node).value;
  let best: { cpu: number; perNode: number; cpuFill: number } | undefined;
  for (const cpu of candidates) {
    const perNode = Math.min(cap, podsPerNode(space, { cpu, memoryBytes: cpu * memoryPerCoreBytes }));
    if (perNode === 0) continue;
    const cpuFill = (perNode * cpu) / space.cpu;
    if (
      !best ||
      cpuFill > best.cpuFill + 1e-9 ||
      (Math.abs(cpuFill - best.cpuFill) <= 1e-9 && cpu > best.cpu)
    )
      best = { cpu, perNode, cpuFill };
  }
  return best;
}

export interface OomRisk {
  pod: 'taskmanager' | 'jobmanager';
  level: 'low' | 'medium' | 'high';
  reason: string;
}

export interface NodeFitInput {
  node: NodeShape;
  taskManagers: {
    count: number;
    cpu: number;
    processMemoryBytes: number;
    jvmOverheadBytes: number;
    /** RocksDB's local disk per TaskManager (0: none needed). */
    localDiskBytes?: number;
  };
  jobManager: { cpu: number; processMemoryBytes: number };
  backend: 'rocksdb' | 'hashmap';
}

export interface NodeFit {
  count: number;
  taskManagersPerNode: number;
  jobManagerOnTaskManagerNode: boolean;
  fits: boolean;
  allocatable: { cpu: number; memoryBytes: number };
  reserved: { cpu: number; memoryBytes: number; evictionBytes: number };
  reservesFrom: Cloud | 'allocatable as given';
  /** The max-pods that caps pods per node (and sets EKS's and AKS's memory reserve). */
  maxPods: MaxPods;
  pods: {
    taskManager: {
      cpuRequest: number;
      cpuLimit: number;
      memoryRequestBytes: number;
      memoryLimitBytes: number;
    };
    jobManager: {
      cpuRequest: number;
      cpuLimit: number;
      memoryRequestBytes: number;
      memoryLimitBytes: number;
    };
  };
  /** Requested ÷ allocatable over all nodes. */
  utilization: { cpu: number; memory: number };
  /** The share of the emptiest node's allocatable CPU left unrequested (the last node's). */
  emptiestNodeIdleShare: number;
  oomRisk: OomRisk[];
  /** A TaskManager CPU whose pods fill the node better, when the plan's leaves over a third idle. */
  betterTaskManagerCpu?: number;
  /** The volume each TaskManager pod claims for RocksDB, when RocksDB needs local disk. */
  rocksDbVolume?: { perTaskManagerBytes: number; totalBytes: number };
}

/** Native memory RocksDB may use beyond managed memory needs this much JVM overhead to be safe. */
const ROCKSDB_OVERHEAD_SHARE = 0.1;

/** Packs the plan's TaskManagers and JobManager onto nodes of the given shape. */
export function nodeFit(input: NodeFitInput): NodeFit {
  const { node, taskManagers: tm, jobManager: jm } = input;
  const space = allocatable(node);
  const reserves = systemReserves(node);
  const tmPod = { cpu: tm.cpu, memoryBytes: tm.processMemoryBytes };
  const jmPod = { cpu: jm.cpu, memoryBytes: jm.processMemoryBytes };
  // The kubelet admits no pod beyond max-pods, whatever CPU and memory are left (DaemonSet pods
  // count too, which the plan cannot see).
  const maxPods = maxPodsOf(node);
  const perNode = Math.min(maxPods.value, podsPerNode(space, tmPod));
  const fits = perNode > 0 && podsPerNode(space, jmPod) > 0;
  const tmNodes = perNode > 0 ? Math.ceil(tm.count / perNode) : tm.count;
  const onLast = perNode > 0 ? tm.count - (tmNodes - 1) * perNode : 1;
  const leftOnLast = {
    cpu: space.cpu - onLast * tm.cpu,
    memoryBytes: space.memoryBytes - onLast * tm.processMemoryBytes,
  };
  const jmShares = perNode > 0 && onLast < maxPods.value && podsPerNode(leftOnLast, jmPod) > 0;
  const count = tmNodes + (jmShares ? 0 : 1);
  const requestedCpu = tm.count * tm.cpu + jm.cpu;
  const requestedMemory = tm.count * tm.processMemoryBytes + jm.processMemoryBytes;
  const lastCpu = onLast * tm.cpu + (jmShares ? jm.cpu : 0);
  const emptiestNodeIdleShare = space.cpu > 0 ? Math.max(0, 1 - lastCpu / space.cpu) : 1;
  const overheadShare = tm.jvmOverheadBytes / tm.processMemoryBytes;
  const oomRisk: OomRisk[] = [
    input.backend === 'rocksdb'
      ? overheadShare < ROCKSDB_OVERHEAD_SHARE
        ? {
            pod: 'taskmanager',
            level: 'medium',
            reason: `RocksDB can allocate native memory beyond managed memory (iterators, index blocks, allocator fragmentation); the JVM overhead (${(overheadShare * 100).toFixed(1)} % of the pod) is the only headroom under the memory limit — raise taskmanager.memory.jvm-overhead.fraction if pods are OOM-killed`,
          }
        : {
            pod: 'taskmanager',
            level: 'low',
            reason: `RocksDB is bounded by managed memory, and the JVM overhead (${(overheadShare * 100).toFixed(1)} % of the pod) covers its native memory beyond it`,
          }
      : {
          pod: 'taskmanager',
          level: 'low',
          reason: 'HashMap state lives on the bounded JVM heap; native memory stays within the JVM overhead',
        },
    { pod: 'jobmanager', level: 'low', reason: 'the JobManager keeps no state of its own beyond its heap' },
  ];
  const resources = (pod: PodShape) => ({
    cpuRequest: pod.cpu,
    cpuLimit: pod.cpu,
    memoryRequestBytes: pod.memoryBytes,
    memoryLimitBytes: pod.memoryBytes,
  });
  const fit: NodeFit = {
    count,
    taskManagersPerNode: perNode,
    jobManagerOnTaskManagerNode: jmShares,
    fits,
    allocatable: space,
    reserved: { cpu: reserves.cpu, memoryBytes: reserves.memoryBytes, evictionBytes: reserves.evictionBytes },
    reservesFrom: node.cloud ?? 'allocatable as given',
    maxPods,
    pods: { taskManager: resources(tmPod), jobManager: resources(jmPod) },
    utilization: {
      cpu: count > 0 ? requestedCpu / (count * space.cpu) : 0,
      memory: count > 0 ? requestedMemory / (count * space.memoryBytes) : 0,
    },
    emptiestNodeIdleShare,
    oomRisk,
  };
  // A generic ephemeral volume comes from the storage class, not the node's own disk, so it does
  // not limit pods per node; the total is what the cluster's storage must provide.
  if (input.backend === 'rocksdb' && (tm.localDiskBytes ?? 0) > 0) {
    const perTaskManagerBytes = rocksDbVolumeBytes(tm.localDiskBytes ?? 0);
    fit.rocksDbVolume = { perTaskManagerBytes, totalBytes: perTaskManagerBytes * tm.count };
  }
  const perNodeFill = perNode > 0 ? (perNode * tm.cpu) / space.cpu : 0;
  if (perNodeFill < 2 / 3 || (tmNodes > 1 && emptiestNodeIdleShare > 2 / 3)) {
    const better = packingTaskManagerCpu(node, tm.processMemoryBytes / tm.cpu);
    if (better && better.cpu !== tm.cpu && better.cpuFill > perNodeFill)
      fit.betterTaskManagerCpu = better.cpu;
  }
  return fit;
}

const Share = z.number().min(0);
const PodResources = z.strictObject({
  cpuRequest: z.number().min(0),
  cpuLimit: z.number().min(0),
  memoryRequestBytes: z.number().int().min(0),
  memoryLimitBytes: z.number().int().min(0),
});

export const NodeFitSchema = z
  .strictObject({
    count: z.number().int().min(0).describe('Nodes the plan needs'),
    taskManagersPerNode: z
      .number()
      .int()
      .min(0)
      .describe('TaskManager pods one node holds (0: one does not fit)'),
    jobManagerOnTaskManagerNode: z
      .boolean()
      .describe('Whether the JobManager fits beside the last node’s TaskManagers'),
    fits: z.boolean().describe('Whether one TaskManager and the JobManager each fit on a node at all'),
    allocatable: z.strictObject({ cpu: z.number().min(0), memoryBytes: z.number().min(0) }),
    reserved: z.strictObject({
      cpu: z.number().min(0),
      memoryBytes: z.number().min(0),
      evictionBytes: z.number().min(0),
    }),
    reservesFrom: z
      .enum([...NODE_CLOUDS, 'allocatable as given'])
      .describe('Whose documented reserves were subtracted'),
    maxPods: z
      .strictObject({
        value: z.number().int().min(1).describe('Pods one node admits'),
        assumed: z.boolean().describe('true when cluster.nodeShape.maxPods was not given'),
        basis: z.string().describe('Where the figure comes from, and when to set it'),
      })
      .describe('The max-pods that caps pods per node and sets EKS’s and AKS’s per-pod memory reserve'),
    pods: z
      .strictObject({ taskManager: PodResources, jobManager: PodResources })
      .describe('Requests and limits per pod (Guaranteed QoS)'),
    utilization: z
      .strictObject({ cpu: Share, memory: Share })
      .describe('Requested ÷ allocatable over all nodes'),
    emptiestNodeIdleShare: Share.describe('Share of the emptiest node’s CPU left unrequested'),
    oomRisk: z.array(
      z.strictObject({
        pod: z.enum(['taskmanager', 'jobmanager']),
        level: z.enum(['low', 'medium', 'high']),
        reason: z.string(),
      }),
    ),
    rocksDbVolume: z
      .strictObject({
        perTaskManagerBytes: z.number().int().min(0),
        totalBytes: z.number().int().min(0),
      })
      .optional()
      .describe(
        'The volume each TaskManager pod claims for RocksDB (whole GiB, from the storage class, not the node’s disk), and all of them',
      ),
    betterTaskManagerCpu: z
      .number()
      .positive()
      .optional()
      .describe(
        'A TaskManager CPU whose pods fill the node better, when the plan’s leave over a third of it idle',
      ),
  })
  .describe('How the plan packs onto `cluster.nodeShape`');
