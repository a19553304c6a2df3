import { asRecord, asString } from '../../manifest/objects';
import { finding, IndexedObject, ObjectIndex, Rule, findingsOf } from '../rule';
import { Finding } from '../../manifest/types';
import { describeLabelMap } from '../selectors';

function checkStatefulSet(index: ObjectIndex, statefulSet: IndexedObject): Finding[] {
  const serviceName = asString(asRecord(statefulSet.object.spec)?.serviceName);
  // Recent Kubernetes versions let serviceName be omitted: then the pods simply get no stable DNS names.
  if (!serviceName) return [];
  const path = 'spec.serviceName';
  const service = index.find('Service', statefulSet.namespace, serviceName);
  const consequence = 'the API server accepts it, but the pods\' DNS names (<pod>.<service>) do not resolve, so peers cannot find each other';
  if (!service) {
    return [finding(statefulSetService, statefulSet, path,
      `${path} names Service ${serviceName}, which is not in namespace ${statefulSet.namespace}; ${consequence}. Create a headless Service (clusterIP: None) named ${serviceName} selecting the StatefulSet's pods.`)];
  }
  const findings: Finding[] = [];
  if (asRecord(service.object.spec)?.clusterIP !== 'None') {
    findings.push(finding(statefulSetService, statefulSet, path,
      `${path} names Service ${serviceName}, which is not headless (spec.clusterIP is not None); ${consequence}. Set clusterIP: None on ${serviceName}, or point serviceName at a headless Service.`));
  }
  const template = index.podTemplateOf(statefulSet);
  const selected = index.podTemplatesSelectedBy(service);
  if (template && !selected?.includes(template)) {
    findings.push(finding(statefulSetService, statefulSet, path,
      `${path} names Service ${serviceName}, whose selector does not select this StatefulSet's pods (${describeLabelMap(template.labels)}); ${consequence}. Make the Service selector match ${template.labelsPath}.`));
  }
  return findings;
}

export const statefulSetService: Rule = {
  id: 'statefulset-service',
  summary: 'A StatefulSet serviceName names a headless Service in its namespace that selects its pods.',
  breaks: 'Pod DNS names (<pod>.<service>) do not resolve: clustered databases cannot find their peers.',
  apiServer: 'accepts',
  check: (index) => findingsOf(index.byKind('StatefulSet'), (statefulSet) => checkStatefulSet(index, statefulSet)),
};
