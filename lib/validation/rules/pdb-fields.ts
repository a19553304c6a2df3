import { asRecord } from '../../manifest/objects';
import { IndexedObject, ObjectIndex, Rule, findingsOf } from '../rule';
import { Finding } from '../../manifest/types';
import { FieldFindings, intOrPercentValue, show } from '../field-checks';
import { checkSelector } from './workload-fields';

function checkBudget(pdb: IndexedObject): Finding[] {
  const checks = new FieldFindings(pdbFields, pdb);
  const spec = asRecord(pdb.object.spec) ?? {};
  if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) {
    checks.reject('spec', `spec sets both minAvailable (${show(spec.minAvailable)}) and maxUnavailable (${show(spec.maxUnavailable)})`, 'Keep one of them (maxUnavailable: 1 never blocks a drain of a healthy workload).');
  }
  for (const field of ['minAvailable', 'maxUnavailable']) {
    const value = intOrPercentValue(checks, `spec.${field}`, spec[field]);
    if (value?.percent && value.value > 100) checks.reject(`spec.${field}`, `spec.${field} is ${show(spec[field])}, more than 100%`, 'Use at most 100%.');
  }
  checks.oneOf('spec.unhealthyPodEvictionPolicy', spec.unhealthyPodEvictionPolicy, ['IfHealthyBudget', 'AlwaysAllow']);
  checkSelector(checks, spec.selector, 'spec.selector');
  return checks.findings;
}

export const pdbFields: Rule = {
  id: 'pdb-fields',
  summary: 'A PodDisruptionBudget sets minAvailable or maxUnavailable (not both), each a count ≥ 0 or a percentage ≤ 100%, and a known unhealthyPodEvictionPolicy.',
  breaks: 'kubectl apply fails: the API server validates the budget spec.',
  apiServer: 'rejects',
  check: (index: ObjectIndex) => findingsOf(index.byKind('PodDisruptionBudget'), checkBudget),
};
