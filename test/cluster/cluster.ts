/** What the cluster suite does with a live control plane, as a user's kubectl would. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { KubectlResult, kubectlWarnings } from '../../lib/validation/kubectl';
import { loadManifestFolder } from '../../lib/manifest/load';
import { matchesLabelMap } from '../../lib/validation/selectors';
import { KubeObject } from '../../lib/manifest/types';
import { RELEASE_VERSION_LABEL } from '../../lib/manifest/release-labels';
import { ensureClusterBinaries } from '../../tools/cluster/binaries';
import { CRDS_DIR } from '../../tools/gateway-api/imports';
import { LocalCluster } from '../../tools/cluster/local-cluster';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;

export const REPO = path.join(__dirname, '..', '..');
export const DEV_DIST = path.join(REPO, 'dist');
export const PROD_DIST = path.join(REPO, 'dist', 'prod');

/** Bounds for what the controllers and kwok do; generous for a loaded 2-core machine. */
export const ROLLOUT_TIMEOUT = '180s';

/**
 * A fresh cluster for one test file (the binaries were built by the global setup). Its start time
 * and peak memory are printed when the file's cluster stops.
 */
export async function startCluster(nodes = 3): Promise<LocalCluster> {
  const binaries = ensureClusterBinaries();
  return LocalCluster.start({ nodes, binaries, log: () => undefined });
}

/** A fresh cluster with what docs/demo.md has a user provide before `kubectl apply -f dist`: storage and the Secret. */
export async function startStackCluster(): Promise<LocalCluster> {
  const cluster = await startCluster();
  createPersistentVolumes(cluster, 4);
  createOutOfBandSecret(cluster);
  return cluster;
}

export async function stopCluster(cluster: LocalCluster | undefined, label: string): Promise<void> {
  if (!cluster) return;
  const memory = cluster.peakMemory();
  const total = Object.values(memory).reduce((a, b) => a + b, 0);
  await cluster.stop();
  process.stderr.write(
    `[cluster] ${label}: Kubernetes ${cluster.version}, started in ${cluster.startupSeconds.toFixed(1)} s, ` +
      `peak RSS ${Math.round(total / 1024)} MB (${Object.entries(memory).map(([n, kb]) => `${n} ${Math.round(kb / 1024)}`).join(', ')})\n`,
  );
}

/** `kubectl apply --server-side -f <dir>`: the files in order, as docs/demo.md tells users to. */
export function applyFolder(cluster: LocalCluster, dir: string, extra: readonly string[] = []): KubectlResult & { warnings: string[] } {
  const result = cluster.kubectl(['apply', '--server-side', '-f', dir, ...extra]);
  return { ...result, warnings: kubectlWarnings(result.stderr) };
}

/** An apply that stored every one of `objectCount` objects (one output line each) and printed no error and no warning. */
export function expectCleanApply(result: KubectlResult & { warnings: string[] }, objectCount: number): void {
  expect(result.stderr).toBe('');
  expect(result.warnings).toEqual([]);
  expect(result.status).toBe(0);
  expect(result.stdout.trim().split('\n')).toHaveLength(objectCount);
}

/**
 * Installs the CRDs we ship (imports/crds/: the Gateway API's standard channel) as a user would,
 * `kubectl apply --server-side -f imports/crds/`, and waits until every one is Established, so
 * objects of their kinds can be applied next. Returns the CRD names.
 */
export function installShippedCrds(cluster: LocalCluster, timeout = '60s'): string[] {
  const result = cluster.kubectl(['apply', '--server-side', '--field-manager=cluster-suite-setup', '-f', CRDS_DIR]);
  if (result.status !== 0 || kubectlWarnings(result.stderr).length) {
    throw new Error(`installing the CRDs of ${CRDS_DIR} failed (${result.status}): ${result.stderr.trim()}`);
  }
  const names = result.stdout.trim().split('\n').map((line) => line.split(' ')[0]);
  cluster.kubectlOk(['wait', '--for=condition=Established', `--timeout=${timeout}`, ...names]);
  return names;
}

