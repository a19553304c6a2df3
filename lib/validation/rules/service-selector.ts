import { asRecord, matchesLabelMap } from '../objects';
import { finding, IndexedObject, ObjectIndex, IndexedPodTemplate, Rule } from '../rule';
import { Finding } from '../types';
import { describeLabelMap, describeTemplates } from '../selectors';

/** The pod templates a Service selects; `undefined` when the Service has no selector (endpoints managed by hand). */
export function templatesSelectedByService(index: ObjectIndex, service: IndexedObject): IndexedPodTemplate[] | undefined {
  const selector = asRecord((service.object.spec as Record<string, unknown> | undefined)?.selector);
  if (!selector || Object.keys(selector).length === 0 || service.namespace === undefined) return undefined;
  return index.podTemplateCandidates(service.namespace, selector).filter((template) => matchesLabelMap(selector, template.labels));
}

function checkService(index: ObjectIndex, service: IndexedObject): Finding[] {
  const selected = templatesSelectedByService(index, service);
  if (!selected || selected.length > 0) return [];
  const selector = asRecord(asRecord(service.object.spec)?.selector) ?? {};
  return [finding(serviceSelector, service, 'spec.selector',
    `spec.selector (${describeLabelMap(selector)}) matches no pod template in namespace ${service.namespace}; the API server accepts it, `
    + `but the Service has no endpoints and every connection to it fails. Pods in the namespace: ${describeTemplates(index.podTemplatesIn(service.namespace ?? ''))}. `
    + `Use the labels of the pods it should route to.`)];
}

export const serviceSelector: Rule = {
  id: 'service-selector',
  summary: 'A Service selector matches at least one pod template in its namespace.',
  breaks: 'The Service has no endpoints: every connection to it is refused or times out.',
  apiServer: 'accepts',
  check: (index) => index.byKind('Service').flatMap((service) => checkService(index, service)),
};
