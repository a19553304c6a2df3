import { asRecord, Json } from '../../manifest/objects';
import { ContainerRef, finding, findingsOf, IndexedPodTemplate, NO_FINDINGS, ObjectIndex, Rule } from '../rule';
import { Finding } from '../../manifest/types';
import { parseQuantity } from '../../manifest/quantity';

type QuantityKind = 'requests' | 'limits';

/** The value of a request or limit, or `undefined` when it is not a quantity. */
function quantityOf(raw: unknown): number | undefined {
  return typeof raw === 'string' || typeof raw === 'number' ? parseQuantity(raw) : undefined;
}

/** A request or limit the API server takes: a quantity of 0 or more. */
function validQuantity(raw: unknown): number | undefined {
  const value = quantityOf(raw);
  return value !== undefined && value >= 0 ? value : undefined;
}

function checkQuantities(template: IndexedPodTemplate, ref: ContainerRef, kind: QuantityKind, quantities: Json | undefined, findings: Finding[]): void {
  if (!quantities) return;
  for (const resource of Object.keys(quantities)) {
    const raw = quantities[resource];
    const value = quantityOf(raw);
    if (value === undefined) {
      findings.push(finding(resourceQuantities, template.owner, `${ref.path}.resources.${kind}.${resource}`,
        `${kind}.${resource} of container ${String(ref.container.name)} is ${JSON.stringify(raw)}, which is not a Kubernetes quantity; the API server rejects it. Write e.g. "500m" or "0.5" for CPU, "256Mi" or "1Gi" for memory.`));
    } else if (value < 0) {
      findings.push(finding(resourceQuantities, template.owner, `${ref.path}.resources.${kind}.${resource}`,
        `${kind}.${resource} of container ${String(ref.container.name)} is negative (${String(raw)}); the API server rejects it. Use a value ≥ 0.`));
    }
  }
}

function checkContainer(template: IndexedPodTemplate, ref: ContainerRef): readonly Finding[] {
  const resources = asRecord(ref.container.resources);
  if (!resources) return NO_FINDINGS;
  const requests = asRecord(resources.requests);
  const limits = asRecord(resources.limits);
  const findings: Finding[] = [];
  checkQuantities(template, ref, 'requests', requests, findings);
  checkQuantities(template, ref, 'limits', limits, findings);
  if (!requests || !limits) return findings;
  for (const resource of Object.keys(requests)) {
    const request = validQuantity(requests[resource]);
    const limit = Object.prototype.hasOwnProperty.call(limits, resource) ? validQuantity(limits[resource]) : undefined;
    if (request === undefined || limit === undefined || request <= limit) continue;
    findings.push(finding(resourceQuantities, template.owner, `${ref.path}.resources.requests.${resource}`,
      `requests.${resource} (${String(requests[resource])}) of container ${String(ref.container.name)} is above limits.${resource} (${String(limits[resource])}); `
      + `the API server rejects it ("must be less than or equal to ${resource} limit"). Lower the request or raise the limit.`));
  }
  return findings;
}

export const resourceQuantities: Rule = {
  id: 'resource-quantities',
  summary: 'Container resource requests and limits are valid quantities, and no request exceeds its limit.',
  breaks: 'kubectl apply fails: the API server rejects unparsable quantities and requests above limits.',
  apiServer: 'rejects',
  check: (index: ObjectIndex) => findingsOf(index.podTemplates, (template) => findingsOf(template.containers, (ref) => checkContainer(template, ref))),
};
