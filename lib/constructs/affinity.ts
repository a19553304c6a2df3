import { k8s } from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import { checkAll, checkDns1123Label, checkLabelKey, checkLabels, checkLabelValue, checkOneOf, invalidProp } from './props';

/**
 * Node and pod affinity of a workload's pods, with the API server's own checks
 * (pkg/apis/core/validation: `validateAffinity` and the label selector checks of apimachinery),
 * run when the construct is built.
 */

/** One requirement on a node's labels: `key operator values`. @inline */
export interface NodeLabelRequirement {
  /** Node label key, e.g. `topology.kubernetes.io/zone`. */
  readonly key: string;
  /** `Gt` and `Lt` compare one integer value with the label's value. */
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';
  /** Label values: at least one for `In`/`NotIn`, none for `Exists`/`DoesNotExist`, exactly one integer for `Gt`/`Lt`. @default - none */
  readonly values?: readonly string[];
}

/** A node matches a term when it meets every requirement of it. @inline */
export interface NodeSelectorTermProps {
  /** Requirements on the node's labels, all of which must hold. */
  readonly matchExpressions: readonly NodeLabelRequirement[];
}

/** A node term the scheduler prefers, with its weight. @inline */
export interface PreferredNodeTermProps extends NodeSelectorTermProps {
  /** How much a matching node counts, from 1 to 100. */
  readonly weight: number;
}

/** Which nodes the pods may or should run on (`affinity.nodeAffinity`). */
export interface NodeAffinityProps {
  /** The pods run only on a node that matches at least one of these terms. @default - any node */
  readonly required?: readonly NodeSelectorTermProps[];
  /** The scheduler favours nodes matching these terms, by their weights. @default - no preference */
  readonly preferred?: readonly PreferredNodeTermProps[];
}

/** One requirement on a pod's labels: `key operator values`. @inline */
export interface PodLabelRequirement {
  /** Pod label key, e.g. `app.kubernetes.io/name`. */
  readonly key: string;
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  /** Label values: at least one for `In`/`NotIn`, none for `Exists`/`DoesNotExist`. @default - none */
  readonly values?: readonly string[];
}

/** Pods in a topology domain (a node, a zone: every node with the same value of `topologyKey`). @inline */
export interface PodAffinityTermProps {
  /** Node label whose value defines the domain, e.g. `kubernetes.io/hostname` (per node) or `topology.kubernetes.io/zone`. */
  readonly topologyKey: string;
  /** Labels the other pods have. @default - none (then `matchExpressions` is needed) */
  readonly matchLabels?: Readonly<Record<string, string>>;
  /** Requirements on the other pods' labels. @default - none */
  readonly matchExpressions?: readonly PodLabelRequirement[];
  /** Namespaces the other pods are in. @default - the pod's own namespace */
  readonly namespaces?: readonly string[];
}

/** A pod term the scheduler prefers, with its weight. @inline */
export interface PreferredPodTermProps extends PodAffinityTermProps {
  /** How much a domain that meets the term counts, from 1 to 100. */
  readonly weight: number;
}

/** Pods to be near (`podAffinity`) or away from (`podAntiAffinity`). */
export interface PodAffinityProps {
  /** Terms every placement must meet. @default - none */
  readonly required?: readonly PodAffinityTermProps[];
  /** Terms the scheduler favours, by their weights. @default - none */
  readonly preferred?: readonly PreferredPodTermProps[];
}

/** The short way to keep a workload's own pods apart: an anti-affinity to its own selector labels. @inline */
export interface AvoidOwnPodsProps {
  /** The domain that holds at most one of the pods (required) or preferably one (preferred). @default 'kubernetes.io/hostname' */
  readonly topologyKey?: string;
  /** Never place two of the pods in one domain (pods stay Pending when the domains run out), instead of preferring not to. @default false */
  readonly required?: boolean;
  /** Weight of the preference, from 1 to 100; only without `required`. @default 100 */
  readonly weight?: number;
}

/** The affinity props of a pod (part of the pod settings of every workload construct). */
export interface AffinityProps {
  /** Nodes the pods must or should run on. @default - any node */
  readonly nodeAffinity?: NodeAffinityProps;
  /** Pods the pods must or should run near. @default - none */
  readonly podAffinity?: PodAffinityProps;
  /** Pods the pods must or should run away from. @default - none */
  readonly podAntiAffinity?: PodAffinityProps;
  /**
   * Keep the workload's own pods apart: `true` prefers one pod per node, an object picks the domain and
   * whether it is required. Added to `podAntiAffinity`.
   * @default - no anti-affinity to the own pods
   */
  readonly avoidOwnPods?: boolean | AvoidOwnPodsProps;
}

