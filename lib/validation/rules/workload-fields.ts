import { asArray, asRecord } from '../../manifest/objects';
import { IndexedObject, ObjectIndex, Rule, findingsOf } from '../rule';
import { Finding } from '../../manifest/types';
import { isDns1123Label } from '../../manifest/names';
import { parseQuantity } from '../../manifest/quantity';
import { SELECTOR_OPERATORS } from '../selectors';
import { FieldFindings, intOrPercentValue, isInteger, show } from '../field-checks';

/** apps/v1 defaults progressDeadlineSeconds to 600 before the server validates the Deployment. */
const DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;
const ACCESS_MODES = ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'];

/** The expressions of a label selector are well formed (an empty workload selector is workload-selector's finding). */
export function checkSelector(checks: FieldFindings, selector: unknown, path: string): void {
  const record = asRecord(selector);
  if (!record) return;
  asArray(record.matchExpressions).forEach((raw, i) => {
    const expression = asRecord(raw) ?? {};
    const expressionPath = `${path}.matchExpressions[${i}]`;
    checks.oneOf(`${expressionPath}.operator`, expression.operator, SELECTOR_OPERATORS);
    const values = asArray(expression.values);
    if ((expression.operator === 'In' || expression.operator === 'NotIn') && values.length === 0) {
      checks.reject(`${expressionPath}.values`, `${expressionPath} uses ${String(expression.operator)} without values`, 'List the values, or use Exists.');
    }
    if ((expression.operator === 'Exists' || expression.operator === 'DoesNotExist') && values.length > 0) {
      checks.reject(`${expressionPath}.values`, `${expressionPath} uses ${String(expression.operator)} with values, which it ignores`, 'Remove the values, or use In.');
    }
  });
}