/** Every object of a folder, as `kubectl apply -f <dir>` (without -R) reads it. */
export function objectsIn(dir: string): KubeObject[] {
  return loadManifestFolder(dir, undefined, { recursive: false }).map((s) => s.object);
}

export function ref(object: KubeObject): string {
  return `${object.kind.toLowerCase()}/${object.metadata?.name}`;
}

/** `kubectl get … -o json`, parsed. */
export function getJson(cluster: LocalCluster, args: readonly string[]): Json {
  return JSON.parse(cluster.kubectlOk(['get', ...args, '-o', 'json']));
}

/** The out-of-band objects docs/demo.md has a user create first (the Mongo password Secret). */
export function createOutOfBandSecret(cluster: LocalCluster, namespace = 'default'): void {
  cluster.kubectlOk(['create', 'secret', 'generic', 'mongodb-secret', '-n', namespace, '--from-literal=password.txt=cluster-suite-only']);
}

/**
 * What a cluster's storage provides (test setup only, never in dist/): PersistentVolumes without a
 * class, which the PV controller binds to claims that name no class when there is no default class.
 */
export function createPersistentVolumes(cluster: LocalCluster, count: number, size = '20Gi', storageClassName?: string): void {
  const volumes = Array.from({ length: count }, (_, i) => ({
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name: `cluster-suite-pv-${i}` },
    spec: {
      capacity: { storage: size },
      accessModes: ['ReadWriteOnce'],
      persistentVolumeReclaimPolicy: 'Retain',
      ...(storageClassName ? { storageClassName } : {}),
      hostPath: { path: `/tmp/cluster-suite-pv-${i}` },
    },
  }));
  cluster.kubectlOk(['apply', '--server-side', '--field-manager=cluster-suite-setup', '-f', '-'], volumes.map((v) => JSON.stringify(v)).join('\n'));
}

/** `kubectl rollout status` of every Deployment and StatefulSet of `objects`; returns the failures. */
export function rolloutFailures(cluster: LocalCluster, objects: readonly KubeObject[], timeout = ROLLOUT_TIMEOUT): string[] {
  const failures: string[] = [];
  for (const object of objects.filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet')) {
    const result = cluster.kubectl(['rollout', 'status', ref(object), '-n', object.metadata?.namespace ?? 'default', `--timeout=${timeout}`]);
    if (result.status !== 0) failures.push(`${ref(object)}: ${result.stderr.trim() || result.stdout.trim()}`);
  }
  return failures;
}

interface Endpoint {
  readonly targetRef?: { readonly kind: string; readonly name: string };
  readonly conditions?: { readonly ready?: boolean };
}

/**
 * Compares a Service's EndpointSlices with the pods of the workload it is meant for: the endpoints
 * must be exactly that workload's Ready pods, and each Service port must resolve to the container
 * port its targetPort names. Returns what differs (nothing when it holds).
 */
