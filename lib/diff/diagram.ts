import { compareText, field, isRecord, matchesLabelMap, matchesLabelSelector, records, stringMap } from '../manifest/objects';
import { NGINX_CANARY_ANNOTATION, NGINX_CANARY_WEIGHT_ANNOTATION, RELEASE_VERSION_LABEL } from '../manifest/release-labels';
import { KubeObject, SourcedObject } from '../manifest/types';

/**
 * Draws the architecture of a set of plain objects as a Mermaid flowchart inside a Markdown document:
 * Ingress hosts → Services → workloads → volume claims, Secret/ConfigMap references, HPAs, and the
 * connections NetworkPolicy ingress rules allow. Works on synthesized output and hand-written YAML alike.
 */
export function mermaidDiagram(objects: readonly SourcedObject[], options: { title?: string } = {}): string {
  const graph = buildGraph(objects.map((sourced) => sourced.object));
  return [`# ${options.title ?? 'Architecture'}`, '', '```mermaid', ...renderFlowchart(graph), '```', '', LEGEND, ''].join('\n');
}

const LEGEND =
  'Legend: `-->` Ingress host → Service → workload; `---` volume claim (cylinder); ' +
  '`-.->` Secret/ConfigMap reference or HPA scaling; `==>` connection allowed by a NetworkPolicy ingress rule, ' +
  'labelled with its ports (traffic to pods that no policy selects is not drawn). ' +
  `A released version shows its \`${RELEASE_VERSION_LABEL}\`: \`live\` when a Service that a primary Ingress (or an HTTPRoute's largest share) routes to selects it, ` +
  '`canary N%` when only an ingress-nginx canary Ingress or the smaller share of an HTTPRoute does.';

type Shape = 'box' | 'rounded' | 'stadium' | 'cylinder' | 'hexagon' | 'trapezoid' | 'subroutine';
type EdgeKind = 'route' | 'selects' | 'storage' | 'config' | 'scales' | 'allows';
const EDGE_KIND_ORDER: readonly EdgeKind[] = ['route', 'selects', 'storage', 'config', 'scales', 'allows'];

interface GraphNode {
  /** Unique and stable; the Mermaid id is derived from `idBase` and made unique at render time. */
  readonly key: string;
  readonly idBase: string;
  readonly lines: readonly string[];
  readonly shape: Shape;
  /** Namespaced nodes are grouped by namespace when the graph spans several. */
  readonly namespace?: string;
}

interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
  /** Merged when several rules draw the same edge, e.g. two ports of one connection. */
  readonly labels: Set<string>;
}

interface Graph {
  readonly nodes: Map<string, GraphNode>;
  readonly edges: Map<string, GraphEdge>;
}

const WORKLOAD_PREFIXES: Readonly<Record<string, string>> = {
  Deployment: 'deploy',
  StatefulSet: 'sts',
  DaemonSet: 'ds',
  Job: 'job',
  CronJob: 'cronjob',
};

interface Workload {
  readonly node: GraphNode;
  readonly object: KubeObject;
  readonly namespace: string;
  readonly podLabels: Readonly<Record<string, string>>;
  readonly podSpec: Readonly<Record<string, unknown>>;
}

function buildGraph(objects: readonly KubeObject[]): Graph {
  const graph: Graph = { nodes: new Map(), edges: new Map() };
  const index = indexObjects(objects);
  const routes = ingressRoutes(objects);
  const services = objects.filter((object) => object.kind === 'Service');
  const workloads = objects.filter((object) => object.kind in WORKLOAD_PREFIXES).map((object) => toWorkload(object, services, routes));
  for (const workload of workloads) {
    addNode(graph, workload.node);
  }
  for (const object of objects) {
    switch (object.kind) {
      case 'Service':
        addServiceEdges(graph, object, workloads, index);
        break;
      case 'Ingress':
        addIngressEdges(graph, object, index);
        break;
      case 'HTTPRoute':
        addHttpRouteEdges(graph, object, index);
        break;
      case 'HorizontalPodAutoscaler':
        addAutoscalerEdge(graph, object, index);
        break;
      case 'NetworkPolicy':
        addAllowedConnections(graph, object, workloads);
        break;
    }
  }
  for (const workload of workloads) {
    addStorageEdges(graph, workload, index);
    addConfigEdges(graph, workload, index);
  }
  return graph;
}

