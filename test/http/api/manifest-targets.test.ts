import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { hourlyWindowSpec, statelessEtlSpec } from '../../fixtures/stateful-specs.js';
import { buildTestApp, type TestApp } from '../../support/app.js';
import { FlinkDeploymentSchema } from '../../support/flinkdeployment-schema.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => t.close());

const stateful = hourlyWindowSpec('1.20');
const post = (url: string, payload: object = stateful) => t.app.inject({ method: 'POST', url, payload });

describe('deployment targets over HTTP', () => {
  it.each([
    ['kubernetes-application', 'flink-job-kubernetes.sh', 'run-application -t kubernetes-application'],
    ['yarn-application', 'flink-job-yarn.sh', 'run-application -t yarn-application'],
    ['standalone', 'flink-job-standalone.sh', 'conf/workers'],
  ])('renders %s as a bash script download', async (format, filename, content) => {
    const res = await post(`/api/v1/manifests/${format}?checkpointDir=s3://b/flink/job`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/x-shellscript; charset=utf-8');
    expect(res.headers['content-disposition']).toContain(`filename="${filename}"`);
    expect(res.body.startsWith('#!/usr/bin/env bash\n')).toBe(true);
    expect(res.body).toContain(content);
    expect(res.headers.warning).toBeUndefined();
  });

  it('refuses mesos with a problem that says Flink removed it and where to go instead', async () => {
    const res = await post('/api/v1/manifests/mesos');
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const [error] = res.json().errors;
    expect(error.path).toBe('params.format');
    expect(error.message).toMatch(/Flink removed Mesos support in 1\.14/);
    expect(error.message).toMatch(/Kubernetes .*YARN/);
  });

  it('says an unknown format is unknown, listing the ones there are', async () => {
    const res = await post('/api/v1/manifests/helm');
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].message).toContain('yarn-application');
  });

  it('has no JSON form for a script', async () => {
    const res = await post('/api/v1/manifests/yarn-application?output=json');
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0]).toMatchObject({ path: 'query.output' });
  });
});

describe('stateful exports over HTTP', () => {
  it('answers 200 with a Warning header when a stateful job has no checkpoint directory', async () => {
    const res = await post('/api/v1/manifests/flink-deployment');
    expect(res.statusCode).toBe(200);
    expect(res.headers.warning).toMatch(
      /^299 flink-estimator "stateful job exported without a checkpoint directory: .*"$/,
    );
    expect(res.body).toContain('# WARNING: No checkpoint directory');
  });

  it('configures last-state with checkpointDir, and no Warning', async () => {
    const res = await post(
      '/api/v1/manifests/flink-deployment?checkpointDir=s3://analytics/flink/clicks&output=json',
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers.warning).toBeUndefined();
    const resource = FlinkDeploymentSchema.parse(res.json());
    expect(resource.spec.job?.upgradeMode).toBe('last-state');
    expect(resource.spec.flinkConfiguration?.['execution.checkpointing.dir']).toBe(
      's3://analytics/flink/clicks',
    );
  });

  it('does not warn for a stateless job', async () => {
    const res = await post('/api/v1/manifests/flink-deployment', statelessEtlSpec());
    expect(res.statusCode).toBe(200);
    expect(res.headers.warning).toBeUndefined();
  });

  it.each(['not a uri', 'relative/path', 's3://bucket/x#frag', 'javascript:alert(1)'])(
    'refuses checkpointDir=%j with a problem naming the parameter',
    async (dir) => {
      const res = await post(`/api/v1/manifests/flink-config?checkpointDir=${encodeURIComponent(dir)}`);
      expect(res.statusCode).toBe(400);
      expect(res.json().errors[0].path).toBe('query.checkpointDir');
    },
  );

  it('refuses YARN allocations that are not positive whole megabytes', async () => {
    const res = await post('/api/v1/manifests/yarn-application?yarnMinAllocationMb=-5');
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].path).toBe('query.yarnMinAllocationMb');
  });

  it('exports a saved estimation with checkpointDir and YARN rounding', async () => {
    const saved = await post('/api/v1/estimations', { name: 'Clicks per hour', spec: stateful });
    const id = saved.json().id;
    const res = await t.app.inject({
      url: `/api/v1/estimations/${id}/manifests/yarn-application?checkpointDir=hdfs:///flink/clicks&yarnMinAllocationMb=1024&yarnMaxAllocationMb=8192`,
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('-Dexecution.checkpointing.dir=hdfs:///flink/clicks');
    expect(res.headers['content-disposition']).toContain('filename="clicks-per-hour-yarn.sh"');
    // Whether the TaskManager fits the 8192 MB maximum depends on the plan: the header says so when not.
    const tm = saved.json().estimate.taskManagers.memory.totalProcessMemory / 1048576;
    if (tm > 8192) expect(res.headers.warning).toContain('yarn.scheduler.maximum-allocation-mb');
    else expect(res.headers.warning).toBeUndefined();
    const resource = parse(
      (
        await t.app.inject({
          url: `/api/v1/estimations/${id}/manifests/flink-deployment?checkpointDir=s3://b/c`,
        })
      ).body,
    );
    expect(resource.spec.job.upgradeMode).toBe('last-state');
  });
});

describe('managed platform prices', () => {
  it('prices every estimate on AWS and Confluent Cloud, with prices set in configuration', async () => {
    const priced = await buildTestApp({ PRICE_AWS_KPU_HOUR: '0.2', PRICE_CONFLUENT_CFU_HOUR: '0.3' });
    try {
      const model = (await priced.app.inject({ url: '/api/v1/model' })).json();
      expect(model.pricing.platforms.awsManagedFlink).toMatchObject({
        perKpuHour: 0.2,
        source: 'configuration (PRICE_AWS_KPU_HOUR)',
      });
      const res = await priced.app.inject({ method: 'POST', url: '/api/v1/estimates', payload: stateful });
      expect(res.statusCode).toBe(200);
      const { platforms } = res.json().cost;
      const kpus = platforms['aws-managed-flink'].kpus;
      expect(platforms['aws-managed-flink'].perKpuHour).toBe(0.2);
      // KPU-hours at the configured price plus 50 GB of running storage per KPU at $0.10.
      expect(platforms['aws-managed-flink'].monthly).toBeCloseTo(kpus * 0.2 * 730 + (kpus - 1) * 5, 2);
      expect(platforms['confluent-cloud'].perCfuHour).toBe(0.3);
      expect(platforms['confluent-cloud'].heuristic).toBe(true);
    } finally {
      await priced.close();
    }
  });
});
