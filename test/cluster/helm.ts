/** The real helm (built from tools/cluster/helm/go.mod), kept away from the user's home and clusters. */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { parseManifestText } from '../../lib/manifest/load';
import { KubeObject } from '../../lib/manifest/types';
import { ensureHelm } from '../../tools/cluster/binaries';
import { LocalCluster } from '../../tools/cluster/local-cluster';
import { createOutOfBandSecret, createPersistentVolumes, installShippedCrds, objectsIn, PROD_DIST, REPO, temporaryFolder } from './cluster';

export const CHART = path.join(REPO, 'dist', 'helm', 'habr');

export interface HelmResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

let home: string | undefined;

/** `helm <args>` with its cache, config and data in a temporary folder; `kubeconfig` when it talks to a cluster. */
export function helm(args: readonly string[], kubeconfig?: string): HelmResult {
  home ??= temporaryFolder('helm-home-');
  const result = spawnSync(ensureHelm(), [...args, ...(kubeconfig ? ['--kubeconfig', kubeconfig] : [])], {
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      HOME: home,
      HELM_CACHE_HOME: path.join(home, 'cache'),
      HELM_CONFIG_HOME: path.join(home, 'config'),
      HELM_DATA_HOME: path.join(home, 'data'),
      KUBECONFIG: kubeconfig ?? path.join(home, 'no-kubeconfig'),
    },
    timeout: 300_000,
  });
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? (result.error?.message ?? '') };
}

export function helmOk(args: readonly string[], kubeconfig?: string): string {
  const result = helm(args, kubeconfig);
  if (result.status !== 0) throw new Error(`helm ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  return result.stdout;
}

/** The objects `helm template habr <chart> <args>` renders. */
export function helmTemplate(args: readonly string[] = [], release = 'habr'): KubeObject[] {
  return parseManifestText(helmOk(['template', release, CHART, ...args]), 'helm template');
}

export function objectKey(object: KubeObject): string {
  return `${object.kind}/${object.metadata?.namespace ?? ''}/${object.metadata?.name}`;
}

/** Objects by kind, namespace and name (helm orders them by kind, synth by apply order). */
export function byKey(objects: readonly KubeObject[]): Record<string, KubeObject> {
  const map: Record<string, KubeObject> = {};
  for (const object of objects) {
    if (map[objectKey(object)]) throw new Error(`two objects ${objectKey(object)}`);
    map[objectKey(object)] = object;
  }
  return map;
}

/** The paths of the leaves that differ between two JSON values, e.g. `Deployment/default/web spec.replicas`. */
export function differences(before: unknown, after: unknown, at = ''): string[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object';
  if (!isObject(before) || !isObject(after) || Array.isArray(before) !== Array.isArray(after)) return [at];
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return keys.flatMap((k) => differences(before[k], after[k], at ? `${at}.${k}` : k));
}

/** Checks that values.schema.json refuses `helm template` with `args` before anything renders, with a message matching `message`. */
export function expectSchemaRefuses(args: readonly string[], message: RegExp): void {
  const result = helm(['template', 'habr', CHART, ...args]);
  expect(result.status).not.toBe(0);
  expect(result.stderr).toMatch(/values don't meet the specifications of the schema/);
  expect(result.stderr).toMatch(message);
  expect(result.stdout).toBe('');
}

/** `Kind/namespace/name field` of every leaf that differs between two renders by key, sorted. */
export function changedFields(before: Record<string, KubeObject>, after: Record<string, KubeObject>): string[] {
  return Object.keys(before).flatMap((k) => differences(before[k], after[k]).map((field) => `${k} ${field}`)).sort();
}

/**
 * A fresh cluster made ready for `helm install` of the chart's defaults, as docs/helm.md tells a
 * Helm user: volumes for the StatefulSets, the out-of-band Secret, the Gateway API CRDs (prod routes
 * through HTTPRoutes), and the labels of namespace `default`, which the chart leaves out.
 */
export function prepareForChart(cluster: LocalCluster): void {
  createPersistentVolumes(cluster, 4);
  createOutOfBandSecret(cluster);
  installShippedCrds(cluster);
  const namespace = objectsIn(PROD_DIST).find((o) => o.kind === 'Namespace')!;
  const labels = Object.entries(namespace.metadata?.labels ?? {}).map(([k, v]) => `${k}=${v}`);
  cluster.kubectlOk(['label', '--overwrite', 'namespace', 'default', ...labels]);
}
