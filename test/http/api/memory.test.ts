import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../support/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => t.close());

const post = (url: string, payload: unknown) =>
  t.app.inject({ method: 'POST', url: `/api/v1/memory/${url}`, payload: payload as object });

describe('POST /api/v1/memory/taskmanager', () => {
  it('derives Flink’s shipped default (T1) byte for byte', async () => {
    const res = await post('taskmanager', { config: { 'taskmanager.memory.process.size': '1728m' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      valid: true,
      memory: {
        frameworkHeap: 134217728,
        taskHeap: 402653174,
        managed: 536870920,
        frameworkOffHeap: 134217728,
        taskOffHeap: 0,
        network: 134217730,
        jvmMetaspace: 268435456,
        jvmOverhead: 201326592,
        totalFlinkMemory: 1342177280,
        totalProcessMemory: 1811939328,
      },
      jvmArgs: {
        Xmx: 536870902,
        Xms: 536870902,
        MaxDirectMemorySize: 268435458,
        MaxMetaspaceSize: 268435456,
      },
      networkBuffers: 4096,
      containerMemoryMiB: 1728,
    });
  });

  it('answers a configuration Flink rejects with its message and the smallest fix (F10)', async () => {
    const res = await post('taskmanager', { config: { 'taskmanager.memory.process.size': '900m' } });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.valid).toBe(false);
    expect(body.error.message).toMatch(/^Sum of configured Framework Heap Memory/);
    expect(body.error.hint).toContain('982m');
  });

  it.each([
    [
      { 'taskmanager.memory.process.size': '1.5g' },
      "Could not parse value '1.5g' for key 'taskmanager.memory.process.size'.",
    ],
    [{ 'taskmanager.memory.process.size': '2g', 'taskmanager.memory.managed.fraction': 'abc' }, 'abc'],
    [
      { 'taskmanager.memory.process.size': '2g', 'taskmanager.cpu.cores': '0' },
      'positive number of CPU cores',
    ],
  ])('rejects %o as Flink does', async (config, message) => {
    const body = (await post('taskmanager', { config })).json();
    expect(body.valid).toBe(false);
    expect(body.error.message).toContain(message);
    expect(body.error.hint.length).toBeGreaterThan(0);
  });

  it('writes sizes above 2^53 exactly', async () => {
    const res = await post('taskmanager', {
      config: {
        'taskmanager.memory.task.heap.size': '10000t',
        'taskmanager.memory.managed.size': '1m',
        'taskmanager.memory.network.max': '1g',
      },
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('"taskHeap":10995116277760000');
    expect(res.body).toMatch(/"totalProcessMemory":\d{17}/);
  });

  it.each([
    ['a string body', '"hello"', ''],
    ['a config that is not an object', '{"config": [1, 2]}', 'config'],
    [
      'a non-string value',
      '{"config": {"taskmanager.memory.process.size": 1024}}',
      'config.taskmanager.memory.process.size',
    ],
    ['an unknown version', '{"flinkVersion": "1.9", "config": {}}', 'flinkVersion'],
  ])('answers %s with a 400 naming the field', async (_what, payload, path) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/memory/taskmanager',
      payload,
      headers: { 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().errors.map((e: { path: string }) => e.path)).toContain(path);
  });
});

describe('POST /api/v1/memory/jobmanager', () => {
  it('derives the shipped default (J1)', async () => {
    const body = (await post('jobmanager', { config: { 'jobmanager.memory.process.size': '1600m' } })).json();
    expect(body).toMatchObject({
      valid: true,
      memory: {
        jvmHeap: 1073741824,
        offHeap: 134217728,
        jvmMetaspace: 268435456,
        jvmOverhead: 201326592,
        totalProcessMemory: 1677721600,
      },
      jvmArgs: { MaxDirectMemorySize: null },
    });
  });

  it('rejects a total Flink memory below off-heap (J4)', async () => {
    const body = (await post('jobmanager', { config: { 'jobmanager.memory.flink.size': '128m' } })).json();
    expect(body.valid).toBe(false);
    expect(body.error.message).toContain('less than the configured Off-heap Memory');
  });
});

describe('reverse planner', () => {
  it('fills a container exactly and Flink accepts the options it returns', async () => {
    const plan = (
      await post('taskmanager/plan', { containerMemory: '8Gi', cpu: 2, slots: 2, managedMemoryPerSlot: '1g' })
    ).json();
    expect(plan.valid).toBe(true);
    expect(plan.containerSyntax).toBe('kubernetes');
    expect(plan.memory.totalProcessMemory).toBe(8 * 2 ** 30);
    expect(plan.memory.managed).toBe(2 * 2 ** 30);
    const again = (await post('taskmanager', { config: plan.config })).json();
    expect(again.memory).toEqual(plan.memory);
  });

  it('says what is missing when a request cannot fit', async () => {
    const plan = (
      await post('taskmanager/plan', { containerMemory: '1g', cpu: 1, slots: 1, managedMemoryPerSlot: '4g' })
    ).json();
    expect(plan.valid).toBe(false);
    expect(plan.error.message.length).toBeGreaterThan(0);
  });

  it('plans a JobManager container', async () => {
    const plan = (await post('jobmanager/plan', { containerMemory: '2g', cpu: 1 })).json();
    expect(plan.valid).toBe(true);
    expect(plan.memory.totalProcessMemory).toBe(2 ** 31);
  });

  it('rejects a malformed container size', async () => {
    const plan = (await post('taskmanager/plan', { containerMemory: 'lots', cpu: 1 })).json();
    expect(plan).toMatchObject({ valid: false, error: { code: 'PARSE' } });
  });
});