const NODE_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'] as const;
const POD_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;
const HOSTNAME = 'kubernetes.io/hostname';

/** Checks every affinity prop; each bad entry is its own problem. @internal */
export function checkAffinity(scope: IConstruct, props: AffinityProps): void {
  const { nodeAffinity, podAffinity, podAntiAffinity } = props;
  checkAll(scope, [
    () => nodeAffinity?.required !== undefined && nodeAffinity.required.length === 0
      && fail(scope, 'nodeAffinity.required', [], 'needs at least one term, or leave it out for any node'),
    ...(nodeAffinity?.required ?? []).map((term, i) => () => checkNodeTerm(scope, `nodeAffinity.required[${i}]`, term)),
    ...(nodeAffinity?.preferred ?? []).flatMap((term, i) => [
      () => checkWeight(scope, `nodeAffinity.preferred[${i}].weight`, term.weight),
      () => checkNodeTerm(scope, `nodeAffinity.preferred[${i}]`, term),
    ]),
    ...podAffinityChecks(scope, 'podAffinity', podAffinity),
    ...podAffinityChecks(scope, 'podAntiAffinity', podAntiAffinity),
    () => checkAvoidOwnPods(scope, props.avoidOwnPods),
  ]);
}

function podAffinityChecks(scope: IConstruct, field: string, affinity: PodAffinityProps | undefined): (() => unknown)[] {
  return [
    ...(affinity?.required ?? []).map((term, i) => () => checkPodTerm(scope, `${field}.required[${i}]`, term)),
    ...(affinity?.preferred ?? []).flatMap((term, i) => [
      () => checkWeight(scope, `${field}.preferred[${i}].weight`, term.weight),
      () => checkPodTerm(scope, `${field}.preferred[${i}]`, term),
    ]),
  ];
}

function checkAvoidOwnPods(scope: IConstruct, avoid: AffinityProps['avoidOwnPods']): void {
  if (avoid === undefined || typeof avoid === 'boolean') return;
  checkAll(scope, [
    () => avoid.topologyKey !== undefined && checkTopologyKey(scope, 'avoidOwnPods.topologyKey', avoid.topologyKey),
    () => {
      if (avoid.weight === undefined) return;
      if (avoid.required) throw invalidProp(scope, 'avoidOwnPods.weight', avoid.weight, 'must be left out with `required: true`: a required term has no weight');
      checkWeight(scope, 'avoidOwnPods.weight', avoid.weight);
    },
  ]);
}

function checkNodeTerm(scope: IConstruct, field: string, term: NodeSelectorTermProps): void {
  if (!Array.isArray(term.matchExpressions) || term.matchExpressions.length === 0) {
    fail(scope, `${field}.matchExpressions`, term.matchExpressions, 'needs at least one requirement: a term without any selects no node');
  }
  checkAll(scope, term.matchExpressions.map((requirement, j) => () => {
    const at = `${field}.matchExpressions[${j}]`;
    checkAll(scope, [
      () => checkLabelKey(scope, `${at}.key`, requirement.key),
      () => checkOneOf(scope, `${at}.operator`, requirement.operator, NODE_OPERATORS),
      () => checkRequirementValues(scope, at, requirement),
    ]);
  }));
}

function checkPodTerm(scope: IConstruct, field: string, term: PodAffinityTermProps): void {
  checkAll(scope, [
    () => checkTopologyKey(scope, `${field}.topologyKey`, term.topologyKey),
    () => {
      if (Object.keys(term.matchLabels ?? {}).length === 0 && (term.matchExpressions ?? []).length === 0) {
        fail(scope, `${field}.matchLabels`, term.matchLabels, 'needs matchLabels or matchExpressions: the labels of the pods the term is about');
      }
    },
    () => checkLabels(scope, `${field}.matchLabels`, term.matchLabels),
    ...(term.matchExpressions ?? []).map((requirement, j) => () => {
      const at = `${field}.matchExpressions[${j}]`;
      checkAll(scope, [
        () => checkLabelKey(scope, `${at}.key`, requirement.key),
        () => checkOneOf(scope, `${at}.operator`, requirement.operator, POD_OPERATORS),
        () => checkRequirementValues(scope, at, requirement),
      ]);
    }),
    ...(term.namespaces ?? []).map((namespace, j) => () => checkDns1123Label(scope, `${field}.namespaces[${j}]`, namespace)),
  ]);
}

