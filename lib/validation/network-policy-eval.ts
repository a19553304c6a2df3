/**
 * Which connections the NetworkPolicies of a set of manifests allow, by the Kubernetes semantics
 * (`networking.k8s.io/v1` NetworkPolicySpec):
 *
 * - a pod is isolated for a direction (Ingress, Egress) once a policy of that type selects it; a pod
 *   no policy of the type selects is open in that direction;
 * - the rules of every policy selecting the pod are unioned; a connection needs the source's egress
 *   and the destination's ingress both to allow it;
 * - `policyTypes` absent means Ingress, plus Egress when the policy has egress rules (the API
 *   server's defaulting);
 * - a rule without `from`/`to` admits every peer, without `ports` every port; a peer's
 *   `podSelector` alone means pods of the policy's namespace, with a `namespaceSelector` pods of
 *   the selected namespaces (matched on their labels, `kubernetes.io/metadata.name` included); a
 *   port is a number, a range up to `endPort`, or a name resolved on the destination pod's
 *   containers; the protocol defaults to TCP.
 *
 * What the manifests cannot tell makes an answer `maybe` rather than a guess: the labels of a
 * namespace the set does not create (only its name label is known), the labels of pods outside the
 * set (an ingress controller's), whether an `ipBlock` covers a pod's IP (pod IPs are not in the
 * manifests, and CNIs differ on ipBlocks that cover pods), and host-network pods (policies do not
 * apply to them). Pods carry their template's labels; labels a controller adds (`pod-template-hash`,
 * `job-name`) are not known.
 */
import { asArray, asRecord, asString, Json, matchesLabelSelector } from '../manifest/objects';
import { cidrContains, parseCidr } from '../manifest/cidr';
import { declaredPorts } from './ports';
import { IndexedObject, IndexedPodTemplate, ObjectIndex, pushTo } from './rule';
import { hasKnownOperators } from './selectors';

/** An answer that may depend on what the manifests do not say. */
export type Reachability = 'yes' | 'no' | 'maybe';

type Labels = Readonly<Record<string, unknown>>;

/** A pod at one end of a connection. */
export interface PodPeer {
  readonly kind: 'pod';
  /** The pod's namespace; `undefined` when it is unknown (see `notNamespace`). */
  readonly namespace: string | undefined;
  /** With an unknown `namespace`: a namespace it is known not to be in. */
  readonly notNamespace?: string;
  /** The pod's labels; `undefined` when unknown. */
  readonly labels: Labels | undefined;
  /** The pod template of the set the pod comes from: its named ports and host networking are known. */
  readonly template?: IndexedPodTemplate;
}

/** An address outside the cluster's pods (matched by `ipBlock` peers only). */
export interface AddressPeer {
  readonly kind: 'address';
  /** The address; `undefined` for some address outside the cluster, which is unknown (see {@link someAddressOutside}). */
  readonly ip: string | undefined;
}

export type NetworkPeer = PodPeer | AddressPeer;

/** A pod of `template`. */
export function podOf(template: IndexedPodTemplate): PodPeer {
  return { kind: 'pod', namespace: template.namespace, labels: template.labels, template };
}

/** Some pod of `namespace` whose labels are unknown (a Gateway's data plane). */
export function somePodOfNamespace(namespace: string): PodPeer {
  return { kind: 'pod', namespace, labels: undefined };
}

/**
 * Some address outside the cluster, unknown (the client of a NodePort or LoadBalancer Service): an
 * `ipBlock` may cover it (`yes` for `0.0.0.0/0` or `::/0` with no `except`), a pod or namespace
 * selector never does.
 */
export function someAddressOutside(): AddressPeer {
  return { kind: 'address', ip: undefined };
}

/** Some pod of a namespace other than `namespace`, labels unknown (an ingress controller installed elsewhere). */
export function somePodOutside(namespace: string): PodPeer {
  return { kind: 'pod', namespace: undefined, notNamespace: namespace, labels: undefined };
}

/** What one direction of a connection gets: its verdict and the policies of that direction that select the pod. */
export interface DirectionVerdict {
  readonly allowed: Reachability;
  /** The policies of this direction that select (or may select) the pod; none: the pod is open in this direction. */
  readonly policies: readonly IndexedObject[];
}

