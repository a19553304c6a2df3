/**
 * What every cross-object rule is made of: a rule, the context it runs in, and an index of the
 * object set built once per run so that rules look objects up instead of scanning them all.
 */
import { asRecord, DEFAULT_NAMESPACE, field, identify, isClusterScoped, Json, matchesLabelMap } from '../manifest/objects';
import { ApiServerVerdict, ExternalObject, Finding, KubeObject, Severity, SourcedObject } from '../manifest/types';

/** The toolkit's helpers, still importable from here (new code imports them from `./objects`). */
export { asArray, asRecord, asString, DEFAULT_NAMESPACE, field, isClusterScoped, labelOf, objectLabel } from '../manifest/objects';
export type { Json } from '../manifest/objects';

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
export interface IndexedPodTemplate {
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
  /** Regular containers and sidecars (init containers with `restartPolicy: Always`): the ones that keep running. */
  readonly servingContainers: readonly ContainerRef[];
}

export interface ObjectIndex {
  readonly objects: readonly IndexedObject[];
  byKind(kind: string): readonly IndexedObject[];
  /** The object of that kind and name; `namespace` is ignored for cluster-scoped kinds. */
  find(kind: string, namespace: string | undefined, name: string): IndexedObject | undefined;
  podTemplatesIn(namespace: string): readonly IndexedPodTemplate[];
  /**
   * Pod templates in `namespace` that may match `matchLabels`: those carrying its rarest
   * key=value pair (every template of the namespace when it is empty). Callers still apply the
   * full selector; the narrowing keeps Services × pods linear instead of quadratic.
   */
  podTemplateCandidates(namespace: string, matchLabels: Readonly<Record<string, unknown>> | undefined): readonly IndexedPodTemplate[];
  podTemplateOf(owner: IndexedObject): IndexedPodTemplate | undefined;
  readonly podTemplates: readonly IndexedPodTemplate[];
  /**
   * The pod templates a Service selects (worked out once per Service, however many rules ask);
   * `undefined` when the Service has no selector (endpoints managed by hand).
   */
  podTemplatesSelectedBy(service: IndexedObject): readonly IndexedPodTemplate[] | undefined;
}