// ---- Objects and fields ----

type ObjectIndex = ReadonlyMap<string, KubeObject>;

function indexObjects(objects: readonly KubeObject[]): ObjectIndex {
  return new Map(objects.map((object) => [objectKey(object.kind, namespaceOf(object), nameOf(object)), object]));
}

function objectKey(kind: string, namespace: string, name: string): string {
  return `${kind}|${namespace}|${name}`;
}

function namespaceOf(object: KubeObject): string {
  return object.metadata?.namespace ?? 'default';
}

function nameOf(object: KubeObject): string {
  return object.metadata?.name ?? '';
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

// ---- Nodes ----

function addNode(graph: Graph, node: GraphNode): GraphNode {
  const existing = graph.nodes.get(node.key);
  if (existing) {
    return existing;
  }
  graph.nodes.set(node.key, node);
  return node;
}

function addEdge(graph: Graph, from: GraphNode, to: GraphNode, kind: EdgeKind, label?: string): void {
  const key = `${kind}|${from.key}|${to.key}`;
  const edge = graph.edges.get(key) ?? { from: from.key, to: to.key, kind, labels: new Set<string>() };
  if (label !== undefined) {
    edge.labels.add(label);
  }
  graph.edges.set(key, edge);
}

function sanitizeId(text: string): string {
  return text.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '') || 'x';
}

/** A node for an object of the set or, when the set lacks it, for the reference alone. */
function objectNode(
  kind: string,
  namespace: string,
  name: string,
  index: ObjectIndex,
  prefix: string,
  shape: Shape,
  details: (object: KubeObject) => string[] = () => [],
): GraphNode {
  const object = index.get(objectKey(kind, namespace, name));
  return {
    key: objectKey(kind, namespace, name),
    idBase: `${prefix}_${sanitizeId(namespace)}_${sanitizeId(name)}`,
    lines: [kind, name, ...(object ? details(object) : ['(not in manifests)'])],
    shape,
    namespace,
  };
}

function toWorkload(object: KubeObject, services: readonly KubeObject[], routes: IngressRoutes): Workload {
  const template = object.kind === 'CronJob' ? field(object, 'spec', 'jobTemplate', 'spec', 'template') : field(object, 'spec', 'template');
  const namespace = namespaceOf(object);
  const podLabels = stringMap(field(template, 'metadata', 'labels'));
  return {
    node: {
      key: objectKey(object.kind, namespace, nameOf(object)),
      idBase: `${WORKLOAD_PREFIXES[object.kind]}_${sanitizeId(namespace)}_${sanitizeId(nameOf(object))}`,
      lines: [object.kind, nameOf(object), ...workloadDetails(object), ...versionDetails(namespace, podLabels, services, routes)],
      shape: 'box',
      namespace,
    },
    object,
    namespace,
    podLabels,
    podSpec: isRecord(field(template, 'spec')) ? (field(template, 'spec') as Record<string, unknown>) : {},
  };
}

function workloadDetails(object: KubeObject): string[] {
  switch (object.kind) {
    case 'Deployment':
    case 'StatefulSet': {
      const replicas = field(object, 'spec', 'replicas');
      return [`replicas: ${typeof replicas === 'number' ? replicas : 1}`];
    }
    case 'CronJob':
      return [`schedule: ${String(field(object, 'spec', 'schedule') ?? '?')}`];
    default:
      return [];
  }
}

// ---- Released versions ----

/** Services an Ingress routes to, by key: the primary routes, and the weights of ingress-nginx canary routes. */
interface IngressRoutes {
  readonly primary: ReadonlySet<string>;
  readonly canary: ReadonlyMap<string, string>;
}

function isCanaryIngress(ingress: KubeObject): boolean {
  return ingress.metadata?.annotations?.[NGINX_CANARY_ANNOTATION] === 'true';
}

function canaryWeight(ingress: KubeObject): string {
  return ingress.metadata?.annotations?.[NGINX_CANARY_WEIGHT_ANNOTATION] ?? '0';
}