export interface ConnectionVerdict {
  readonly allowed: Reachability;
  /** The source's side: the egress policies that select it. */
  readonly egress: DirectionVerdict;
  /** The destination's side: the ingress policies that select it. */
  readonly ingress: DirectionVerdict;
}

/** One connection: from a peer to a peer on a port (the destination pod's port, after a Service's translation). */
export interface Connection {
  readonly from: NetworkPeer;
  readonly to: NetworkPeer;
  readonly port: number;
  /** @default 'TCP' */
  readonly protocol?: string;
}

// ---- Kleene logic over yes / no / maybe ----

function not(value: Reachability): Reachability {
  return value === 'yes' ? 'no' : value === 'no' ? 'yes' : 'maybe';
}

function and(a: Reachability, b: Reachability): Reachability {
  if (a === 'no' || b === 'no') return 'no';
  return a === 'yes' && b === 'yes' ? 'yes' : 'maybe';
}

function or(a: Reachability, b: Reachability): Reachability {
  if (a === 'yes' || b === 'yes') return 'yes';
  return a === 'no' && b === 'no' ? 'no' : 'maybe';
}

function some<T>(items: readonly T[], test: (item: T) => Reachability): Reachability {
  let result: Reachability = 'no';
  for (const item of items) {
    result = or(result, test(item));
    if (result === 'yes') return result;
  }
  return result;
}

function truth(value: boolean): Reachability {
  return value ? 'yes' : 'no';
}

// ---- Labels known in part ----

/** Labels of which `known` are certain; `complete` when there are no others. */
interface PartialLabels {
  readonly known: Labels;
  readonly complete: boolean;
  /** A key known not to have this value (the name label of "a namespace other than X"). */
  readonly excluded?: { readonly key: string; readonly value: string };
}

function hasOwn(labels: Labels, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(labels, key);
}

/** The value test of one selector term on a key whose value is unknown. */
function unknownValue(labels: PartialLabels, key: string, allowedValues: readonly unknown[] | undefined): Reachability {
  if (allowedValues && labels.excluded?.key === key && allowedValues.every((value) => value === labels.excluded!.value)) return 'no';
  return 'maybe';
}

/** A LabelSelector against labels known in part; with complete labels, exactly {@link matchesLabelSelector}. */
function matchSelector(selector: Json, labels: PartialLabels): Reachability {
  if (!hasKnownOperators(selector)) return 'no'; // the API server refuses the policy, so it admits nothing
  if (labels.complete) return truth(matchesLabelSelector(selector, labels.known));
  let result: Reachability = 'yes';
  for (const [key, value] of Object.entries(asRecord(selector.matchLabels) ?? {})) {
    result = and(result, hasOwn(labels.known, key) ? truth(labels.known[key] === value) : unknownValue(labels, key, [value]));
  }
  for (const raw of asArray(selector.matchExpressions)) {
    const expression = asRecord(raw) ?? {};
    const key = asString(expression.key) ?? '';
    if (hasOwn(labels.known, key)) {
      result = and(result, truth(matchesLabelSelector({ matchExpressions: [expression] }, labels.known)));
      continue;
    }
    const values = asArray(expression.values);
    // An unknown key may be absent (Exists fails) or hold any value but an excluded one.
    result = and(result, expression.operator === 'In' ? unknownValue(labels, key, values) : 'maybe');
  }
  return result;
}

// ---- Policies ----

const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

interface ParsedPolicy {
  readonly object: IndexedObject;
  /** Its place among the set's policies. */
  readonly order: number;
  readonly namespace: string;
  readonly podSelector: Json;
  readonly ingress: readonly Json[] | undefined;
  readonly egress: readonly Json[] | undefined;
}

/** The rules of `direction`, or `undefined` when the policy is not of that type (policyTypes as the API server defaults them). */
function rulesOf(spec: Json, direction: 'Ingress' | 'Egress'): readonly Json[] | undefined {
  const listed = asArray(spec.policyTypes);
  const egressRules = asArray(spec.egress);
  const types = listed.length ? listed : egressRules.length ? ['Ingress', 'Egress'] : ['Ingress'];
  if (!types.includes(direction)) return undefined;
  return asArray(direction === 'Ingress' ? spec.ingress : spec.egress).map((rule) => asRecord(rule) ?? {});
}

