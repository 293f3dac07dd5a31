import { describe, expect, it } from 'vitest';
import { estimate } from '../../../src/estimator/index.js';
import {
  allocatable,
  nodeFit,
  packingTaskManagerCpu,
  podsPerNode,
  systemReserves,
} from '../../../src/estimator/node-fit.js';
import { JobSpecSchema } from '../../../src/jobspec/index.js';
import { EstimateSchema } from '../../../src/schemas/estimate.js';
import { hourlyWindowSpec } from '../../fixtures/stateful-specs.js';

const MiB = 2 ** 20;
const GiB = 2 ** 30;

describe('system reserves per cloud (documented defaults)', () => {
  it('GKE, 8 CPU / 32 GiB: tiered memory and CPU, 100 MiB eviction', () => {
    const r = systemReserves({ cpu: 8, memoryBytes: 32 * GiB, cloud: 'gke' });
    // 25 % × 4 + 20 % × 4 + 10 % × 8 + 6 % × 16 = 3.56 GiB; 6 % + 1 % + 0.5 % × 2 + 0.25 % × 4 = 0.09 cores.
    expect(r.memoryBytes).toBeCloseTo(3.56 * GiB, 0);
    expect(r.cpu).toBeCloseTo(0.09, 10);
    expect(r.evictionBytes).toBe(100 * MiB);
  });

  it('EKS: 11 MiB per pod of max-pods + 255 MiB', () => {
    expect(systemReserves({ cpu: 8, memoryBytes: 32 * GiB, cloud: 'eks', maxPods: 58 }).memoryBytes).toBe(
      893 * MiB,
    );
    expect(systemReserves({ cpu: 8, memoryBytes: 32 * GiB, cloud: 'eks' }).memoryBytes).toBe(
      (11 * 110 + 255) * MiB,
    );
  });

  it('AKS: 20 MB per pod + 50 MB, CPU from its table', () => {
    const r = systemReserves({ cpu: 8, memoryBytes: 32 * GiB, cloud: 'aks', maxPods: 30 });
    expect(r.memoryBytes).toBe(650e6);
    expect(r.cpu).toBe(0.18);
  });

  it('takes a shape without a cloud as allocatable already', () => {
    expect(allocatable({ cpu: 8, memoryBytes: 32 * GiB })).toEqual({ cpu: 8, memoryBytes: 32 * GiB });
  });
});

describe('packing pods onto nodes', () => {
  const node = { cpu: 8, memoryBytes: 32 * GiB };
  const packed = (count: number, cpu: number, memoryGiB: number, overheadShare = 0.1) =>
    nodeFit({
      node,
      taskManagers: {
        count,
        cpu,
        processMemoryBytes: memoryGiB * GiB,
        jvmOverheadBytes: overheadShare * memoryGiB * GiB,
      },
      jobManager: { cpu: 1, processMemoryBytes: 2 * GiB },
      backend: 'rocksdb',
    });

  it('10 TaskManagers of 2 CPU × 8 GiB: 4 per node, 3 nodes, the JobManager beside the last two', () => {
    const f = packed(10, 2, 8);
    expect(f).toMatchObject({
      count: 3,
      taskManagersPerNode: 4,
      jobManagerOnTaskManagerNode: true,
      fits: true,
    });
    expect(f.utilization.cpu).toBeCloseTo(21 / 24, 10);
    expect(f.emptiestNodeIdleShare).toBeCloseTo(1 - 5 / 8, 10);
    expect(f.betterTaskManagerCpu).toBeUndefined();
    expect(f.pods.taskManager).toEqual({
      cpuRequest: 2,
      cpuLimit: 2,
      memoryRequestBytes: 8 * GiB,
      memoryLimitBytes: 8 * GiB,
    });
  });

  it('gives the JobManager a node of its own when the last one is full', () => {
    expect(packed(8, 2, 8)).toMatchObject({ count: 3, jobManagerOnTaskManagerNode: false });
  });

  it('suggests a TaskManager shape when pods leave over a third of each node idle', () => {
    // 5 CPU × 10 GiB: one per node, 3 of 8 cores idle; at 2 GiB per core, 8-CPU TaskManagers fill it.
    const f = packed(4, 5, 10);
    expect(f.taskManagersPerNode).toBe(1);
    expect(f.betterTaskManagerCpu).toBe(8);
    expect(packingTaskManagerCpu(node, 2 * GiB)).toEqual({ cpu: 8, perNode: 1, cpuFill: 1 });
  });

  it('says when a TaskManager does not fit on a node at all', () => {
    expect(packed(2, 16, 8)).toMatchObject({ fits: false, taskManagersPerNode: 0 });
  });

  it('admits no more pods than max-pods, however much CPU and memory are left', () => {
    // 64 cores, 256 GiB allocatable, TaskManagers of 0.5 CPU × 1 GiB: 128 fit by resources, 110 by
    // the kubelet's default max-pods; 120 TaskManagers then need 2 nodes.
    const big = { cpu: 64, memoryBytes: 256 * GiB };
    const packWith = (maxPods?: number) =>
      nodeFit({
        node: { ...big, maxPods },
        taskManagers: { count: 120, cpu: 0.5, processMemoryBytes: GiB, jvmOverheadBytes: 0.1 * GiB },
        jobManager: { cpu: 1, processMemoryBytes: 2 * GiB },
        backend: 'rocksdb',
      });
    expect(packWith()).toMatchObject({
      taskManagersPerNode: 110,
      count: 2,
      jobManagerOnTaskManagerNode: true,
      maxPods: { value: 110, assumed: true },
    });
    // Max-pods 60: two full nodes of 60; the JobManager, a 121st pod, needs a third.
    expect(packWith(60)).toMatchObject({
      taskManagersPerNode: 60,
      count: 3,
      jobManagerOnTaskManagerNode: false,
      maxPods: { value: 60, assumed: false, basis: 'cluster.nodeShape.maxPods' },
    });
  });

  it('counts CPU in millicores, as the scheduler does', () => {
    expect(podsPerNode({ cpu: 0.3, memoryBytes: GiB }, { cpu: 0.1, memoryBytes: MiB })).toBe(3);
  });

  it('rates the OOM-kill risk from the headroom RocksDB has under the limit', () => {
    expect(packed(1, 2, 8, 0.05).oomRisk[0]).toMatchObject({ pod: 'taskmanager', level: 'medium' });
    expect(packed(1, 2, 8, 0.1).oomRisk[0]).toMatchObject({ pod: 'taskmanager', level: 'low' });
  });
});