/** The value rules of `In`/`NotIn` (some), `Exists`/`DoesNotExist` (none) and `Gt`/`Lt` (one integer); each value a label value. */
function checkRequirementValues(scope: IConstruct, field: string, requirement: NodeLabelRequirement | PodLabelRequirement): void {
  const values = requirement.values ?? [];
  switch (requirement.operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) fail(scope, `${field}.values`, requirement.values, `must list at least one value with operator "${requirement.operator}"`);
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length > 0) fail(scope, `${field}.values`, requirement.values, `must be left out with operator "${requirement.operator}"`);
      break;
    case 'Gt':
    case 'Lt':
      if (values.length !== 1) fail(scope, `${field}.values`, requirement.values, `must be exactly one value with operator "${requirement.operator}"`);
      if (!/^-?\d+$/.test(values[0])) {
        fail(scope, `${field}.values[0]`, values[0], `must be an integer with operator "${requirement.operator}": the scheduler compares it with the label's value as a number`);
      }
      break;
    default:
      return;
  }
  checkAll(scope, values.map((value, k) => () => checkLabelValue(scope, `${field}.values[${k}]`, value)));
}

function checkTopologyKey(scope: IConstruct, field: string, key: string): void {
  if (typeof key !== 'string' || key === '') fail(scope, field, key, 'is needed: the node label that defines the domain, e.g. "kubernetes.io/hostname"');
  checkLabelKey(scope, field, key);
}

function checkWeight(scope: IConstruct, field: string, weight: number): void {
  if (!Number.isInteger(weight) || weight < 1 || weight > 100) fail(scope, field, weight, 'must be an integer from 1 to 100');
}

function fail(scope: IConstruct, field: string, value: unknown, allowed: string): never {
  throw invalidProp(scope, field, value, allowed);
}

/**
 * The pod's `affinity`, or `undefined` when none is asked for; `ownPods` are the workload's
 * selector labels, for `avoidOwnPods`.
 * @internal
 */
export function toAffinity(props: AffinityProps, ownPods: Readonly<Record<string, string>>): k8s.Affinity | undefined {
  const { nodeAffinity, podAffinity } = props;
  const podAntiAffinity = withOwnPods(props.podAntiAffinity, props.avoidOwnPods, ownPods);
  const affinity: k8s.Affinity = {
    nodeAffinity: nodeAffinity && (nodeAffinity.required || nodeAffinity.preferred) ? {
      requiredDuringSchedulingIgnoredDuringExecution: nodeAffinity.required && { nodeSelectorTerms: nodeAffinity.required.map(toNodeTerm) },
      preferredDuringSchedulingIgnoredDuringExecution: nodeAffinity.preferred?.map((term) => ({ weight: term.weight, preference: toNodeTerm(term) })),
    } : undefined,
    podAffinity: toPodAffinity(podAffinity),
    podAntiAffinity: toPodAffinity(podAntiAffinity),
  };
  return affinity.nodeAffinity || affinity.podAffinity || affinity.podAntiAffinity ? affinity : undefined;
}

function withOwnPods(affinity: PodAffinityProps | undefined, avoid: AffinityProps['avoidOwnPods'], ownPods: Readonly<Record<string, string>>): PodAffinityProps | undefined {
  if (avoid === undefined || avoid === false) return affinity;
  const options = avoid === true ? {} : avoid;
  const term = { topologyKey: options.topologyKey ?? HOSTNAME, matchLabels: ownPods };
  return options.required
    ? { ...affinity, required: [...(affinity?.required ?? []), term] }
    : { ...affinity, preferred: [...(affinity?.preferred ?? []), { ...term, weight: options.weight ?? 100 }] };
}

function toNodeTerm(term: NodeSelectorTermProps): k8s.NodeSelectorTerm {
  return { matchExpressions: term.matchExpressions.map(toRequirement) };
}

function toRequirement(requirement: NodeLabelRequirement | PodLabelRequirement): k8s.NodeSelectorRequirement {
  return { key: requirement.key, operator: requirement.operator, values: requirement.values && [...requirement.values] };
}

function toPodAffinity(affinity: PodAffinityProps | undefined): k8s.PodAffinity | undefined {
  if (!affinity?.required?.length && !affinity?.preferred?.length) return undefined;
  return {
    requiredDuringSchedulingIgnoredDuringExecution: affinity.required?.length ? affinity.required.map(toPodTerm) : undefined,
    preferredDuringSchedulingIgnoredDuringExecution: affinity.preferred?.length
      ? affinity.preferred.map((term) => ({ weight: term.weight, podAffinityTerm: toPodTerm(term) }))
      : undefined,
  };
}

function toPodTerm(term: PodAffinityTermProps): k8s.PodAffinityTerm {
  const matchLabels = Object.keys(term.matchLabels ?? {}).length ? { ...term.matchLabels } : undefined;
  return {
    labelSelector: { matchLabels, matchExpressions: term.matchExpressions?.length ? term.matchExpressions.map(toRequirement) : undefined },
    namespaces: term.namespaces && [...term.namespaces],
    topologyKey: term.topologyKey,
  };
}