/** The policies of one namespace, and an index of them by a matchLabels pair of their podSelector. */
interface NamespacePolicies {
  readonly all: ParsedPolicy[];
  /** Policies whose podSelector has no matchLabels (empty, or only expressions): any pod may be selected. */
  readonly withoutLabels: ParsedPolicy[];
  readonly byLabel: Map<string, ParsedPolicy[]>;
}

function labelKey(key: string, value: unknown): string {
  return `${key}\u0000${String(value)}`;
}

function parsePolicy(object: IndexedObject, order: number): ParsedPolicy | undefined {
  const spec = asRecord(object.object.spec);
  const podSelector = asRecord(spec?.podSelector);
  if (!spec || !podSelector || object.namespace === undefined) return undefined;
  return { object, order, namespace: object.namespace, podSelector, ingress: rulesOf(spec, 'Ingress'), egress: rulesOf(spec, 'Egress') };
}

/**
 * Answers "is this connection allowed?" for the pods and NetworkPolicies of one object set. Build
 * it with {@link networkPolicyEvaluator}, which keeps one per index.
 */
export class NetworkPolicyEvaluator {
  private readonly policiesByNamespace = new Map<string, NamespacePolicies>();
  private readonly namespaceLabels = new Map<string, Labels>();
  private readonly candidatesOfTemplate = new Map<IndexedPodTemplate, readonly ParsedPolicy[]>();

  constructor(index: ObjectIndex) {
    index.byKind('NetworkPolicy').forEach((object, order) => {
      const policy = parsePolicy(object, order);
      if (!policy) return;
      let policies = this.policiesByNamespace.get(policy.namespace);
      if (!policies) this.policiesByNamespace.set(policy.namespace, (policies = { all: [], withoutLabels: [], byLabel: new Map() }));
      policies.all.push(policy);
      // Filed under one of its matchLabels pairs, so that a pod looks up only the policies that may select it.
      const [pair] = Object.entries(asRecord(policy.podSelector.matchLabels) ?? {});
      if (!pair) policies.withoutLabels.push(policy);
      else pushTo(policies.byLabel, labelKey(pair[0], pair[1]), policy);
    });
    for (const namespace of index.byKind('Namespace')) {
      // The API server sets the name label on every namespace, whatever the manifest says.
      this.namespaceLabels.set(namespace.name, { ...asRecord(namespace.object.metadata?.labels), [NAMESPACE_NAME_LABEL]: namespace.name });
    }
  }

  /** Whether `connection` is allowed: the source's egress and the destination's ingress. */
  public connection(connection: Connection): ConnectionVerdict {
    const egress = this.egress(connection);
    const ingress = this.ingress(connection);
    return { allowed: and(egress.allowed, ingress.allowed), egress, ingress };
  }

  /** The destination's side of `connection` only. */
  public ingress(connection: Connection): DirectionVerdict {
    return this.direction('Ingress', connection.to, connection.from, connection.to, connection.port, connection.protocol ?? 'TCP');
  }

  /** The source's side of `connection` only. */
  public egress(connection: Connection): DirectionVerdict {
    return this.direction('Egress', connection.from, connection.to, connection.to, connection.port, connection.protocol ?? 'TCP');
  }

