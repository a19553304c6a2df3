import { asRecord, field, matchesLabelSelector } from '../../manifest/objects';
import { finding, ObjectIndex, IndexedPodTemplate, Rule, findingsOf } from '../rule';
import { Finding } from '../../manifest/types';
import { describeLabelMap, describeLabelSelector, isEmptySelector } from '../selectors';

/** Kinds whose `spec.selector` is required and must select their own template. */
const SELECTOR_REQUIRED = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);
/** Kinds whose selector is generated when absent. */
const SELECTOR_OPTIONAL = new Set(['Job', 'CronJob']);

function selectorPathOf(template: IndexedPodTemplate): string {
  return template.owner.kind === 'CronJob' ? 'spec.jobTemplate.spec.selector' : 'spec.selector';
}

/**
 * A ReplicationController's selector is a plain label map. When it is empty the API server
 * defaults it to the template labels (SetDefaults_ReplicationController), then requires it to be
 * non-empty and to match the template labels (ValidateReplicationControllerSpec).
 */
function checkReplicationController(template: IndexedPodTemplate): Finding[] {
  const { owner } = template;
  const given = asRecord(field(owner.object, 'spec', 'selector')) ?? {};
  const selector = Object.keys(given).length > 0 ? given : template.labels;
  if (Object.keys(selector).length === 0) {
    return [finding(workloadSelector, owner, 'spec.selector',
      `ReplicationController has no spec.selector and no labels at ${template.labelsPath} to default it from; the API server rejects it (an empty selector would select every pod). `
      + `Set labels at ${template.labelsPath}, and spec.selector to them or a subset.`)];
  }
  const mismatched = Object.keys(selector).filter((key) => template.labels[key] !== selector[key]);
  if (mismatched.length === 0) return [];
  return [finding(workloadSelector, owner, 'spec.selector',
    `spec.selector (${describeLabelMap(selector)}) does not match the template labels at ${template.labelsPath} (${describeLabelMap(template.labels)}); `
    + 'the API server rejects it ("`selector` does not match template `labels`"). Make the selector a subset of the template labels.')];
}

function checkTemplate(template: IndexedPodTemplate): Finding[] {
  const { owner } = template;
  if (owner.kind === 'ReplicationController') return checkReplicationController(template);
  const required = SELECTOR_REQUIRED.has(owner.kind);
  if (!required && !SELECTOR_OPTIONAL.has(owner.kind)) return [];
  const path = selectorPathOf(template);
  const selector = asRecord(field(owner.object, ...path.split('.')));
  if (!selector) {
    return required
      ? [finding(workloadSelector, template.owner, path,
        `${owner.kind} has no ${path}; the API server rejects it. Set ${path}.matchLabels to labels of ${template.labelsPath} (currently ${describeLabelMap(template.labels)}).`)]
      : [];
  }
  if (required && isEmptySelector(selector)) {
    return [finding(workloadSelector, owner, path,
      `${path} is empty; the API server rejects an empty selector for a ${owner.kind}. Set ${path}.matchLabels to labels of ${template.labelsPath} (currently ${describeLabelMap(template.labels)}).`)];
  }
  if (matchesLabelSelector(selector, template.labels)) return [];
  return [finding(workloadSelector, owner, path,
    `${path} (${describeLabelSelector(selector)}) does not match the template labels at ${template.labelsPath} (${describeLabelMap(template.labels)}); `
    + `the API server rejects it ("selector does not match template labels"). Make the selector a subset of the template labels.`)];
}

export const workloadSelector: Rule = {
  id: 'workload-selector',
  summary: 'A workload selector (matchLabels and matchExpressions, or a ReplicationController\'s label map) is not empty and matches the labels of its own pod template.',
  breaks: 'kubectl apply fails: the API server rejects a selector that does not match the template labels.',
  apiServer: 'rejects',
  check: (index: ObjectIndex) => findingsOf(index.podTemplates, checkTemplate),
};