function ingressBackends(ingress: KubeObject): string[] {
  const backends = [field(ingress, 'spec', 'defaultBackend') ?? field(ingress, 'spec', 'backend')];
  for (const rule of records(field(ingress, 'spec', 'rules'))) {
    for (const path of records(field(rule, 'http', 'paths'))) backends.push(path.backend);
  }
  return backends.map(ingressBackendService).filter((name): name is string => name !== undefined);
}

/** The Services of an HTTPRoute's backendRefs with their share of its traffic, in percent. */
function httpRouteBackends(route: KubeObject): { name: string; share: number }[] {
  const refs = records(field(route, 'spec', 'rules')).flatMap((rule) => records(rule.backendRefs))
    .filter((ref) => (stringOf(ref.kind) ?? 'Service') === 'Service' && stringOf(ref.name) !== undefined);
  const weightOf = (ref: Record<string, unknown>) => (typeof ref.weight === 'number' ? ref.weight : 1);
  const total = refs.reduce((sum, ref) => sum + weightOf(ref), 0);
  return refs.map((ref) => ({ name: String(ref.name), share: total > 0 ? Math.round((weightOf(ref) * 100) / total) : 0 }));
}

function ingressRoutes(objects: readonly KubeObject[]): IngressRoutes {
  const primary = new Set<string>();
  const canary = new Map<string, string>();
  for (const route of objects.filter((object) => object.kind === 'HTTPRoute')) {
    const backends = httpRouteBackends(route);
    const largest = Math.max(...backends.map((backend) => backend.share));
    for (const backend of backends) {
      const key = objectKey('Service', namespaceOf(route), backend.name);
      if (backend.share === largest) primary.add(key);
      else canary.set(key, String(backend.share));
    }
  }
  for (const ingress of objects.filter((object) => object.kind === 'Ingress')) {
    for (const name of ingressBackends(ingress)) {
      const key = objectKey('Service', namespaceOf(ingress), name);
      if (isCanaryIngress(ingress)) canary.set(key, canaryWeight(ingress));
      else primary.add(key);
    }
  }
  return { primary, canary };
}

/** `version: blue (live)` for the pods of a released version; nothing for other pods. */
function versionDetails(namespace: string, podLabels: Readonly<Record<string, string>>, services: readonly KubeObject[], routes: IngressRoutes): string[] {
  const version = podLabels[RELEASE_VERSION_LABEL];
  if (version === undefined) {
    return [];
  }
  const selecting = services
    .filter((service) => namespaceOf(service) === namespace)
    .filter((service) => {
      const selector = stringMap(field(service, 'spec', 'selector'));
      return Object.keys(selector).length > 0 && matchesLabelMap(selector, podLabels);
    })
    .map((service) => objectKey('Service', namespace, nameOf(service)));
  if (selecting.some((key) => routes.primary.has(key))) {
    return [`version: ${version} (live)`];
  }
  const weight = selecting.map((key) => routes.canary.get(key)).find((w) => w !== undefined);
  return [weight === undefined ? `version: ${version}` : `version: ${version} (canary ${weight}%)`];
}

// ---- Services and Ingresses ----

function serviceNode(namespace: string, name: string, index: ObjectIndex): GraphNode {
  return objectNode('Service', namespace, name, index, 'svc', 'rounded');
}

function addServiceEdges(graph: Graph, service: KubeObject, workloads: readonly Workload[], index: ObjectIndex): void {
  const node = addNode(graph, serviceNode(namespaceOf(service), nameOf(service), index));
  const selector = stringMap(field(service, 'spec', 'selector'));
  if (Object.keys(selector).length === 0) {
    return; // no selector: endpoints are managed by hand, nothing to draw
  }
  for (const workload of workloads) {
    if (workload.namespace === namespaceOf(service) && matchesLabelMap(selector, workload.podLabels)) {
      addEdge(graph, node, workload.node, 'selects');
    }
  }
}

function hostNode(host: string): GraphNode {
  return { key: `host|${host}`, idBase: `host_${sanitizeId(host === '*' ? 'any' : host)}`, lines: ['Host', host], shape: 'stadium' };
}

