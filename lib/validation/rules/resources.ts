import { asRecord } from '../objects';
import { ContainerRef, finding, ObjectIndex, IndexedPodTemplate, Rule, findingsOf } from '../rule';
import { Finding } from '../types';
import { parseQuantity } from '../quantity';

function quantityFindings(template: IndexedPodTemplate, ref: ContainerRef, kind: 'requests' | 'limits'): { values: Map<string, number>; findings: Finding[] } {
  const values = new Map<string, number>();
  const findings: Finding[] = [];
  for (const [resource, raw] of Object.entries(asRecord(asRecord(ref.container.resources)?.[kind]) ?? {})) {
    const path = `${ref.path}.resources.${kind}.${resource}`;
    const value = typeof raw === 'string' || typeof raw === 'number' ? parseQuantity(raw) : undefined;
    if (value === undefined) {
      findings.push(finding(resourceQuantities, template.owner, path,
        `${kind}.${resource} of container ${String(ref.container.name)} is ${JSON.stringify(raw)}, which is not a Kubernetes quantity; the API server rejects it. Write e.g. "500m" or "0.5" for CPU, "256Mi" or "1Gi" for memory.`));
    } else if (value < 0) {
      findings.push(finding(resourceQuantities, template.owner, path,
        `${kind}.${resource} of container ${String(ref.container.name)} is negative (${String(raw)}); the API server rejects it. Use a value ≥ 0.`));
    } else {
      values.set(resource, value);
    }
  }
  return { values, findings };
}

function checkContainer(template: IndexedPodTemplate, ref: ContainerRef): Finding[] {
  const requests = quantityFindings(template, ref, 'requests');
  const limits = quantityFindings(template, ref, 'limits');
  const resources = asRecord(ref.container.resources) ?? {};
  const exceeding = [...requests.values].filter(([resource, request]) => {
    const limit = limits.values.get(resource);
    return limit !== undefined && request > limit;
  });
  return [
    ...requests.findings,
    ...limits.findings,
    ...exceeding.map(([resource]) => finding(resourceQuantities, template.owner, `${ref.path}.resources.requests.${resource}`,
      `requests.${resource} (${String(asRecord(resources.requests)?.[resource])}) of container ${String(ref.container.name)} is above limits.${resource} (${String(asRecord(resources.limits)?.[resource])}); `
      + `the API server rejects it ("must be less than or equal to ${resource} limit"). Lower the request or raise the limit.`)),
  ];
}

export const resourceQuantities: Rule = {
  id: 'resource-quantities',
  summary: 'Container resource requests and limits are valid quantities, and no request exceeds its limit.',
  breaks: 'kubectl apply fails: the API server rejects unparsable quantities and requests above limits.',
  apiServer: 'rejects',
  check: (index: ObjectIndex) => findingsOf(index.podTemplates, (template) => findingsOf(template.containers, (ref) => checkContainer(template, ref))),
};