  /**
   * What the policies selecting `subject` say about traffic with `other` in `direction`:
   * allowed when none selects it, or when a rule of one that selects it admits `other` on the port.
   */
  private direction(direction: 'Ingress' | 'Egress', subject: NetworkPeer, other: NetworkPeer, destination: NetworkPeer, port: number, protocol: string): DirectionVerdict {
    // Addresses outside the cluster have no policies; policies do not apply to host-network pods.
    if (subject.kind === 'address') return { allowed: 'yes', policies: [] };
    if (isHostNetwork(subject)) return { allowed: 'maybe', policies: [] };
    let isolated: Reachability = 'no';
    let admitted: Reachability = 'no';
    const policies: IndexedObject[] = [];
    for (const policy of this.candidatePolicies(subject)) {
      const rules = direction === 'Ingress' ? policy.ingress : policy.egress;
      if (!rules) continue;
      const selects = this.selectsPod(policy, subject);
      if (selects === 'no') continue;
      policies.push(policy.object);
      isolated = or(isolated, selects);
      const admits = some(rules, (rule) => and(
        this.portsMatch(rule.ports, destination, port, protocol),
        this.peersMatch(direction === 'Ingress' ? rule.from : rule.to, other, policy.namespace),
      ));
      admitted = or(admitted, and(selects, admits));
    }
    return { allowed: or(not(isolated), admitted), policies };
  }

  /** The policies that may select `pod`, in the order of the set. */
  private candidatePolicies(pod: PodPeer): readonly ParsedPolicy[] {
    if (pod.namespace === undefined) {
      return [...this.policiesByNamespace.values()].flatMap((policies) => policies.all).filter((policy) => policy.namespace !== pod.notNamespace);
    }
    const policies = this.policiesByNamespace.get(pod.namespace);
    if (!policies) return [];
    if (!pod.labels) return policies.all;
    const cached = pod.template && this.candidatesOfTemplate.get(pod.template);
    if (cached) return cached;
    const candidates = [...policies.withoutLabels];
    for (const key of Object.keys(pod.labels)) candidates.push(...policies.byLabel.get(labelKey(key, pod.labels[key])) ?? []);
    candidates.sort((a, b) => a.order - b.order);
    if (pod.template) this.candidatesOfTemplate.set(pod.template, candidates);
    return candidates;
  }

  private selectsPod(policy: ParsedPolicy, pod: PodPeer): Reachability {
    return and(inNamespace(pod, policy.namespace), matchSelector(policy.podSelector, podLabels(pod)));
  }

  private portsMatch(rawPorts: unknown, destination: NetworkPeer, port: number, protocol: string): Reachability {
    const ports = asArray(rawPorts);
    if (ports.length === 0) return 'yes';
    return some(ports, (raw) => {
      const entry = asRecord(raw) ?? {};
      if ((asString(entry.protocol) ?? 'TCP') !== protocol) return 'no';
      if (entry.port === undefined) return 'yes';
      if (typeof entry.port === 'number') {
        const end = typeof entry.endPort === 'number' ? entry.endPort : entry.port;
        return truth(port >= entry.port && port <= end);
      }
      return namedPortIs(String(entry.port), protocol, destination, port);
    });
  }

  private peersMatch(rawPeers: unknown, other: NetworkPeer, policyNamespace: string): Reachability {
    const peers = asArray(rawPeers);
    if (peers.length === 0) return 'yes';
    return some(peers, (raw) => this.peerMatches(asRecord(raw) ?? {}, other, policyNamespace));
  }

  private peerMatches(peer: Json, other: NetworkPeer, policyNamespace: string): Reachability {
    const ipBlock = asRecord(peer.ipBlock);
    if (ipBlock) {
      if (other.kind !== 'address') return 'maybe';
      return other.ip === undefined ? ipBlockMayContainSome(ipBlock) : truth(ipBlockContains(ipBlock, other.ip));
    }
    if (other.kind === 'address') return 'no';
    // A host-network pod's traffic carries its node's address, which selectors do not match (and its own node is admitted).
    if (isHostNetwork(other)) return 'maybe';
    const podSelector = asRecord(peer.podSelector);
    const namespaceSelector = asRecord(peer.namespaceSelector);
    if (!podSelector && !namespaceSelector) return 'no'; // an empty peer: the API server refuses the policy
    const podMatch = podSelector ? matchSelector(podSelector, podLabels(other)) : 'yes';
    if (!namespaceSelector) {
      return and(inNamespace(other, policyNamespace), podMatch);
    }
    return and(matchSelector(namespaceSelector, this.namespaceLabelsOf(other)), podMatch);
  }