describe('cluster.nodeShape in an estimate', () => {
  const spec = (nodeShape: object) =>
    JobSpecSchema.parse({ ...hourlyWindowSpec('1.20'), cluster: { nodeShape } });

  it('reports the nodes the plan needs after GKE’s reserves, and the Estimate schema accepts it', () => {
    const e = estimate(spec({ cpu: 8, memory: '32Gi', cloud: 'gke' }));
    const n = e.nodes;
    if (!n) throw new Error('nodes expected');
    EstimateSchema.parse(e);
    // 8 − 0.09 cores; 32 GiB − 3.56 GiB − 100 MiB.
    expect(n.allocatable.cpu).toBeCloseTo(7.91, 10);
    expect(n.allocatable.memoryBytes).toBeCloseTo(32 * GiB - 3.56 * GiB - 100 * MiB, 0);
    const tm = e.taskManagers;
    const perNode = Math.min(
      Math.floor(7.91 / tm.cpu),
      Math.floor(n.allocatable.memoryBytes / tm.memory.totalProcessMemory),
    );
    expect(n.taskManagersPerNode).toBe(perNode);
    expect(n.count).toBe(Math.ceil(tm.count / perNode) + (n.jobManagerOnTaskManagerNode ? 0 : 1));
    expect(e.explanation.find((x) => x.topic === 'nodes')?.text).toMatch(/GKE's documented reserves/);
    expect(e.warnings.map((w) => w.code)).not.toContain('POD_EXCEEDS_NODE');
  });

  it('says which max-pods it assumed when the node shape gives none, and why it matters on EKS', () => {
    const assumed = estimate(spec({ cpu: 8, memory: '32Gi', cloud: 'eks' }));
    expect(assumed.nodes?.maxPods).toMatchObject({ value: 110, assumed: true });
    const text = assumed.explanation.find((x) => x.topic === 'nodes')?.text ?? '';
    expect(text).toContain('Max-pods 110 was assumed');
    expect(text).toContain('58 on m5.xlarge');
    expect(text).toContain('set cluster.nodeShape.maxPods');
    // One node is "1 node", never "1 nodes".
    expect(assumed.nodes?.count).toBe(1);
    expect(text).toMatch(/^1 node: /);
    // Given, it is used as is: 58 pods reserve 11 × 58 + 255 = 893 MiB instead of 1,465 MiB.
    const given = estimate(spec({ cpu: 8, memory: '32Gi', cloud: 'eks', maxPods: 58 }));
    expect(given.nodes?.maxPods).toEqual({ value: 58, assumed: false, basis: 'cluster.nodeShape.maxPods' });
    expect(given.nodes?.reserved.memoryBytes).toBe(893 * MiB);
    expect(assumed.nodes?.reserved.memoryBytes).toBe(1465 * MiB);
    expect(given.explanation.find((x) => x.topic === 'nodes')?.text).toContain('Max-pods 58, as given.');
    EstimateSchema.parse(given);
  });

  it('says what volume each TaskManager claims for RocksDB, and the total the storage class must give', () => {
    const e = estimate(spec({ cpu: 8, memory: '32Gi', cloud: 'gke' }));
    expect(e.state.backend).toBe('rocksdb');
    const perTm = Math.ceil(e.taskManagers.localDiskBytes / GiB) * GiB; // whole GiB, as the pod template asks
    expect(e.nodes?.rocksDbVolume).toEqual({
      perTaskManagerBytes: perTm,
      totalBytes: perTm * e.taskManagers.count,
    });
    expect(e.explanation.find((x) => x.topic === 'nodes')?.text).toContain('volume for RocksDB');
    // HashMap state needs no volume.
    const hashmap = estimate(
      JobSpecSchema.parse({
        ...hourlyWindowSpec('1.20'),
        state: { backend: 'hashmap' },
        cluster: { nodeShape: { cpu: 8, memory: '32Gi' } },
      }),
    );
    expect(hashmap.nodes).toBeDefined();
    expect(hashmap.nodes).not.toHaveProperty('rocksDbVolume');
  });

  it('warns, critically, when a pod is larger than the node', () => {
    const e = estimate(spec({ cpu: 1, memory: '1Gi' }));
    expect(e.nodes?.fits).toBe(false);
    expect(e.warnings.find((w) => w.code === 'POD_EXCEEDS_NODE')).toMatchObject({ severity: 'critical' });
  });

  it('refuses a cloud it has no reserves for, naming the field', () => {
    const result = JobSpecSchema.safeParse({
      ...hourlyWindowSpec(),
      cluster: { nodeShape: { cpu: 8, memory: '32Gi', cloud: 'ibm' } },
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['cluster', 'nodeShape', 'cloud']);
  });

  it('leaves nodes out without a node shape', () => {
    expect(estimate(JobSpecSchema.parse(hourlyWindowSpec()))).not.toHaveProperty('nodes');
  });
});
