/**
 * What every cross-object rule is made of: a rule, the context it runs in, and an index of the
 * object set built once per run so that rules look objects up instead of scanning them all.
 */
import { ApiServerVerdict, ExternalObject, Finding, KubeObject, Severity, SourcedObject } from './types';

export interface RuleContext {
  /** Objects the manifests reference but that are created outside them. */
  readonly externalObjects: readonly ExternalObject[];
  /** The Kubernetes release the manifests target (`1.27`, `1.33`): rules whose facts changed between releases read it. */
  readonly kubernetesVersion: string;
}

export interface Rule {
  /** Stable id, e.g. `service-selector`. */
  readonly id: string;
  /** One line: what it checks. */
  readonly summary: string;
  /** One line: what breaks without it. */
  readonly breaks: string;
  /** Whether Kubernetes itself rejects the mistake. */
  readonly apiServer: ApiServerVerdict;
  check(index: ObjectIndex, context: RuleContext): Finding[];
}

/** A loosely typed JSON value from a manifest: rules read it defensively. */
export type Json = Record<string, unknown>;

/** One object of the set, with the facts every rule needs already worked out. */
export interface IndexedObject {
  readonly object: KubeObject;
  readonly source: string;
  readonly order: number;
  readonly kind: string;
  readonly name: string;
  /** `undefined` for cluster-scoped kinds; otherwise the namespace, `default` when absent. */
  readonly namespace: string | undefined;
  /** `Kind namespace/name`, or `Kind name` for cluster-scoped objects. */
  readonly label: string;
}

export interface ContainerRef {
  readonly container: Json;
  /** e.g. `spec.template.spec.containers[0]`. */
  readonly path: string;
  readonly isInit: boolean;
}

/** The pod template of a workload (or a bare Pod's own spec). */
export interface PodTemplate {
  readonly owner: IndexedObject;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, unknown>>;
  readonly spec: Json;
  /** Path of the pod spec inside the owner, e.g. `spec.template.spec` or `spec`. */
  readonly specPath: string;
  /** Path of the template labels, e.g. `spec.template.metadata.labels`. */
  readonly labelsPath: string;
  /** Regular containers then init containers. */
  readonly containers: readonly ContainerRef[];
}

export interface ObjectIndex {
  readonly objects: readonly IndexedObject[];
  byKind(kind: string): readonly IndexedObject[];
  /** The object of that kind and name; `namespace` is ignored for cluster-scoped kinds. */
  find(kind: string, namespace: string | undefined, name: string): IndexedObject | undefined;
  podTemplatesIn(namespace: string): readonly PodTemplate[];
  /**
   * Pod templates in `namespace` that may match `matchLabels`: those carrying its rarest
   * key=value pair (every template of the namespace when it is empty). Callers still apply the
   * full selector; the narrowing keeps Services × pods linear instead of quadratic.
   */
  podTemplateCandidates(namespace: string, matchLabels: Readonly<Record<string, unknown>> | undefined): readonly PodTemplate[];
  podTemplateOf(owner: IndexedObject): PodTemplate | undefined;
  readonly podTemplates: readonly PodTemplate[];
}

const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'StorageClass', 'ClusterRole', 'ClusterRoleBinding',
  'CustomResourceDefinition', 'PriorityClass', 'IngressClass', 'RuntimeClass', 'CSIDriver', 'CSINode',
  'APIService', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration',
  'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'VolumeSnapshotClass',
  'VolumeAttachment', 'CertificateSigningRequest', 'FlowSchema', 'PriorityLevelConfiguration',
  'ClusterIssuer', 'GatewayClass',
]);

export const DEFAULT_NAMESPACE = 'default';

export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED_KINDS.has(kind);
}