function addIngressEdges(graph: Graph, ingress: KubeObject, index: ObjectIndex): void {
  const namespace = namespaceOf(ingress);
  const canary = isCanaryIngress(ingress) ? ` canary ${canaryWeight(ingress)}%` : '';
  const route = (host: string, path: string, backend: unknown) => {
    const serviceName = ingressBackendService(backend);
    if (serviceName !== undefined) {
      addEdge(graph, addNode(graph, hostNode(host)), addNode(graph, serviceNode(namespace, serviceName, index)), 'route', `${path}${canary}`);
    }
  };
  const defaultBackend = field(ingress, 'spec', 'defaultBackend') ?? field(ingress, 'spec', 'backend');
  if (defaultBackend !== undefined) {
    route('*', 'default backend', defaultBackend);
  }
  for (const rule of records(field(ingress, 'spec', 'rules'))) {
    for (const path of records(field(rule, 'http', 'paths'))) {
      route(stringOf(rule.host) ?? '*', stringOf(path.path) ?? '/', path.backend);
    }
  }
}

/** `networking.k8s.io/v1` names the service in `backend.service.name`, the older beta APIs in `backend.serviceName`. */
function ingressBackendService(backend: unknown): string | undefined {
  return stringOf(field(backend, 'service', 'name')) ?? stringOf(field(backend, 'serviceName'));
}

/** Host → Service edges of an HTTPRoute, labelled with the path and each backend's share when it is split. */
function addHttpRouteEdges(graph: Graph, route: KubeObject, index: ObjectIndex): void {
  const namespace = namespaceOf(route);
  const hostnames = Array.isArray(field(route, 'spec', 'hostnames')) ? (field(route, 'spec', 'hostnames') as unknown[]).map(String) : ['*'];
  const paths = records(field(route, 'spec', 'rules')).flatMap((rule) => records(rule.matches)).map((match) => stringOf(field(match, 'path', 'value')) ?? '/');
  const backends = httpRouteBackends(route);
  for (const host of hostnames) {
    for (const path of paths.length ? paths : ['/']) {
      for (const backend of backends) {
        const label = backends.length > 1 ? `${path} ${backend.share}%` : path;
        addEdge(graph, addNode(graph, hostNode(host)), addNode(graph, serviceNode(namespace, backend.name, index)), 'route', label);
      }
    }
  }
}

// ---- Storage, Secrets and ConfigMaps ----

function addStorageEdges(graph: Graph, workload: Workload, index: ObjectIndex): void {
  for (const template of records(field(workload.object, 'spec', 'volumeClaimTemplates'))) {
    const name = stringOf(field(template, 'metadata', 'name')) ?? '';
    const storage = stringOf(field(template, 'spec', 'resources', 'requests', 'storage'));
    const claim: GraphNode = {
      key: `pvc-template|${workload.node.key}|${name}`,
      idBase: `pvct_${workload.node.idBase}_${sanitizeId(name)}`,
      lines: ['PVC template', name, ...(storage ? [storage] : [])],
      shape: 'cylinder',
      namespace: workload.namespace,
    };
    addEdge(graph, workload.node, addNode(graph, claim), 'storage');
  }
  for (const volume of records(workload.podSpec.volumes)) {
    const claimName = stringOf(field(volume, 'persistentVolumeClaim', 'claimName'));
    if (claimName !== undefined) {
      const claim = objectNode('PersistentVolumeClaim', workload.namespace, claimName, index, 'pvc', 'cylinder', (object) => {
        const storage = stringOf(field(object, 'spec', 'resources', 'requests', 'storage'));
        return storage ? [storage] : [];
      });
      addEdge(graph, workload.node, addNode(graph, claim), 'storage');
    }
  }
}

interface ConfigReference {
  readonly kind: 'Secret' | 'ConfigMap';
  readonly name: string;
}

function addConfigEdges(graph: Graph, workload: Workload, index: ObjectIndex): void {
  for (const reference of configReferences(workload.podSpec)) {
    const prefix = reference.kind === 'Secret' ? 'secret' : 'cm';
    const node = objectNode(reference.kind, workload.namespace, reference.name, index, prefix, 'hexagon');
    addEdge(graph, workload.node, addNode(graph, node), 'config');
  }
}

