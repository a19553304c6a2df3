import { asArray, asRecord } from '../../manifest/objects';
import { finding, IndexedObject, ObjectIndex, Rule, findingsOf } from '../rule';
import { Finding } from '../../manifest/types';
import { describePort, templateDeclaresPort } from '../ports';
import { portNameProblem } from '../../manifest/names';

function checkService(index: ObjectIndex, service: IndexedObject): Finding[] {
  const selected = index.podTemplatesSelectedBy(service);
  if (!selected || selected.length === 0) return [];
  const findings: Finding[] = [];
  asArray(asRecord(service.object.spec)?.ports).forEach((rawPort, i) => {
    const port = asRecord(rawPort) ?? {};
    const targetPort = port.targetPort ?? port.port;
    const path = port.targetPort === undefined ? `spec.ports[${i}].port` : `spec.ports[${i}].targetPort`;
    // A name the API server refuses (e.g. longer than 15 characters) is service-fields' finding, not a run-time one.
    if (typeof targetPort === 'string' && portNameProblem(targetPort) !== undefined) return;
    for (const template of selected) {
      if (templateDeclaresPort(template, targetPort)) continue;
      const pods = `${template.owner.kind} ${template.owner.name}`;
      if (typeof targetPort === 'string') {
        findings.push(finding(serviceTargetPort, service, path,
          `${path} is the ${describePort(targetPort)}, which no container of the selected pods of ${pods} declares; the API server accepts it, `
          + `but those pods get no endpoint for this port and connections to it are refused. Name a port in ${template.specPath}.containers[].ports[].name or use the container port number.`));
      } else {
        // A container may listen on a port it does not declare, so an undeclared number is only suspicious.
        findings.push(finding(serviceTargetPort, service, path,
          `${path} sends traffic to ${describePort(targetPort)}${port.targetPort === undefined ? ' (targetPort defaults to port)' : ''}, which no container of ${pods} declares in ${template.specPath}.containers[].ports; `
          + `the API server accepts it, and connections are refused unless the process listens there. Set targetPort to a declared containerPort or declare the port.`,
          { severity: 'warning' }));
      }
    }
  });
  return findings;
}

export const serviceTargetPort: Rule = {
  id: 'service-target-port',
  summary: 'Every Service targetPort (number or name; defaults to port) is declared by a container of the selected pods.',
  breaks: 'Connections to the Service port are refused (named ports: the pods get no endpoint at all).',
  apiServer: 'accepts',
  check: (index) => findingsOf(index.byKind('Service'), (service) => checkService(index, service)),
};
