import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { loadConfig } from '../../../src/config.js';

const k8sDir = join(import.meta.dirname, '..', '..', '..', 'k8s');

// biome-ignore lint/suspicious/noExplicitAny: Kubernetes objects are checked field by field below.
type K8sObject = any;

function kubectlAvailable(): boolean {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Renders the base like `kubectl kustomize`; without kubectl, reads the files and builds the ConfigMap itself. */
function render(): K8sObject[] {
  if (kubectlAvailable()) {
    const out = execFileSync('kubectl', ['kustomize', k8sDir], { encoding: 'utf8' });
    return parseAllDocuments(out).map((d) => d.toJS());
  }
  const kustomization = parseYaml(readFileSync(join(k8sDir, 'kustomization.yaml'), 'utf8'));
  const objects: K8sObject[] = kustomization.resources.map((file: string) =>
    parseYaml(readFileSync(join(k8sDir, file), 'utf8')),
  );
  for (const generator of kustomization.configMapGenerator) {
    const data = Object.fromEntries(
      generator.literals.map((line: string) => [
        line.slice(0, line.indexOf('=')),
        line.slice(line.indexOf('=') + 1),
      ]),
    );
    objects.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: generator.name }, data });
  }
  return objects;
}

const objects = render();
const find = (kind: string) => objects.filter((o) => o.kind === kind);
const deployment = find('Deployment')[0];
const pod = deployment.spec.template.spec;
const container = pod.containers[0];

describe('kubernetes base', () => {
  it('has one of each object the service needs', () => {
    expect(find('Deployment')).toHaveLength(1);
    expect(find('Service')).toHaveLength(1);
    expect(find('PersistentVolumeClaim')).toHaveLength(1);
    expect(find('ConfigMap')).toHaveLength(1);
  });

  it('runs exactly one replica and recreates it (SQLite has one writer)', () => {
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.spec.strategy.type).toBe('Recreate');
  });

  it('probes the app on its own port and paths', () => {
    const appPort = loadConfig({}).PORT;
    const port = container.ports.find((p: K8sObject) => p.name === 'http');
    expect(port.containerPort).toBe(appPort);
    expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(container.startupProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
  });

  it('sets requests and limits', () => {
    expect(container.resources.requests.cpu).toBeDefined();
    expect(container.resources.requests.memory).toBeDefined();
    expect(container.resources.limits.cpu).toBeDefined();
    expect(container.resources.limits.memory).toBeDefined();
  });

  it('runs restricted: non-root, read-only root, no escalation, no capabilities', () => {
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(pod.securityContext.seccompProfile.type).toBe('RuntimeDefault');
    expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(container.securityContext.allowPrivilegeEscalation).toBe(false);
    expect(container.securityContext.capabilities.drop).toEqual(['ALL']);
  });

  it('mounts the database volume at /data and a writable /tmp', () => {
    const mounts = Object.fromEntries(container.volumeMounts.map((m: K8sObject) => [m.mountPath, m.name]));
    expect(Object.keys(mounts).sort()).toEqual(['/data', '/tmp']);
    const volumes = Object.fromEntries(pod.volumes.map((v: K8sObject) => [v.name, v]));
    const claim = volumes[mounts['/data']].persistentVolumeClaim.claimName;
    expect(find('PersistentVolumeClaim')[0].metadata.name).toBe(claim);
    expect(find('PersistentVolumeClaim')[0].spec.accessModes).toEqual(['ReadWriteOnce']);
    expect(volumes[mounts['/tmp']].emptyDir).toBeDefined();
  });

  it('routes the Service to the named container port of the pods', () => {
    const service = find('Service')[0];
    expect(service.spec.ports[0].targetPort).toBe('http');
    for (const [key, value] of Object.entries(service.spec.selector)) {
      expect(deployment.spec.template.metadata.labels[key]).toBe(value);
    }
  });

  it('configures the app with settings it accepts, and an optional secret', () => {
    const configMap = find('ConfigMap')[0];
    const refs = container.envFrom;
    expect(refs.find((r: K8sObject) => r.configMapRef)?.configMapRef.name).toBe(configMap.metadata.name);
    expect(refs.find((r: K8sObject) => r.secretRef)?.secretRef.optional).toBe(true);
    const config = loadConfig(configMap.data);
    expect(config.DATABASE_PATH).toBe('/data/flink-estimator.db');
    expect(config.HOST).toBe('0.0.0.0');
    const known = new Set(Object.keys(loadConfig({})).concat(['COOKIE_SECRET', 'AUTH_TOKENS', 'MODEL_FILE']));
    for (const key of Object.keys(configMap.data)) expect(known, key).toContain(key);
  });
});
