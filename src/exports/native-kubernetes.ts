import { stringify } from 'yaml';
import { counted } from '../estimator/text.js';
import { deployment, localDiskQuantity, needsLocalDisk } from './deployment.js';
import { rocksDbPodTemplate } from './kubernetes.js';
import {
  DEFAULT_JAR_URI,
  DEFAULT_SERVICE_ACCOUNT,
  defaultFlinkImage,
  type ManifestInput,
  resourceName,
} from './options.js';
import { kubernetesCpuOptions, optionComment } from './plan.js';
import { dynamicOptions, FLINK_HOME_LINE, hereDocument, script, submitApplication } from './script.js';

const POD_TEMPLATE_FILE = 'taskmanager-pod-template.yaml';

/**
 * Native Kubernetes application mode: `flink run-application -t kubernetes-application` with
 * the kubernetes.* options (KubernetesConfigOptions: cluster id, image, service account, CPU)
 * and the plan's memory, and — when RocksDB needs local disk — the TaskManager pod template the
 * client reads from `kubernetes.pod-template-file.taskmanager` and hands to every TaskManager pod.
 */
export function kubernetesApplication(input: ManifestInput): { script: string; missing: string[] } {
  const e = input.estimate;
  const o = input.options ?? {};
  const plan = deployment(input, 'native-kubernetes');
  const name = resourceName(input);
  const image = o.image || defaultFlinkImage(e.flinkVersion);
  const template = needsLocalDisk(e);
  const options: Record<string, string> = {
    'kubernetes.cluster-id': name,
    ...(o.namespace ? { 'kubernetes.namespace': o.namespace } : {}),
    'kubernetes.container.image.ref': image,
    'kubernetes.service-account': o.serviceAccount || DEFAULT_SERVICE_ACCOUNT,
    ...kubernetesCpuOptions(e),
    ...(template ? { 'kubernetes.pod-template-file.taskmanager': `./${POD_TEMPLATE_FILE}` } : {}),
    ...plan.options,
  };
  const comments: Record<string, string> = {
    'kubernetes.cluster-id':
      'the cluster id: names the JobManager Deployment, its Services and the HA ConfigMaps',
    'kubernetes.namespace': 'the namespace the cluster runs in',
    'kubernetes.container.image.ref':
      image === defaultFlinkImage(e.flinkVersion)
        ? 'default image for this Flink version: use your own image that holds the job jar'
        : 'the image with your job',
    'kubernetes.service-account':
      'the service account of the pods: it must be allowed to create pods and ConfigMaps (an edit role binding)',
    'kubernetes.pod-template-file.taskmanager': `gives RocksDB a ${localDiskQuantity(e)} volume of its own on every TaskManager (written below)`,
  };
  const jar = o.jarUri || DEFAULT_JAR_URI;
  const tm = e.taskManagers;
  const header = [
    `Native Kubernetes application mode for Flink ${e.flinkVersion}, from Flink Estimator (model ${e.modelVersion.replace(/[\r\n]+/g, ' ')}).`,
    `${tm.count} TaskManager pods × ${tm.cpu} CPU × ${tm.containerMemoryMiB} MiB, ${counted(tm.slotsPerTaskManager, 'slot')} each; parallelism ${e.parallelism.default}. Flink's ResourceManager starts the TaskManagers itself.`,
    'Run it with kubectl access to the cluster (the client uses your kubeconfig) and FLINK_HOME pointing at the Flink distribution.',
    ...(template ? ['Generic ephemeral volumes need Kubernetes 1.23 or later.'] : []),
    ...plan.missing.map((line) => `WARNING: ${line}`),
    ...plan.storage,
    ...plan.parallelism,
  ];
  const body = [
    FLINK_HOME_LINE,
    ...(template
      ? [
          '# The TaskManager pod template: RocksDB working files on a generic ephemeral volume.',
          ...hereDocument(POD_TEMPLATE_FILE, stringify(rocksDbPodTemplate(e))),
          '',
        ]
      : []),
    ...dynamicOptions('options', options, (key) => comments[key] ?? optionComment(key, e)),
    '',
    ...(jar === DEFAULT_JAR_URI
      ? ['# placeholder: the path of your job jar inside the image (local://)']
      : []),
    ...submitApplication(e.flinkVersion, 'kubernetes-application', o.entryClass, jar),
  ];
  return { script: script(header, body), missing: plan.missing };
}