  private namespaceLabelsOf(pod: PodPeer): PartialLabels {
    if (pod.namespace === undefined) {
      return { known: {}, complete: false, ...(pod.notNamespace !== undefined ? { excluded: { key: NAMESPACE_NAME_LABEL, value: pod.notNamespace } } : {}) };
    }
    const created = this.namespaceLabels.get(pod.namespace);
    return created ? { known: created, complete: true } : { known: { [NAMESPACE_NAME_LABEL]: pod.namespace }, complete: false };
  }
}

/** Whether `pod` is in `namespace` (`maybe` for a pod of an unknown namespace that may be it). */
function inNamespace(pod: PodPeer, namespace: string): Reachability {
  if (pod.namespace !== undefined) return truth(pod.namespace === namespace);
  return pod.notNamespace === namespace ? 'no' : 'maybe';
}

function isHostNetwork(pod: PodPeer): boolean {
  return pod.template !== undefined && pod.template.spec.hostNetwork === true;
}

function podLabels(pod: PodPeer): PartialLabels {
  return pod.labels ? { known: pod.labels, complete: true } : { known: {}, complete: false };
}

/** Whether the port named `name` of the destination pod is `port`/`protocol` (named ports are resolved on the destination). */
function namedPortIs(name: string, protocol: string, destination: NetworkPeer, port: number): Reachability {
  if (destination.kind === 'address') return 'no';
  if (!destination.template) return 'maybe';
  for (const { container } of destination.template.servingContainers) {
    const declared = declaredPorts(container).find((p) => p.name === name);
    if (declared) return truth(declared.containerPort === port && declared.protocol === protocol);
  }
  return 'no';
}

function ipBlockContains(ipBlock: Json, ip: string): boolean {
  const cidr = typeof ipBlock.cidr === 'string' ? parseCidr(ipBlock.cidr) : undefined;
  if (!cidr || !cidrContains(cidr, ip)) return false;
  return !asArray(ipBlock.except).some((raw) => {
    const except = typeof raw === 'string' ? parseCidr(raw) : undefined;
    return except !== undefined && cidrContains(except, ip);
  });
}

/** Whether an unknown address outside the cluster is in `ipBlock`: `yes` for `0.0.0.0/0` or `::/0` without `except`, `maybe` for another valid block. */
function ipBlockMayContainSome(ipBlock: Json): Reachability {
  const cidr = typeof ipBlock.cidr === 'string' ? parseCidr(ipBlock.cidr) : undefined;
  if (!cidr) return 'no';
  return cidr.prefix === 0 && !asArray(ipBlock.except).length ? 'yes' : 'maybe';
}

/** `NetworkPolicy default/a, default/b`: the policies a verdict names. */
function describePolicies(policies: readonly IndexedObject[]): string {
  return policies.map((policy) => `${policy.namespace}/${policy.name}`).join(', ');
}

/**
 * Why a denied connection is denied, for a message: the side (or both) whose policies refuse it,
 * e.g. `the ingress NetworkPolicies of Deployment api's pods (default/deny-all) admit no such peer on port 8080/TCP`.
 * `source` and `destination` describe the two ends (`Deployment web's pods`).
 */
export function describeDenial(verdict: ConnectionVerdict, source: string, destination: string, port: number, protocol = 'TCP'): string {
  const reasons: string[] = [];
  if (verdict.egress.allowed === 'no') {
    reasons.push(`the egress NetworkPolicies selecting ${source} (${describePolicies(verdict.egress.policies)}) allow no connection to ${destination} on port ${port}/${protocol}`);
  }
  if (verdict.ingress.allowed === 'no') {
    reasons.push(`the ingress NetworkPolicies selecting ${destination} (${describePolicies(verdict.ingress.policies)}) admit nothing from ${source} on port ${port}/${protocol}`);
  }
  return reasons.join(', and ');
}

const evaluators = new WeakMap<ObjectIndex, NetworkPolicyEvaluator>();

/** The evaluator of `index`'s object set, built once however many rules ask. */
export function networkPolicyEvaluator(index: ObjectIndex): NetworkPolicyEvaluator {
  let evaluator = evaluators.get(index);
  if (!evaluator) evaluators.set(index, (evaluator = new NetworkPolicyEvaluator(index)));
  return evaluator;
}