export function endpointProblems(cluster: LocalCluster, service: KubeObject, objects: readonly KubeObject[]): string[] {
  const namespace = service.metadata?.namespace ?? 'default';
  const name = service.metadata?.name as string;
  const spec = service.spec as Json;
  const selector = (spec.selector ?? {}) as Record<string, string>;
  const workloads = objects.filter(
    (o) => (o.kind === 'Deployment' || o.kind === 'StatefulSet') && (o.metadata?.namespace ?? 'default') === namespace &&
      Object.keys(selector).length > 0 && matchesLabelMap(selector, (o.spec as Json).template.metadata.labels ?? {}),
  );
  if (workloads.length !== 1) return [`Service ${name} selects ${workloads.length} workloads of the manifests, expected 1`];
  const workload = workloads[0];

  const matchLabels = (workload.spec as Json).selector.matchLabels as Record<string, string>;
  const labelSelector = Object.entries(matchLabels).map(([k, v]) => `${k}=${v}`).join(',');
  const pods = (getJson(cluster, ['pods', '-n', namespace, '-l', labelSelector]).items as Json[]).filter(
    (pod) => !pod.metadata.deletionTimestamp && (pod.status.conditions ?? []).some((c: Json) => c.type === 'Ready' && c.status === 'True'),
  );
  const slices = getJson(cluster, ['endpointslices', '-n', namespace, '-l', `kubernetes.io/service-name=${name}`]).items as Json[];
  const endpointPods = slices
    .flatMap((slice) => (slice.endpoints ?? []) as Endpoint[])
    .filter((e) => e.conditions?.ready !== false && e.targetRef?.kind === 'Pod')
    .map((e) => e.targetRef!.name)
    .sort();
  const expected = pods.map((pod) => pod.metadata.name as string).sort();
  const problems: string[] = [];
  if (expected.length === 0) problems.push(`Service ${name}: workload ${ref(workload)} has no Ready pod`);
  if (JSON.stringify(endpointPods) !== JSON.stringify(expected)) {
    problems.push(`Service ${name}: EndpointSlices list [${endpointPods.join(', ')}], the Ready pods of ${ref(workload)} are [${expected.join(', ')}]`);
  }
  const containerPorts = ((workload.spec as Json).template.spec.containers as Json[]).flatMap((c) => (c.ports ?? []) as Json[]);
  for (const port of (spec.ports ?? []) as Json[]) {
    const target = port.targetPort ?? port.port;
    const containerPort = typeof target === 'number' ? target : containerPorts.find((p) => p.name === target)?.containerPort;
    if (containerPort === undefined) {
      problems.push(`Service ${name} port ${port.name ?? port.port}: targetPort ${target} names no container port of ${ref(workload)}`);
      continue;
    }
    const listed = slices.map((slice) => ((slice.ports ?? []) as Json[]).find((p) => (p.name ?? '') === (port.name ?? '')));
    if (!listed.length || listed.some((p) => p?.port !== containerPort)) {
      problems.push(`Service ${name} port ${port.name ?? port.port}: EndpointSlices list ${JSON.stringify(listed.map((p) => p?.port))}, expected ${containerPort}`);
    }
  }
  return problems;
}

/** The version label of each ready endpoint of a Service's EndpointSlices, sorted. */
export function endpointVersions(cluster: LocalCluster, namespace: string, service: string): string[] {
  const slices = getJson(cluster, ['endpointslices', '-n', namespace, '-l', `kubernetes.io/service-name=${service}`]).items as Json[];
  const names = new Set(slices.flatMap((slice) => ((slice.endpoints ?? []) as Json[])
    .filter((e) => e.conditions?.ready !== false && e.targetRef?.kind === 'Pod').map((e) => e.targetRef.name as string)));
  const pods = getJson(cluster, ['pods', '-n', namespace]).items as Json[];
  return pods.filter((pod) => names.has(pod.metadata.name)).map((pod) => pod.metadata.labels[RELEASE_VERSION_LABEL] as string).sort();
}

/** Waits until `service`'s endpoints are of the versions `expected` (sorted, one per pod); returns what it saw last when they never were. */
export async function endpointVersionsBecome(cluster: LocalCluster, namespace: string, service: string, expected: readonly string[]): Promise<string[]> {
  return eventually(() => {
    const seen = endpointVersions(cluster, namespace, service);
    return JSON.stringify(seen) === JSON.stringify(expected) ? [] : [`${service}: endpoints of versions [${seen.join(', ')}], expected [${expected.join(', ')}]`];
  }, 90);
}

/** Polls `check` (which returns what is still wrong) until it returns nothing or the time is up. */
export async function eventually(check: () => string[], seconds = 60): Promise<string[]> {
  const deadline = Date.now() + seconds * 1000;
  let problems = check();
  while (problems.length && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    problems = check();
  }
  return problems;
}

/** A temporary folder removed when the process exits. */
export function temporaryFolder(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}