/** Volumes (plain and projected), `env[].valueFrom` and `envFrom` of every container and init container. */
function configReferences(podSpec: Readonly<Record<string, unknown>>): ConfigReference[] {
  const references: ConfigReference[] = [];
  const add = (kind: ConfigReference['kind'], name: unknown) => {
    const text = stringOf(name);
    if (text !== undefined) {
      references.push({ kind, name: text });
    }
  };
  for (const volume of records(podSpec.volumes)) {
    add('Secret', field(volume, 'secret', 'secretName'));
    add('ConfigMap', field(volume, 'configMap', 'name'));
    for (const source of records(field(volume, 'projected', 'sources'))) {
      add('Secret', field(source, 'secret', 'name'));
      add('ConfigMap', field(source, 'configMap', 'name'));
    }
  }
  for (const container of [...records(podSpec.initContainers), ...records(podSpec.containers)]) {
    for (const variable of records(container.env)) {
      add('Secret', field(variable, 'valueFrom', 'secretKeyRef', 'name'));
      add('ConfigMap', field(variable, 'valueFrom', 'configMapKeyRef', 'name'));
    }
    for (const source of records(container.envFrom)) {
      add('Secret', field(source, 'secretRef', 'name'));
      add('ConfigMap', field(source, 'configMapRef', 'name'));
    }
  }
  return references;
}

// ---- Autoscalers ----

function addAutoscalerEdge(graph: Graph, hpa: KubeObject, index: ObjectIndex): void {
  const namespace = namespaceOf(hpa);
  const min = field(hpa, 'spec', 'minReplicas') ?? 1;
  const max = field(hpa, 'spec', 'maxReplicas') ?? '?';
  const autoscaler = addNode(graph, {
    key: objectKey(hpa.kind, namespace, nameOf(hpa)),
    idBase: `hpa_${sanitizeId(namespace)}_${sanitizeId(nameOf(hpa))}`,
    lines: ['HorizontalPodAutoscaler', nameOf(hpa), `replicas: ${String(min)}–${String(max)}`],
    shape: 'subroutine',
    namespace,
  });
  const targetKind = stringOf(field(hpa, 'spec', 'scaleTargetRef', 'kind'));
  const targetName = stringOf(field(hpa, 'spec', 'scaleTargetRef', 'name'));
  if (targetKind === undefined || targetName === undefined) {
    return;
  }
  const prefix = WORKLOAD_PREFIXES[targetKind] ?? sanitizeId(targetKind).toLowerCase();
  // A workload of the set is already in the graph under the same key; addNode returns it.
  const target = addNode(graph, objectNode(targetKind, namespace, targetName, index, prefix, 'box'));
  addEdge(graph, autoscaler, target, 'scales', 'scales');
}

// ---- NetworkPolicies ----

/** A type, not an interface, so that it is a plain object for matchesLabelSelector. */
type LabelSelector = {
  readonly matchLabels: Readonly<Record<string, string>>;
  readonly matchExpressions: readonly { key: string; operator: string; values: readonly string[] }[];
};

const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

function toSelector(value: unknown): LabelSelector {
  return {
    matchLabels: stringMap(field(value, 'matchLabels')),
    matchExpressions: records(field(value, 'matchExpressions')).map((expression) => ({
      key: String(expression.key ?? ''),
      operator: String(expression.operator ?? ''),
      values: Array.isArray(expression.values) ? expression.values.map(String) : [],
    })),
  };
}

function describeSelector(selector: LabelSelector): string {
  const parts = [
    ...Object.entries(selector.matchLabels).map(([key, value]) => `${key}=${value}`),
    ...selector.matchExpressions.map(({ key, operator, values }) =>
      operator === 'Exists' ? key : operator === 'DoesNotExist' ? `!${key}` : `${key} ${operator} (${values.join(', ')})`,
    ),
  ];
  return parts.length === 0 ? 'all' : parts.join(', ');
}

/** The namespace names a selector picks by their `kubernetes.io/metadata.name` label alone, if it does only that. */
function namespaceNames(selector: LabelSelector): string[] | undefined {
  const labelKeys = Object.keys(selector.matchLabels);
  if (labelKeys.length === 1 && labelKeys[0] === NAMESPACE_NAME_LABEL && selector.matchExpressions.length === 0) {
    return [selector.matchLabels[NAMESPACE_NAME_LABEL]];
  }
  const [expression, ...others] = selector.matchExpressions;
  if (labelKeys.length === 0 && others.length === 0 && expression?.key === NAMESPACE_NAME_LABEL && expression.operator === 'In') {
    return [...expression.values];
  }
  return undefined;
}