export function asRecord(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

export function asArray(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Reads a nested field: `field(obj, 'spec', 'template', 'metadata')`. */
export function field(value: unknown, ...keys: string[]): unknown {
  let current: unknown = value;
  for (const key of keys) {
    const record = asRecord(current);
    if (!record) return undefined;
    current = record[key];
  }
  return current;
}

export function objectLabel(kind: string, namespace: string | undefined, name: string): string {
  return namespace === undefined ? `${kind} ${name}` : `${kind} ${namespace}/${name}`;
}

function identify(object: KubeObject): Pick<IndexedObject, 'kind' | 'name' | 'namespace' | 'label'> {
  const kind = String(object.kind);
  const name = asString(object.metadata?.name) ?? asString(object.metadata?.generateName) ?? '<unnamed>';
  const namespace = isClusterScoped(kind) ? undefined : asString(object.metadata?.namespace) || DEFAULT_NAMESPACE;
  return { kind, name, namespace, label: objectLabel(kind, namespace, name) };
}

/** `Kind namespace/name` (`default` when absent), or `Kind name` for cluster-scoped objects: how findings name an object. */
export function labelOf(object: KubeObject): string {
  return identify(object).label;
}

function indexObject(sourced: SourcedObject): IndexedObject {
  const { object, source, order } = sourced;
  return { object, source, order, ...identify(object) };
}

/** Where each workload kind keeps its pod template. */
const TEMPLATE_PATHS: Readonly<Record<string, readonly string[]>> = {
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

function containerRefs(spec: Json, specPath: string): ContainerRef[] {
  const refs: ContainerRef[] = [];
  for (const [key, isInit] of [['containers', false], ['initContainers', true]] as const) {
    asArray(spec[key]).forEach((container, i) => {
      const record = asRecord(container);
      if (record) refs.push({ container: record, path: `${specPath}.${key}[${i}]`, isInit });
    });
  }
  return refs;
}

function podTemplateOf(owner: IndexedObject): PodTemplate | undefined {
  if (owner.namespace === undefined) return undefined;
  if (owner.kind === 'Pod') {
    const spec = asRecord(owner.object.spec);
    if (!spec) return undefined;
    return {
      owner, namespace: owner.namespace, spec, specPath: 'spec', labelsPath: 'metadata.labels',
      labels: owner.object.metadata?.labels ?? {}, containers: containerRefs(spec, 'spec'),
    };
  }
  const templatePath = TEMPLATE_PATHS[owner.kind];
  if (!templatePath) return undefined;
  const template = asRecord(field(owner.object, ...templatePath));
  const spec = asRecord(template?.spec);
  if (!template || !spec) return undefined;
  const prefix = templatePath.join('.');
  return {
    owner,
    namespace: owner.namespace,
    spec,
    specPath: `${prefix}.spec`,
    labelsPath: `${prefix}.metadata.labels`,
    labels: asRecord(field(template, 'metadata', 'labels')) ?? {},
    containers: containerRefs(spec, `${prefix}.spec`),
  };
}

function keyOf(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}\u0000${namespace ?? ''}\u0000${name}`;
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Builds the index once per run; every lookup afterwards is a map access. */
export function buildIndex(objects: readonly SourcedObject[]): ObjectIndex {
  const indexed = objects.map(indexObject);
  const byKind = new Map<string, IndexedObject[]>();
  const byKey = new Map<string, IndexedObject>();
  const templatesByNamespace = new Map<string, PodTemplate[]>();
  const templateByOwner = new Map<IndexedObject, PodTemplate>();
  const templates: PodTemplate[] = [];
  const templatesByLabel = new Map<string, PodTemplate[]>();
  const labelKey = (namespace: string, key: string, value: unknown) => `${namespace}\u0000${key}\u0000${String(value)}`;
  for (const object of indexed) {
    pushTo(byKind, object.kind, object);
    const key = keyOf(object.kind, object.namespace, object.name);
    // The first object of a name wins, as a later `kubectl apply` of the same name only updates it.
    if (!byKey.has(key)) byKey.set(key, object);
    const template = podTemplateOf(object);
    if (template) {
      templates.push(template);
      templateByOwner.set(object, template);
      pushTo(templatesByNamespace, template.namespace, template);
      for (const [key, value] of Object.entries(template.labels)) pushTo(templatesByLabel, labelKey(template.namespace, key, value), template);
    }
  }
  return {
    objects: indexed,
    podTemplates: templates,
    byKind: (kind) => byKind.get(kind) ?? [],
    find: (kind, namespace, name) => byKey.get(keyOf(kind, isClusterScoped(kind) ? undefined : namespace ?? DEFAULT_NAMESPACE, name)),
    podTemplatesIn: (namespace) => templatesByNamespace.get(namespace) ?? [],
    podTemplateCandidates: (namespace, matchLabels) => {
      const entries = Object.entries(matchLabels ?? {});
      if (!entries.length) return templatesByNamespace.get(namespace) ?? [];
      const postings = entries.map(([key, value]) => templatesByLabel.get(labelKey(namespace, key, value)) ?? []);
      return postings.reduce((rarest, list) => (list.length < rarest.length ? list : rarest));
    },
    podTemplateOf: (owner) => templateByOwner.get(owner),
  };
}

/** Builds a finding about `target`; every rule goes through here so findings look alike. */
export function finding(
  rule: Pick<Rule, 'id' | 'apiServer'>,
  target: IndexedObject,
  path: string,
  message: string,
  options: { severity?: Severity; apiServer?: ApiServerVerdict } = {},
): Finding {
  return {
    rule: rule.id,
    severity: options.severity ?? 'error',
    source: target.source,
    object: target.label,
    path,
    message,
    apiServer: options.apiServer ?? rule.apiServer,
  };
}

/** True when `external` declares an object of that kind, namespace and name. */
export function isDeclaredExternal(context: RuleContext, kind: string, namespace: string | undefined, name: string): boolean {
  return context.externalObjects.some((external) =>
    external.kind === kind && external.name === name
    && (isClusterScoped(kind) || (external.namespace ?? DEFAULT_NAMESPACE) === (namespace ?? DEFAULT_NAMESPACE)));
}
