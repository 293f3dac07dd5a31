import { counted } from '../estimator/text.js';
import { formatBytes } from '../format.js';
import { deployment, needsLocalDisk } from './deployment.js';
import { configFileName, flinkConfigFile, legacyFileWins } from './flink-config.js';
import { DEFAULT_JAR_URI, type ManifestInput } from './options.js';
import { FLINK_HOME_LINE, hereDocument, script, setAside, shellWord } from './script.js';

/** Placeholder host names: the workers file lists one TaskManager host per line. */
const workerHost = (i: number) => `tm-host-${i + 1}`;
const masterHost = (i: number) => `jm-host-${i + 1}`;
/** The JobManager's REST port in conf/masters (RestOptions.PORT default). */
const REST_PORT = 8081;

/**
 * A standalone cluster (Flink's "Standalone" deployment docs): the configuration file, the
 * `workers` list (one TaskManager per host, started over ssh by bin/start-cluster.sh) and the
 * `masters` list (one JobManager, two with ZooKeeper HA), written by one script, and what to
 * start where.
 */
export function standaloneCluster(input: ManifestInput): { script: string; missing: string[] } {
  const e = input.estimate;
  const tm = e.taskManagers;
  const plan = deployment(input, 'standalone');
  const ha = 'high-availability.type' in plan.options;
  const masters = Array.from({ length: ha ? 2 : 1 }, (_, i) => masterHost(i));
  const options = { 'jobmanager.rpc.address': masterHost(0), ...plan.options };
  const config = flinkConfigFile(input, { ...plan, options }, options);
  const file = configFileName(e);
  const jar =
    input.options?.jarUri && input.options.jarUri !== DEFAULT_JAR_URI ? input.options.jarUri : './job.jar';
  const header = [
    `Standalone Flink ${e.flinkVersion} cluster, from Flink Estimator (model ${e.modelVersion.replace(/[\r\n]+/g, ' ')}).`,
    `${tm.count} worker hosts, one TaskManager each: at least ${tm.cpu} CPU and ${formatBytes(tm.memory.totalProcessMemory)} for the Flink process plus what the OS needs; ${counted(tm.slotsPerTaskManager, 'slot')} each, parallelism ${e.parallelism.default}.`,
    `${masters.length === 1 ? 'One master host' : 'Two master hosts (ZooKeeper HA)'} for the JobManager: ${e.jobManager.cpu} CPU and ${formatBytes(e.jobManager.memory.totalProcessMemory)}.`,
    ...(needsLocalDisk(e)
      ? [
          `RocksDB needs ${formatBytes(tm.localDiskBytes)} of local disk per worker under io.tmp.dirs (default /tmp); set state.backend.rocksdb.localdir to a local SSD.`,
        ]
      : []),
    'Replace the tm-host-N / jm-host-N placeholders with your hosts (and the ZooKeeper quorum, with HA).',
    `It writes conf/${file}, conf/workers and conf/masters whole (merge your own settings in, e.g. metrics reporters or file system credentials); a file it replaces is kept as <name>.replaced.`,
    ...plan.missing.map((line) => `WARNING: ${line}`),
    ...plan.storage,
  ];
  const conf = '$FLINK_HOME/conf';
  const shadowed = legacyFileWins(e);
  const written = (name: string, body: string) => [
    ...setAside(`${conf}/${name}`, 'this script writes a new one'),
    ...hereDocument(`"${conf}/${name}"`, body),
  ];
  const body = [
    FLINK_HOME_LINE,
    '',
    ...(shadowed
      ? [
          `# Flink ${e.flinkVersion} reads conf/flink-conf.yaml instead of config.yaml when both exist (release notes 1.19): set a leftover one aside.`,
          ...setAside(
            `${conf}/flink-conf.yaml`,
            `Flink ${e.flinkVersion} would read it instead of config.yaml`,
          ),
          '',
        ]
      : []),
    `# ${file}: the same file on every host.`,
    ...written(file, config.yaml),
    '',
    '# workers: bin/start-cluster.sh starts one TaskManager on each of these hosts over ssh.',
    ...written('workers', Array.from({ length: tm.count }, (_, i) => workerHost(i)).join('\n')),
    '',
    masters.length > 1
      ? '# masters: with ZooKeeper HA, bin/start-cluster.sh starts a JobManager on each host (web UI on the port); ZooKeeper elects the leader, the other stands by.'
      : '# masters: read by bin/start-cluster.sh only with ZooKeeper HA; without it the JobManager starts on the host that runs start-cluster.sh.',
    ...written('masters', masters.map((host) => `${host}:${REST_PORT}`).join('\n')),
    '',
    '# What to start where:',
    `#   1. copy $FLINK_HOME, with this conf/, to ${masters.join(', ')} and every host in conf/workers (same path)${shadowed ? ', and remove any conf/flink-conf.yaml there' : ''};`,
    `#   2. on ${masterHost(0)}, with passwordless ssh to the others: "$FLINK_HOME/bin/start-cluster.sh";`,
    `#   3. submit the job: "$FLINK_HOME/bin/flink" run -d ${shellWord(jar)}`,
    `#      (or start hosts by hand: bin/jobmanager.sh start on each master, bin/taskmanager.sh start on each worker).`,
  ];
  return { script: script(header, body), missing: plan.missing };
}
