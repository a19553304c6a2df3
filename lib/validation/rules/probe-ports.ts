import { asRecord } from '../../manifest/objects';
import { ContainerRef, finding, ObjectIndex, IndexedPodTemplate, Rule, findingsOf } from '../rule';
import { Finding } from '../../manifest/types';
import { containerDeclaresPort, declaredPorts, describePort } from '../ports';
import { portNameProblem } from '../../manifest/names';

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;
const HANDLERS = ['httpGet', 'tcpSocket', 'grpc'] as const;

function describeDeclared(ref: ContainerRef): string {
  const ports = declaredPorts(ref.container).map((port) => (port.name ? `${String(port.containerPort)} (${String(port.name)})` : String(port.containerPort)));
  return ports.length ? ports.join(', ') : 'none';
}

function checkContainer(template: IndexedPodTemplate, ref: ContainerRef): Finding[] {
  const findings: Finding[] = [];
  for (const probeName of PROBES) {
    const probe = asRecord(ref.container[probeName]);
    for (const handler of HANDLERS) {
      const port = asRecord(probe?.[handler])?.port;
      if (port === undefined || containerDeclaresPort(ref.container, port)) continue;
      // A name the API server refuses is probe-fields' finding, not a run-time one.
      if (typeof port === 'string' && portNameProblem(port) !== undefined) continue;
      const path = `${ref.path}.${probeName}.${handler}.port`;
      const restart = probeName === 'readinessProbe' ? 'the pod never becomes Ready and gets no traffic' : 'the probe fails and the kubelet restarts the container';
      if (typeof port === 'string') {
        findings.push(finding(probePorts, template.owner, path,
          `${probeName} of container ${String(ref.container.name)} uses the ${describePort(port)}, which the container does not declare (declared: ${describeDeclared(ref)}); `
          + `the API server accepts it, but the kubelet cannot resolve the name, so ${restart}. Use a declared port name or number.`));
      } else {
        // The process may listen on an undeclared port; declaring it makes the intent checkable.
        findings.push(finding(probePorts, template.owner, path,
          `${probeName} of container ${String(ref.container.name)} probes ${describePort(port)}, which the container does not declare (declared: ${describeDeclared(ref)}); `
          + `the API server accepts it, and unless the process listens there ${restart}. Probe a declared containerPort or declare this one.`,
          { severity: 'warning' }));
      }
    }
  }
  return findings;
}

export const probePorts: Rule = {
  id: 'probe-ports',
  summary: 'httpGet, tcpSocket and grpc probes use a port the container declares (by number or name).',
  breaks: 'The probe fails: the kubelet restarts the container (liveness) or never routes traffic to it (readiness).',
  apiServer: 'accepts',
  check: (index: ObjectIndex) => findingsOf(index.podTemplates, (template) => findingsOf(template.containers, (ref) => checkContainer(template, ref))),
};
