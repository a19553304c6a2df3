import { buildIndex, Rule } from '../../lib/validation/rule';
import { ExternalObject, Finding, KubeObject, SourcedObject } from '../../lib/manifest/types';

/** Objects as if each came from its own file, in the given apply order. */
export function sourced(...objects: KubeObject[]): SourcedObject[] {
  return objects.map((object, order) => ({ object, source: `${String(order).padStart(2, '0')}-${object.kind.toLowerCase()}.yaml`, order }));
}

export function runRule(rule: Rule, objects: KubeObject[], externalObjects: ExternalObject[] = [], kubernetesVersion = '1.27'): Finding[] {
  return rule.check(buildIndex(sourced(...objects)), { externalObjects, kubernetesVersion });
}

export interface ContainerOptions {
  name?: string;
  ports?: { containerPort: number; name?: string }[];
  [key: string]: unknown;
}

export function container(options: ContainerOptions = {}): Record<string, unknown> {
  return { name: 'app', image: 'example/app:1.0', ...options };
}

export interface WorkloadOptions {
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
  selector?: Record<string, unknown>;
  replicas?: number;
  containers?: Record<string, unknown>[];
  podSpec?: Record<string, unknown>;
  spec?: Record<string, unknown>;
}

export function workload(kind: 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'ReplicaSet', options: WorkloadOptions = {}): KubeObject {
  const labels = options.labels ?? { app: 'web' };
  return {
    apiVersion: 'apps/v1',
    kind,
    metadata: { name: options.name ?? 'web', ...(options.namespace ? { namespace: options.namespace } : {}) },
    spec: {
      ...(options.replicas !== undefined ? { replicas: options.replicas } : {}),
      selector: options.selector ?? { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: { containers: options.containers ?? [container({ ports: [{ containerPort: 8080, name: 'http' }] })], ...options.podSpec },
      },
      ...options.spec,
    },
  };
}

export function deployment(options: WorkloadOptions = {}): KubeObject {
  return workload('Deployment', options);
}

export interface ServiceOptions {
  name?: string;
  namespace?: string;
  selector?: Record<string, string>;
  ports?: Record<string, unknown>[];
  clusterIP?: string;
  /** `spec.type`. @default - none (ClusterIP) */
  type?: string;
}

export function service(options: ServiceOptions = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: options.name ?? 'web', ...(options.namespace ? { namespace: options.namespace } : {}) },
    spec: {
      ...(options.selector === undefined ? { selector: { app: 'web' } } : Object.keys(options.selector).length ? { selector: options.selector } : {}),
      ports: options.ports ?? [{ name: 'http', port: 80, targetPort: 'http' }],
      ...(options.clusterIP ? { clusterIP: options.clusterIP } : {}),
      ...(options.type ? { type: options.type } : {}),
    },
  };
}

/** The findings reduced to what a reader checks first. */
export function summarize(findings: readonly Finding[]): { rule: string; path: string; severity: string }[] {
  return findings.map(({ rule, path, severity }) => ({ rule, path, severity }));
}

export function networkPolicy(name: string, spec: Record<string, unknown>, namespace?: string): KubeObject {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, ...(namespace ? { namespace } : {}) }, spec };
}