function checkDeployment(object: IndexedObject): Finding[] {
  const checks = new FieldFindings(workloadFields, object);
  const spec = asRecord(object.object.spec) ?? {};
  checks.inRange('spec.replicas', spec.replicas, 0);
  checks.inRange('spec.minReadySeconds', spec.minReadySeconds, 0);
  checks.inRange('spec.revisionHistoryLimit', spec.revisionHistoryLimit, 0);
  checks.inRange('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds, 0);
  checkSelector(checks, spec.selector, 'spec.selector');
  const minReady = isInteger(spec.minReadySeconds) ? spec.minReadySeconds : 0;
  const deadline = isInteger(spec.progressDeadlineSeconds) ? spec.progressDeadlineSeconds : DEFAULT_PROGRESS_DEADLINE_SECONDS;
  if (deadline <= minReady && deadline >= 0) {
    checks.reject(spec.progressDeadlineSeconds === undefined ? 'spec.minReadySeconds' : 'spec.progressDeadlineSeconds',
      `spec.progressDeadlineSeconds (${deadline}${spec.progressDeadlineSeconds === undefined ? ', the default' : ''}) is not greater than spec.minReadySeconds (${minReady})`,
      'Make progressDeadlineSeconds larger than minReadySeconds.');
  }
  const strategy = asRecord(spec.strategy);
  if (!strategy) return checks.findings;
  checks.oneOf('spec.strategy.type', strategy.type, ['RollingUpdate', 'Recreate']);
  const rollingUpdate = asRecord(strategy.rollingUpdate);
  if (strategy.type === 'Recreate' && strategy.rollingUpdate !== undefined) {
    checks.reject('spec.strategy.rollingUpdate', 'spec.strategy.rollingUpdate is set, but strategy type is Recreate', 'Remove rollingUpdate, or use type: RollingUpdate.');
  } else if (rollingUpdate) {
    // Both default to 25% when unset.
    const surge = rollingUpdate.maxSurge === undefined ? { value: 25, percent: true } : intOrPercentValue(checks, 'spec.strategy.rollingUpdate.maxSurge', rollingUpdate.maxSurge);
    const unavailable = rollingUpdate.maxUnavailable === undefined ? { value: 25, percent: true } : intOrPercentValue(checks, 'spec.strategy.rollingUpdate.maxUnavailable', rollingUpdate.maxUnavailable);
    if (surge && unavailable && surge.value === 0 && unavailable.value === 0) {
      checks.reject('spec.strategy.rollingUpdate.maxUnavailable', `maxSurge and maxUnavailable are both 0 (${show(rollingUpdate.maxSurge ?? '25%')}, ${show(rollingUpdate.maxUnavailable ?? '25%')}): a rollout could neither add nor remove a pod`, 'Allow at least one: e.g. maxSurge: 1.');
    }
    if (unavailable?.percent && unavailable.value > 100) {
      checks.reject('spec.strategy.rollingUpdate.maxUnavailable', `spec.strategy.rollingUpdate.maxUnavailable is ${show(rollingUpdate.maxUnavailable)}, more than 100%`, 'Use at most 100%.');
    }
  }
  return checks.findings;
}

function checkStatefulSet(object: IndexedObject): Finding[] {
  const checks = new FieldFindings(workloadFields, object);
  const spec = asRecord(object.object.spec) ?? {};
  checks.inRange('spec.replicas', spec.replicas, 0);
  checks.inRange('spec.minReadySeconds', spec.minReadySeconds, 0);
  checks.inRange('spec.revisionHistoryLimit', spec.revisionHistoryLimit, 0);
  checks.inRange('spec.ordinals.start', asRecord(spec.ordinals)?.start, 0);
  checkSelector(checks, spec.selector, 'spec.selector');
  checks.oneOf('spec.podManagementPolicy', spec.podManagementPolicy, ['OrderedReady', 'Parallel']);
  if (typeof spec.serviceName === 'string' && spec.serviceName !== '' && !isDns1123Label(spec.serviceName)) {
    checks.reject('spec.serviceName', `spec.serviceName ${show(spec.serviceName)} is not a DNS-1123 label`, 'Name the headless Service with lowercase letters, digits and "-".');
  }
  const strategy = asRecord(spec.updateStrategy);
  if (strategy) {
    checks.oneOf('spec.updateStrategy.type', strategy.type, ['RollingUpdate', 'OnDelete']);
    if (strategy.type === 'OnDelete' && strategy.rollingUpdate !== undefined) {
      checks.reject('spec.updateStrategy.rollingUpdate', 'spec.updateStrategy.rollingUpdate is set, but the update strategy is OnDelete', 'Remove rollingUpdate, or use type: RollingUpdate.');
    }
    checks.inRange('spec.updateStrategy.rollingUpdate.partition', asRecord(strategy.rollingUpdate)?.partition, 0);
  }
  const retention = asRecord(spec.persistentVolumeClaimRetentionPolicy);
  if (retention) {
    for (const key of ['whenDeleted', 'whenScaled']) checks.oneOf(`spec.persistentVolumeClaimRetentionPolicy.${key}`, retention[key], ['Retain', 'Delete']);
  }
  asArray(spec.volumeClaimTemplates).forEach((raw, i) => {
    const claimSpec = asRecord(asRecord(raw)?.spec);
    if (!claimSpec) return;
    const path = `spec.volumeClaimTemplates[${i}].spec`;
    const modes = asArray(claimSpec.accessModes);
    if (modes.length === 0) checks.reject(`${path}.accessModes`, `volumeClaimTemplates[${i}] has no accessModes`, 'Set accessModes, e.g. [ReadWriteOnce].');
    modes.forEach((mode, j) => checks.oneOf(`${path}.accessModes[${j}]`, mode, ACCESS_MODES));
    if (modes.includes('ReadWriteOncePod') && modes.some((mode) => mode !== 'ReadWriteOncePod')) {
      checks.reject(`${path}.accessModes`, `volumeClaimTemplates[${i}] combines ReadWriteOncePod with other access modes`, 'Use ReadWriteOncePod alone.');
    }
    const storage = asRecord(asRecord(claimSpec.resources)?.requests)?.storage;
    if (storage === undefined) checks.reject(`${path}.resources.requests.storage`, `volumeClaimTemplates[${i}] requests no storage`, 'Set resources.requests.storage, e.g. "10Gi".');
    else if ((typeof storage === 'string' || typeof storage === 'number') && (parseQuantity(storage) ?? 1) <= 0) {
      checks.reject(`${path}.resources.requests.storage`, `volumeClaimTemplates[${i}] requests ${show(storage)} of storage, but the request must be above 0`, 'Request the size the volume needs.');
    }
  });
  return checks.findings;
}

export const workloadFields: Rule = {
  id: 'workload-fields',
  summary: 'Deployments and StatefulSets have non-negative counts, a non-empty selector, a known update strategy (not maxSurge 0 with maxUnavailable 0), progressDeadlineSeconds above minReadySeconds, and valid StatefulSet policies.',
  breaks: 'kubectl apply fails: the API server validates the workload spec.',
  apiServer: 'rejects',
  check: (index: ObjectIndex) => [...findingsOf(index.byKind('Deployment'), checkDeployment), ...findingsOf(index.byKind('StatefulSet'), checkStatefulSet)],
};
