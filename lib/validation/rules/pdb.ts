import { asRecord, matchesLabelSelector } from '../../manifest/objects';
import { finding, IndexedObject, ObjectIndex, IndexedPodTemplate, Rule, findingsOf } from '../rule';
import { Finding } from '../../manifest/types';
import { describeLabelSelector, describeTemplates, hasKnownOperators } from '../selectors';
import { isZeroIntOrPercent } from '../../manifest/int-or-percent';

const REPLICATED_KINDS = new Set(['Deployment', 'StatefulSet', 'ReplicaSet']);

/** HPA floors by `namespace/Kind/name` of the workload they scale. */
type HpaFloors = ReadonlyMap<string, number>;

function workloadKey(namespace: string | undefined, kind: unknown, name: unknown): string {
  return `${namespace ?? ''}/${String(kind)}/${String(name)}`;
}

function hpaFloors(index: ObjectIndex): HpaFloors {
  const floors = new Map<string, number>();
  for (const hpa of index.byKind('HorizontalPodAutoscaler')) {
    const spec = asRecord(hpa.object.spec) ?? {};
    const ref = asRecord(spec.scaleTargetRef) ?? {};
    floors.set(workloadKey(hpa.namespace, ref.kind, ref.name), typeof spec.minReplicas === 'number' ? spec.minReplicas : 1);
  }
  return floors;
}

/** The lowest replica count the pods can run at: spec.replicas, or the HPA floor when an HPA scales them. */
function minimumReplicas(floors: HpaFloors, template: IndexedPodTemplate): number | undefined {
  const { owner } = template;
  if (owner.kind === 'Pod') return 1;
  if (!REPLICATED_KINDS.has(owner.kind)) return undefined;
  const hpaFloor = floors.get(workloadKey(owner.namespace, owner.kind, owner.name));
  if (hpaFloor !== undefined) return hpaFloor;
  const replicas = asRecord(owner.object.spec)?.replicas;
  return typeof replicas === 'number' ? replicas : 1;
}

function totalMinimumReplicas(floors: HpaFloors, templates: readonly IndexedPodTemplate[]): number | undefined {
  let total = 0;
  for (const template of templates) {
    const replicas = minimumReplicas(floors, template);
    if (replicas === undefined) return undefined; // DaemonSets, Jobs: their counts are not ours to know
    total += replicas;
  }
  return total;
}

function checkBudget(index: ObjectIndex, floors: HpaFloors, pdb: IndexedObject): Finding[] {
  const spec = asRecord(pdb.object.spec) ?? {};
  const selector = asRecord(spec.selector);
  // An unknown operator is pdb-fields' error: the server refuses the budget.
  if (selector && !hasKnownOperators(selector)) return [];
  const candidates = index.podTemplateCandidates(pdb.namespace ?? '', asRecord(selector?.matchLabels));
  const selected = selector ? candidates.filter((template) => matchesLabelSelector(selector, template.labels)) : [];
  if (selected.length === 0) {
    return [finding(pdbRule, pdb, 'spec.selector',
      `spec.selector (${selector ? describeLabelSelector(selector) : 'absent: selects nothing'}) matches no pod template in namespace ${pdb.namespace}; the API server accepts it, `
      + `but the budget protects nothing and evictions proceed unchecked. Pods in the namespace: ${describeTemplates(index.podTemplatesIn(pdb.namespace ?? ''))}. Select the labels of the pods to protect.`,
      { severity: 'warning' })];
  }
  const drainHangs = 'the API server accepts it, but every eviction is refused, so `kubectl drain` and node upgrades hang';
  if (spec.maxUnavailable !== undefined && isZeroIntOrPercent(spec.maxUnavailable)) {
    return [finding(pdbRule, pdb, 'spec.maxUnavailable',
      `spec.maxUnavailable is ${String(spec.maxUnavailable)}: no pod may ever be evicted; ${drainHangs}. Set maxUnavailable to 1 (or more).`)];
  }
  const minAvailable = spec.minAvailable;
  if (minAvailable === '100%') {
    return [finding(pdbRule, pdb, 'spec.minAvailable', `spec.minAvailable is 100%: no pod may ever be evicted; ${drainHangs}. Use a lower percentage or maxUnavailable: 1.`)];
  }
  const replicas = totalMinimumReplicas(floors, selected);
  if (typeof minAvailable === 'number' && replicas !== undefined && minAvailable >= replicas) {
    return [finding(pdbRule, pdb, 'spec.minAvailable',
      `spec.minAvailable is ${minAvailable}, but the selected pods (${describeTemplates(selected)}) can run as few as ${replicas} replica(s); ${drainHangs}. `
      + `Make minAvailable lower than the replica count, or use maxUnavailable: 1.`)];
  }
  if (spec.unhealthyPodEvictionPolicy !== 'AlwaysAllow') {
    return [finding(pdbRule, pdb, 'spec.unhealthyPodEvictionPolicy',
      `spec.unhealthyPodEvictionPolicy is ${spec.unhealthyPodEvictionPolicy === undefined ? 'not set (IfHealthyBudget)' : String(spec.unhealthyPodEvictionPolicy)}: `
      + 'pods that are not ready still count against the budget, so while they crash-loop no eviction is allowed and node drains hang; '
      + 'the API server accepts it. Set unhealthyPodEvictionPolicy: AlwaysAllow (Kubernetes 1.27+).',
      { severity: 'warning' })];
  }
  return [];
}

export const pdbRule: Rule = {
  id: 'pdb',
  summary: 'A PodDisruptionBudget selects pods in its namespace and leaves room for at least one eviction.',
  breaks: 'A budget that selects nothing protects nothing; one that allows no eviction makes node drains hang.',
  apiServer: 'accepts',
  check: (index) => {
    const floors = hpaFloors(index);
    return findingsOf(index.byKind('PodDisruptionBudget'), (pdb) => checkBudget(index, floors, pdb));
  },
};