function indexObject(sourced: SourcedObject): IndexedObject {
  const { object, source, order } = sourced;
  const { kind, name, namespace, label } = identify(object);
  return { object, source, order, kind, name, namespace, label };
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

/** The paths of the pod spec and template labels, per kind, spelled once rather than per object. */
const TEMPLATE_PLACES: ReadonlyMap<string, { readonly path: readonly string[]; readonly specPath: string; readonly labelsPath: string }> = new Map(
  Object.entries(TEMPLATE_PATHS).map(([kind, path]) => [kind, { path, specPath: `${path.join('.')}.spec`, labelsPath: `${path.join('.')}.metadata.labels` }]),
);

function containerRefs(spec: Json, specPath: string): ContainerRef[] {
  const refs: ContainerRef[] = [];
  for (const [key, isInit] of CONTAINER_LISTS) {
    const list = spec[key];
    if (!Array.isArray(list)) continue;
    for (let i = 0; i < list.length; i++) {
      const record = asRecord(list[i]);
      if (record) refs.push({ container: record, path: `${specPath}.${key}[${i}]`, isInit });
    }
  }
  return refs;
}

const CONTAINER_LISTS = [['containers', false], ['initContainers', true]] as const;

function isServing(ref: ContainerRef): boolean {
  return !ref.isInit || ref.container.restartPolicy === 'Always';
}

function podTemplate(owner: IndexedObject, spec: Json, specPath: string, labelsPath: string, labels: Readonly<Record<string, unknown>>): IndexedPodTemplate {
  const containers = containerRefs(spec, specPath);
  // Most pods have no init containers: then the serving containers are all of them, and no second list is made.
  const servingContainers = containers.every(isServing) ? containers : containers.filter(isServing);
  return { owner, namespace: owner.namespace!, spec, specPath, labelsPath, labels, containers, servingContainers };
}

function podTemplateOf(owner: IndexedObject): IndexedPodTemplate | undefined {
  if (owner.namespace === undefined) return undefined;
  if (owner.kind === 'Pod') {
    const spec = asRecord(owner.object.spec);
    if (!spec) return undefined;
    return podTemplate(owner, spec, 'spec', 'metadata.labels', owner.object.metadata?.labels ?? {});
  }
  const place = TEMPLATE_PLACES.get(owner.kind);
  if (!place) return undefined;
  const template = asRecord(field(owner.object, ...place.path));
  const spec = asRecord(template?.spec);
  if (!template || !spec) return undefined;
  return podTemplate(owner, spec, place.specPath, place.labelsPath, asRecord(field(template, 'metadata', 'labels')) ?? {});
}

/** A map of maps: `get(a, b)` without building an `a\u0000b` key string per lookup. */
class TwoKeyMap<V> {
  private readonly outer = new Map<string, Map<string, V>>();

  get(a: string, b: string): V | undefined {
    return this.outer.get(a)?.get(b);
  }

  /** The value under `a`, `b`, created by `create` when absent. */
  upsert(a: string, b: string, create: () => V): V {
    let inner = this.outer.get(a);
    if (!inner) this.outer.set(a, (inner = new Map()));
    let value = inner.get(b);
    if (value === undefined) inner.set(b, (value = create()));
    return value;
  }
}

/** Appends `value` to the list under `key`, creating it. */
export function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

const NO_TEMPLATES: readonly IndexedPodTemplate[] = [];

/** Builds the index once per run; every lookup afterwards is a map access. */
export function buildIndex(objects: readonly SourcedObject[]): ObjectIndex {
  const indexed = objects.map(indexObject);
  const byKind = new Map<string, IndexedObject[]>();
  // kind -> namespace ('' for cluster-scoped) -> name -> object
  const byKindAndNamespace = new TwoKeyMap<Map<string, IndexedObject>>();
  const templatesByNamespace = new Map<string, IndexedPodTemplate[]>();
  const templateByOwner = new Map<IndexedObject, IndexedPodTemplate>();
  const templates: IndexedPodTemplate[] = [];
  // namespace -> label key -> String(label value) -> templates
  const templatesByLabel = new TwoKeyMap<Map<string, IndexedPodTemplate[]>>();
  const selectedByService = new Map<IndexedObject, readonly IndexedPodTemplate[] | undefined>();
  for (const object of indexed) {
    pushTo(byKind, object.kind, object);
    const names = byKindAndNamespace.upsert(object.kind, object.namespace ?? '', () => new Map());
    // The first object of a name wins, as a later `kubectl apply` of the same name only updates it.
    if (!names.has(object.name)) names.set(object.name, object);
    const template = podTemplateOf(object);
    if (template) {
      templates.push(template);
      templateByOwner.set(object, template);
      pushTo(templatesByNamespace, template.namespace, template);
      for (const key in template.labels) {
        if (!Object.prototype.hasOwnProperty.call(template.labels, key)) continue;
        pushTo(templatesByLabel.upsert(template.namespace, key, () => new Map()), String(template.labels[key]), template);
      }
    }
  }
  const podTemplateCandidates = (namespace: string, matchLabels: Readonly<Record<string, unknown>> | undefined): readonly IndexedPodTemplate[] => {
    let rarest: readonly IndexedPodTemplate[] | undefined;
    for (const key in matchLabels ?? {}) {
      if (!Object.prototype.hasOwnProperty.call(matchLabels, key)) continue;
      const list = templatesByLabel.get(namespace, key)?.get(String(matchLabels![key])) ?? NO_TEMPLATES;
      if (rarest === undefined || list.length < rarest.length) rarest = list;
    }
    return rarest ?? templatesByNamespace.get(namespace) ?? NO_TEMPLATES;
  };
  return {
    objects: indexed,
    podTemplates: templates,
    byKind: (kind) => byKind.get(kind) ?? [],
    find: (kind, namespace, name) => byKindAndNamespace.get(kind, isClusterScoped(kind) ? '' : namespace ?? DEFAULT_NAMESPACE)?.get(name),
    podTemplatesIn: (namespace) => templatesByNamespace.get(namespace) ?? [],
    podTemplateCandidates,
    podTemplateOf: (owner) => templateByOwner.get(owner),
    podTemplatesSelectedBy: (service) => {
      if (selectedByService.has(service)) return selectedByService.get(service);
      const selected = selectedTemplates(service, podTemplateCandidates);
      selectedByService.set(service, selected);
      return selected;
    },
  };
}

function selectedTemplates(service: IndexedObject, candidates: ObjectIndex['podTemplateCandidates']): readonly IndexedPodTemplate[] | undefined {
  const selector = asRecord(asRecord(service.object.spec)?.selector);
  if (!selector || service.namespace === undefined || !hasKeys(selector)) return undefined;
  return candidates(service.namespace, selector).filter((template) => matchesLabelMap(selector, template.labels));
}

function hasKeys(record: Json): boolean {
  for (const key in record) if (Object.prototype.hasOwnProperty.call(record, key)) return true;
  return false;
}

/** The empty result of a check that found nothing, shared so that clean objects allocate no list. */
export const NO_FINDINGS: readonly Finding[] = Object.freeze([]);

/**
 * The findings of `check` for each item, in order, in one array: what `items.flatMap(check)` gives,
 * without the intermediate arrays of a `flatMap` (rules run it over every object of the set).
 */
export function findingsOf<T>(items: readonly T[], check: (item: T) => readonly Finding[]): Finding[] {
  const findings: Finding[] = [];
  for (const item of items) {
    const found = check(item);
    for (let i = 0; i < found.length; i++) findings.push(found[i]);
  }
  return findings;
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
