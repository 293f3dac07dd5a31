/**
 * An in-process fake Flink JobManager (node:http on 127.0.0.1:0) answering the REST calls a
 * calibration makes, in the shapes Flink 1.18–1.20 really send (docs/static/generated/
 * rest_v1_dispatcher.yml and the JSON fixtures of the Flink Kubernetes Operator's tests), traps
 * included: aggregated metrics are a bare array, a request naming one missing metric answers [],
 * a source task's own numRecordsIn is 0, and numbers can be the string "NaN".
 *
 * Counters grow with the fake clock (`advance`), so a windowed calibration polls a job whose rates
 * are known exactly.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectSnapshot } from '../../src/calibration/flink-rest.js';
import { checkUrl, defaultFetchPolicy, Limiter, SafeClient } from '../../src/calibration/safety.js';

export const JOB_ID = 'a1b1b53c7c71e7199aa8c43bc703fe7f';
export const SOURCE_ID = 'bc764cd8ddf7a0cff126f51c16239658';
export const AGG_ID = '20ba6b65f97481d5570070de90e4e791';

export interface FakeVertexRates {
  /** Records/s the source operator reads (Source__bids.numRecordsIn). */
  sourceRecordsPerSecond: number;
  /** Records/s leaving the source vertex (filter keeps 80%). */
  sourceOutPerSecond: number;
  bytesPerRecord: number;
  sourceBusy: { min: number; max: number; avg: number } | 'NaN';
  aggBusy: { min: number; max: number; avg: number };
  /** Backlog growth per second, and the backlog at t = 0. */
  pendingPerSecond: number;
  pendingAtStart: number;
}

export const defaultRates: FakeVertexRates = {
  sourceRecordsPerSecond: 50_000,
  sourceOutPerSecond: 40_000,
  bytesPerRecord: 100,
  sourceBusy: { min: 350, max: 450, avg: 400 },
  aggBusy: { min: 500, max: 700, avg: 600 },
  pendingPerSecond: 0,
  pendingAtStart: 0,
};

const PARTITIONS = 12;

export interface FakeJobManager {
  url: string;
  /** Paths requested, in order (query strings included). */
  requests: string[];
  /** Authorization headers received. */
  authorizations: (string | undefined)[];
  /** Moves the fake clock on; counters grow accordingly. */
  advance(ms: number): void;
  now(): number;
  close(): Promise<void>;
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
  res.end(JSON.stringify(body));
};

const plan = {
  jid: JOB_ID,
  name: 'bids_per_auction',
  type: 'STREAMING',
  nodes: [
    {
      id: AGG_ID,
      parallelism: 4,
      operator: '',
      operator_strategy: '',
      description:
        '[4]:GroupAggregate(groupBy=[auction], select=[auction, COUNT(*) AS cnt])<br/>+- [5]:Sink(table=[[default_catalog, default_database, out]], fields=[auction, cnt])<br/>',
      inputs: [{ num: 0, id: SOURCE_ID, ship_strategy: 'HASH', exchange: 'pipelined_bounded' }],
      optimizer_properties: {},
    },
    {
      id: SOURCE_ID,
      parallelism: 2,
      operator: '',
      operator_strategy: '',
      description:
        '[1]:TableSourceScan(table=[[default_catalog, default_database, bids]], fields=[auction, price])<br/>+- [2]:Calc(select=[auction, price], where=[(price &gt; 10)])<br/>',
      optimizer_properties: {},
    },
  ],
};

export const flinkMemoryConfiguration = {
  // Flink 1.20's TaskExecutor memory for taskmanager.memory.process.size: 1728m (its startup log).
  frameworkHeap: 134217728,
  taskHeap: 402653174,
  frameworkOffHeap: 134217728,
  taskOffHeap: 0,
  networkMemory: 134217730,
  managedMemory: 536870920,
  jvmMetaspace: 268435456,
  jvmOverhead: 201326592,
  totalFlinkMemory: 1342177280,
  totalProcessMemory: 1811939328,
};

