import { asRecord, matchesLabelSelector } from '../../manifest/objects';
import { finding, IndexedObject, ObjectIndex, Rule, findingsOf } from '../rule';
import { Finding } from '../../manifest/types';
import { describeLabelSelector, describeTemplates, hasKnownOperators, isEmptySelector } from '../selectors';

function checkPolicy(index: ObjectIndex, policy: IndexedObject): Finding[] {
  const selector = asRecord(asRecord(policy.object.spec)?.podSelector);
  // An empty podSelector deliberately selects every pod of the namespace (e.g. default-deny).
  if (!selector || isEmptySelector(selector)) return [];
  // An unknown operator is network-policy-fields' error: the server refuses the policy.
  if (!hasKnownOperators(selector)) return [];
  const candidates = index.podTemplateCandidates(policy.namespace ?? '', asRecord(selector.matchLabels));
  if (candidates.some((template) => matchesLabelSelector(selector, template.labels))) return [];
  return [finding(networkPolicySelector, policy, 'spec.podSelector',
    `spec.podSelector (${describeLabelSelector(selector)}) matches no pod template in namespace ${policy.namespace}; the API server accepts it, `
    + `but the policy applies to no pod, so the traffic it was meant to restrict stays open. Pods in the namespace: ${describeTemplates(index.podTemplatesIn(policy.namespace ?? ''))}. Select the labels of the pods to isolate.`,
    { severity: 'warning' })];
}

export const networkPolicySelector: Rule = {
  id: 'network-policy-selector',
  summary: 'A NetworkPolicy podSelector (unless empty) matches pods in its namespace.',
  breaks: 'The policy applies to no pod: the traffic it should restrict stays allowed.',
  apiServer: 'accepts',
  check: (index) => findingsOf(index.byKind('NetworkPolicy'), (policy) => checkPolicy(index, policy)),
};
