import { asRecord, finding, ObjectIndex, IndexedPodTemplate, Rule, findingsOf } from '../rule';
import { Finding } from '../../manifest/types';
import { RELEASE_VERSION_LABEL } from '../../manifest/release-labels';
import { describeLabelSelector, matchesLabelSelector } from '../selectors';

const WORKLOAD_KINDS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet']);

function versionOf(template: IndexedPodTemplate): string | undefined {
  const version = template.labels[RELEASE_VERSION_LABEL];
  return typeof version === 'string' ? version : undefined;
}

function checkWorkload(index: ObjectIndex, template: IndexedPodTemplate): Finding[] {
  const { owner } = template;
  if (!WORKLOAD_KINDS.has(owner.kind)) return [];
  const selector = asRecord(asRecord(owner.object.spec)?.selector);
  if (!selector) return []; // workload-selector reports it
  const findings: Finding[] = [];
  const version = versionOf(template);
  const matchLabels = asRecord(selector.matchLabels) ?? {};
  if (version !== undefined && matchLabels[RELEASE_VERSION_LABEL] !== version) {
    findings.push(finding(releaseVersionSelectors, owner, 'spec.selector.matchLabels',
      `the pods are version ${version} (${RELEASE_VERSION_LABEL} at ${template.labelsPath}), but spec.selector.matchLabels does not hold ${RELEASE_VERSION_LABEL}=${version}; `
      + `the API server accepts it, but the selector (${describeLabelSelector(selector)}) also takes in other versions of the app, now or once they are deployed, and it is immutable. `
      + `Add ${RELEASE_VERSION_LABEL}: ${version} to spec.selector.matchLabels.`));
  }
  const others = index.podTemplateCandidates(template.namespace, matchLabels)
    .filter((other) => other !== template && WORKLOAD_KINDS.has(other.owner.kind) && (version !== undefined || versionOf(other) !== undefined))
    .filter((other) => matchesLabelSelector(selector, other.labels));
  for (const other of others) {
    findings.push(finding(releaseVersionSelectors, owner, 'spec.selector',
      `spec.selector (${describeLabelSelector(selector)}) also matches the pods of ${other.owner.kind} ${other.owner.name} (version ${versionOf(other) ?? 'none'}); `
      + `the API server accepts it, but controllers with overlapping selectors fight over the pods, and the selector cannot be changed later. `
      + `Give each version's workload a selector with its own ${RELEASE_VERSION_LABEL}, and delete a workload that predates the versions.`));
  }
  return findings;
}

export const releaseVersionSelectors: Rule = {
  id: 'release-version-selectors',
  summary: `The workloads of a released app's versions select by ${RELEASE_VERSION_LABEL}, and no workload selects the pods of another version.`,
  breaks: 'Two controllers fight over the same pods: rollouts scale the wrong version, and the immutable selector cannot be fixed in place.',
  apiServer: 'accepts',
  check: (index) => findingsOf(index.podTemplates, (template) => checkWorkload(index, template)),
};