export async function startFakeJobManager(rates: FakeVertexRates = defaultRates): Promise<FakeJobManager> {
  let t = 0;
  const requests: string[] = [];
  const authorizations: (string | undefined)[] = [];
  const seconds = () => t / 1000;
  const sourceIn = () => rates.sourceRecordsPerSecond * seconds();
  const sourceOut = () => rates.sourceOutPerSecond * seconds();

  const agg = (sum: number, p: number) => ({ min: sum / p, max: sum / p, avg: sum / p, sum });
  const names: Record<string, Record<string, () => object>> = {
    [SOURCE_ID]: {
      busyTimeMsPerSecond: () =>
        rates.sourceBusy === 'NaN'
          ? { min: 'NaN', max: 'NaN', avg: 'NaN', sum: 'NaN' }
          : { ...rates.sourceBusy, sum: rates.sourceBusy.avg * 2 },
      backPressuredTimeMsPerSecond: () => ({ min: 0, max: 0, avg: 0, sum: 0 }),
      idleTimeMsPerSecond: () => ({ min: 500, max: 600, avg: 550, sum: 1100 }),
      // A source task reads nothing over the network: its own input is 0.
      numRecordsInPerSecond: () => agg(0, 2),
      numRecordsOutPerSecond: () => agg(rates.sourceOutPerSecond, 2),
      numBytesOutPerSecond: () => agg(rates.sourceOutPerSecond * rates.bytesPerRecord, 2),
      numRecordsIn: () => agg(0, 2),
      numRecordsOut: () => agg(sourceOut(), 2),
      numBytesOut: () => agg(sourceOut() * rates.bytesPerRecord, 2),
      'Source__bids.numRecordsInPerSecond': () => agg(rates.sourceRecordsPerSecond, 2),
      'Source__bids.numRecordsIn': () => agg(sourceIn(), 2),
      'Source__bids.numRecordsOutPerSecond': () => agg(rates.sourceRecordsPerSecond, 2),
      'Source__bids.pendingRecords': () => agg(rates.pendingAtStart + rates.pendingPerSecond * seconds(), 2),
      ...Object.fromEntries(
        Array.from({ length: PARTITIONS }, (_, i) => [
          `Source__bids.KafkaSourceReader.topic.bids.partition.${i}.currentOffset`,
          () => agg(1000 * i, 2),
        ]),
      ),
    },
    [AGG_ID]: {
      busyTimeMsPerSecond: () => ({ ...rates.aggBusy, sum: rates.aggBusy.avg * 4 }),
      backPressuredTimeMsPerSecond: () => ({ min: 0, max: 0, avg: 0, sum: 0 }),
      idleTimeMsPerSecond: () => ({ min: 300, max: 500, avg: 400, sum: 1600 }),
      numRecordsInPerSecond: () => agg(rates.sourceOutPerSecond, 4),
      numRecordsOutPerSecond: () => agg(0, 4),
      numBytesInPerSecond: () => agg(rates.sourceOutPerSecond * rates.bytesPerRecord, 4),
      numRecordsIn: () => agg(sourceOut(), 4),
      numRecordsOut: () => agg(0, 4),
    },
  };

  const jobDetails = () => ({
    jid: JOB_ID,
    name: 'bids_per_auction',
    isStoppable: false,
    state: 'RUNNING',
    'start-time': 1697114719143,
    'end-time': -1,
    duration: 60731 + t,
    maxParallelism: -1,
    now: 1697114779874 + t,
    vertices: [
      {
        id: SOURCE_ID,
        slotSharingGroupId: 'a9c52ec4c7200ab4bd141cbae8022105',
        name: 'Source: bids -> Calc',
        maxParallelism: 128,
        parallelism: 2,
        status: 'RUNNING',
        metrics: {
          'read-bytes': 0,
          'read-bytes-complete': true,
          'write-bytes': sourceOut() * rates.bytesPerRecord,
          'write-records': sourceOut(),
          'read-records': 0,
          'accumulated-backpressured-time': 0,
          'accumulated-idle-time': 78319,
          'accumulated-busy-time': rates.sourceBusy === 'NaN' ? 'NaN' : 13347.0,
        },
      },
      {
        id: AGG_ID,
        slotSharingGroupId: 'a9c52ec4c7200ab4bd141cbae8022105',
        name: 'GroupAggregate -> Sink: out',
        maxParallelism: 128,
        parallelism: 4,
        status: 'RUNNING',
        metrics: {
          'read-bytes': sourceOut() * rates.bytesPerRecord,
          'write-bytes': 0,
          'read-records': sourceOut(),
          'write-records': 0,
          'accumulated-backpressured-time': 0,
          'accumulated-idle-time': 91352,
          'accumulated-busy-time': 273.0,
        },
      },
    ],
    'status-counts': { RUNNING: 2 },
    plan,
  });

  const latestCompleted = () => ({
    className: 'completed',
    id: 12,
    status: 'COMPLETED',
    is_savepoint: false,
    checkpointed_size: 50_000_000,
    state_size: 1_000_000_000,
    end_to_end_duration: 4200,
    num_subtasks: 6,
    num_acknowledged_subtasks: 6,
    tasks: {
      [SOURCE_ID]: {
        id: SOURCE_ID,
        status: 'COMPLETED',
        state_size: 20_000,
        checkpointed_size: 20_000,
      },
      [AGG_ID]: {
        id: AGG_ID,
        status: 'COMPLETED',
        state_size: 999_980_000,
        checkpointed_size: 49_980_000,
      },
    },
  });

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push(`${url.pathname}${url.search}`);
    authorizations.push(req.headers.authorization);
    const path = url.pathname;
    if (path === '/overview')
      return json(res, 200, {
        taskmanagers: 2,
        'slots-total': 4,
        'slots-available': 0,
        'jobs-running': 1,
        'flink-version': '1.20.0',
        'flink-commit': 'b1fe7b4',
      });
    if (path === '/jobs/overview')
      return json(res, 200, {
        jobs: [
          {
            jid: JOB_ID,
            name: 'bids_per_auction',
            state: 'RUNNING',
            'start-time': 1697114719143,
            tasks: { running: 6 },
          },
        ],
      });
    if (path === `/jobs/${JOB_ID}`) return json(res, 200, jobDetails());
    if (path === `/jobs/${JOB_ID}/plan`) return json(res, 200, { plan });
    const metrics = /^\/jobs\/[0-9a-f]{32}\/vertices\/([0-9a-f]{32})\/subtasks\/metrics$/.exec(path);
    if (metrics?.[1]) {
      const own = names[metrics[1]];
      if (!own) return json(res, 404, { errors: ['Vertex not found'] });
      const get = url.searchParams.get('get');
      if (get === null)
        return json(
          res,
          200,
          Object.keys(own).map((id) => ({ id })),
        );
      const wanted = get.split(',');
      // All or nothing, as Flink's MetricStore: one unknown name and the answer is empty.
      if (wanted.some((name) => !(name in own))) return json(res, 200, []);
      return json(
        res,
        200,
        wanted.map((id) => ({ id, ...(own[id] as () => object)() })),
      );
    }
    // As CheckpointingStatisticsHandler: the overview's checkpoints come without task statistics;
    // CheckpointStatisticDetailsHandler gives them per checkpoint.
    if (path === `/jobs/${JOB_ID}/checkpoints/details/12`) return json(res, 200, latestCompleted());
    if (path === `/jobs/${JOB_ID}/checkpoints`)
      return json(res, 200, {
        counts: { restored: 0, total: 12, in_progress: 0, completed: 12, failed: 0 },
        latest: {
          completed: { ...latestCompleted(), tasks: {} },
          savepoint: null,
          failed: null,
          restored: null,
        },
        history: [],
      });
    if (path === `/jobs/${JOB_ID}/checkpoints/config`)
      return json(res, 200, {
        mode: 'exactly_once',
        interval: 60000,
        timeout: 600000,
        min_pause: 0,
        max_concurrent: 1,
        externalization: { enabled: true, delete_on_cancellation: false },
        state_backend: 'EmbeddedRocksDBStateBackend',
        checkpoint_storage: 'FileSystemCheckpointStorage',
        unaligned_checkpoints: false,
        tolerable_failed_checkpoints: 0,
      });
    if (path === '/taskmanagers')
      return json(res, 200, {
        taskmanagers: [0, 1].map((i) => ({
          id: `10.0.0.${7 + i}:36211-${i}d1f2a`,
          path: `pekko.tcp://flink@10.0.0.${7 + i}:6122/user/rpc/taskmanager_0`,
          dataPort: 36211,
          jmxPort: -1,
          timeSinceLastHeartbeat: 1697114779000,
          slotsNumber: 2,
          freeSlots: 0,
          hardware: {
            cpuCores: 2,
            physicalMemory: 8_000_000_000,
            freeMemory: 536_870_912,
            managedMemory: 536_870_920,
          },
          memoryConfiguration: flinkMemoryConfiguration,
        })),
      });
    if (path === '/jobmanager/config')
      return json(res, 200, [
        { key: 'taskmanager.memory.process.size', value: '1728m' },
        { key: 'taskmanager.numberOfTaskSlots', value: '2' },
        { key: 'jobmanager.memory.process.size', value: '1600m' },
        { key: 's3.secret-key', value: 'do-not-store-me' },
      ]);
    return json(res, 404, { errors: ['Not found: /'] });
  };

  const server: Server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    authorizations,
    advance: (ms) => {
      t += ms;
    },
    now: () => t,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * The fake job's snapshot as the real collector reads it over HTTP (what a user pastes after
 * running the documented curl script), with only the fake's loopback address allowed.
 */
export function snapshotOf(fake: FakeJobManager): ReturnType<typeof collectSnapshot> {
  const client = new SafeClient(
    checkUrl(fake.url, ['127.0.0.1']),
    { ...defaultFetchPolicy, allowedHosts: ['127.0.0.1'] },
    new Limiter(2),
  );
  return collectSnapshot(client);
}
