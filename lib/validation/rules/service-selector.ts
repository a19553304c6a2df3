import { asRecord } from '../../manifest/objects';
import { finding, IndexedObject, ObjectIndex, Rule, findingsOf } from '../rule';
import { Finding } from '../../manifest/types';
import { describeLabelMap, describeTemplates } from '../selectors';

function checkService(index: ObjectIndex, service: IndexedObject): Finding[] {
  const selected = index.podTemplatesSelectedBy(service);
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
  check: (index) => findingsOf(index.byKind('Service'), (service) => checkService(index, service)),
};