function addAllowedConnections(graph: Graph, policy: KubeObject, workloads: readonly Workload[]): void {
  const policyTypes = field(policy, 'spec', 'policyTypes');
  if (Array.isArray(policyTypes) && !policyTypes.includes('Ingress')) {
    return;
  }
  const namespace = namespaceOf(policy);
  const podSelector = toSelector(field(policy, 'spec', 'podSelector'));
  const servers = workloads.filter((workload) => workload.namespace === namespace && matchesLabelSelector(podSelector, workload.podLabels));
  for (const rule of records(field(policy, 'spec', 'ingress'))) {
    const peers = records(rule.from);
    const clients = peers.length === 0 ? [addNode(graph, anySourceNode())] : peers.flatMap((peer) => peerNodes(graph, peer, namespace, workloads));
    const ports = portLabels(rule.ports);
    for (const client of clients) {
      for (const server of servers) {
        for (const port of ports) {
          addEdge(graph, client, server.node, 'allows', port);
        }
      }
    }
  }
}

/** The workloads a `from` peer selects, or a node standing for clients outside the set. */
function peerNodes(graph: Graph, peer: Record<string, unknown>, policyNamespace: string, workloads: readonly Workload[]): GraphNode[] {
  const ipBlock = peer.ipBlock;
  if (isRecord(ipBlock)) {
    return [addNode(graph, ipBlockNode(ipBlock))];
  }
  const podSelector = isRecord(peer.podSelector) ? toSelector(peer.podSelector) : undefined;
  const matchingIn = (namespace: string) =>
    workloads.filter((workload) => workload.namespace === namespace && (!podSelector || matchesLabelSelector(podSelector, workload.podLabels)));
  if (!isRecord(peer.namespaceSelector)) {
    return matchingIn(policyNamespace).map((workload) => workload.node);
  }
  const namespaceSelector = toSelector(peer.namespaceSelector);
  const names = namespaceNames(namespaceSelector);
  if (names === undefined) {
    return [addNode(graph, namespacesNode(`namespaces: ${describeSelector(namespaceSelector)}`, podSelector))];
  }
  return names.flatMap((name) => {
    const known = workloads.some((workload) => workload.namespace === name);
    return known ? matchingIn(name).map((workload) => workload.node) : [addNode(graph, namespacesNode(name, podSelector))];
  });
}

function namespacesNode(description: string, podSelector: LabelSelector | undefined): GraphNode {
  const pods = podSelector ? [`pods: ${describeSelector(podSelector)}`] : [];
  return {
    key: `namespace|${description}|${pods.join('')}`,
    idBase: `ns_${sanitizeId(description)}${podSelector ? `_${sanitizeId(describeSelector(podSelector))}` : ''}`,
    lines: ['Namespace', description, ...pods],
    shape: 'trapezoid',
  };
}

function ipBlockNode(ipBlock: Record<string, unknown>): GraphNode {
  const cidr = String(ipBlock.cidr ?? '?');
  const except = Array.isArray(ipBlock.except) ? ipBlock.except.map(String) : [];
  return {
    key: `ip|${cidr}|${except.join(',')}`,
    idBase: `ip_${sanitizeId(cidr)}`,
    lines: ['IP block', cidr, ...(except.length > 0 ? [`except ${except.join(', ')}`] : [])],
    shape: 'trapezoid',
  };
}

function anySourceNode(): GraphNode {
  return { key: 'any-source', idBase: 'any_source', lines: ['Any source'], shape: 'trapezoid' };
}

function portLabels(ports: unknown): string[] {
  const entries = records(ports);
  if (entries.length === 0) {
    return ['any port'];
  }
  return entries.map((entry) => {
    const port = entry.port === undefined ? 'any port' : String(entry.port);
    const range = typeof entry.endPort === 'number' ? `${port}-${entry.endPort}` : port;
    const protocol = stringOf(entry.protocol) ?? 'TCP';
    return protocol === 'TCP' ? range : `${range}/${protocol}`;
  });
}

// ---- Rendering ----

function renderFlowchart(graph: Graph): string[] {
  const nodes = [...graph.nodes.values()].sort((a, b) => compareText(a.idBase, b.idBase) || compareText(a.key, b.key));
  const ids = assignIds(nodes);
  const namespaces = [...new Set(nodes.flatMap((node) => (node.namespace === undefined ? [] : [node.namespace])))].sort(compareText);
  const lines = ['flowchart LR'];

  if (namespaces.length > 1) {
    for (const namespace of namespaces) {
      lines.push(`  subgraph ${uniqueId(`namespace_${sanitizeId(namespace)}`, ids.used)} ["namespace ${escapeLabel(namespace)}"]`);
      for (const node of nodes.filter((candidate) => candidate.namespace === namespace)) {
        lines.push(`    ${renderNode(ids.byKey.get(node.key)!, node)}`);
      }
      lines.push('  end');
    }
    for (const node of nodes.filter((candidate) => candidate.namespace === undefined)) {
      lines.push(`  ${renderNode(ids.byKey.get(node.key)!, node)}`);
    }
  } else {
    for (const node of nodes) {
      lines.push(`  ${renderNode(ids.byKey.get(node.key)!, node)}`);
    }
  }

  const edges = [...graph.edges.values()].map((edge) => ({ edge, from: ids.byKey.get(edge.from)!, to: ids.byKey.get(edge.to)! }));
  edges.sort(
    (a, b) =>
      EDGE_KIND_ORDER.indexOf(a.edge.kind) - EDGE_KIND_ORDER.indexOf(b.edge.kind) ||
      compareText(a.from, b.from) ||
      compareText(a.to, b.to),
  );
  for (const { edge, from, to } of edges) {
    lines.push(`  ${renderEdge(from, to, edge)}`);
  }
  return lines;
}

function assignIds(sortedNodes: readonly GraphNode[]): { byKey: Map<string, string>; used: Set<string> } {
  const used = new Set<string>();
  const byKey = new Map(sortedNodes.map((node) => [node.key, uniqueId(node.idBase, used)]));
  return { byKey, used };
}

/** Names that only differ in punctuation (`a-b`, `a.b`) sanitize alike; later ones get a suffix. */
function uniqueId(base: string, used: Set<string>): string {
  let id = base;
  for (let suffix = 2; used.has(id); suffix++) {
    id = `${base}_${suffix}`;
  }
  used.add(id);
  return id;
}

const SHAPES: Readonly<Record<Shape, readonly [string, string]>> = {
  box: ['[', ']'],
  rounded: ['(', ')'],
  stadium: ['([', '])'],
  cylinder: ['[(', ')]'],
  hexagon: ['{{', '}}'],
  trapezoid: ['[/', '\\]'],
  subroutine: ['[[', ']]'],
};

function renderNode(id: string, node: GraphNode): string {
  const [open, close] = SHAPES[node.shape];
  return `${id}${open}"${node.lines.map(escapeLabel).join('<br/>')}"${close}`;
}

const ARROWS: Readonly<Record<EdgeKind, string>> = {
  route: '-->',
  selects: '-->',
  storage: '---',
  config: '-.->',
  scales: '-.->',
  allows: '==>',
};

function renderEdge(from: string, to: string, edge: GraphEdge): string {
  const labels = [...edge.labels].sort(comparePortsOrText);
  const label = labels.length === 0 ? '' : `|"${escapeLabel(labels.join(', '))}"|`;
  return `${from} ${ARROWS[edge.kind]}${label} ${to}`;
}

/** Mermaid ends a quoted label at `"`; its entity syntax keeps the character. */
function escapeLabel(text: string): string {
  return text.replace(/"/g, '#quot;');
}

/** Port numbers in numeric order (`6379` before `27017`), anything else after them as text. */
function comparePortsOrText(a: string, b: string): number {
  const [portA, portB] = [parseInt(a, 10), parseInt(b, 10)];
  if (!Number.isNaN(portA) && !Number.isNaN(portB) && portA !== portB) {
    return portA - portB;
  }
  if (Number.isNaN(portA) !== Number.isNaN(portB)) {
    return Number.isNaN(portA) ? 1 : -1;
  }
  return compareText(a, b);
}
