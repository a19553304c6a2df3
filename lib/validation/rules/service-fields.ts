import { asArray, asRecord } from '../../manifest/objects';
import { IndexedObject, ObjectIndex, Rule, findingsOf } from '../rule';
import { Finding } from '../../manifest/types';
import { isDns1123Label, isDns1123Subdomain } from '../../manifest/names';
import { FieldFindings, show } from '../field-checks';

const SERVICE_TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];
const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];

function checkPorts(checks: FieldFindings, spec: Record<string, unknown>, type: unknown): void {
  const ports = asArray(spec.ports);
  const names = new Map<string, number>();
  const portKeys = new Map<string, number>();
  ports.forEach((raw, i) => {
    const port = asRecord(raw) ?? {};
    const path = `spec.ports[${i}]`;
    if (ports.length > 1 && (port.name === undefined || port.name === '')) {
      checks.reject(`${path}.name`, `${path} has no name, but a Service with several ports must name each`, 'Name every port, e.g. "http".');
    } else if (typeof port.name === 'string') {
      if (!isDns1123Label(port.name)) {
        checks.reject(`${path}.name`, `Service port name ${show(port.name)} is not a DNS-1123 label (lowercase letters, digits and "-", at most 63 characters)`, 'Rename the port.');
      } else if (names.has(port.name)) {
        checks.reject(`${path}.name`, `Service port name ${show(port.name)} is already used by spec.ports[${names.get(port.name)}]`, 'Give each port its own name.');
      } else {
        names.set(port.name, i);
      }
    }
    checks.inRange(`${path}.port`, port.port, 1, 65535);
    checks.oneOf(`${path}.protocol`, port.protocol, PROTOCOLS);
    if (port.targetPort !== 0) checks.portNumberOrName(`${path}.targetPort`, port.targetPort);
    if (port.nodePort !== undefined && port.nodePort !== 0) {
      if (type === undefined || type === 'ClusterIP') {
        checks.reject(`${path}.nodePort`, `${path}.nodePort is set on a Service of type ${type === undefined ? 'ClusterIP (the default)' : 'ClusterIP'}, which opens no node port`, 'Remove nodePort, or set type: NodePort.');
      } else {
        checks.inRange(`${path}.nodePort`, port.nodePort, 1, 65535);
      }
    }
    const key = `${String(port.port)}/${String(port.protocol ?? 'TCP')}`;
    if (typeof port.port === 'number' && portKeys.has(key)) {
      checks.reject(path, `${path} repeats port ${key} of spec.ports[${portKeys.get(key)}]`, 'Each port and protocol may appear once.');
    } else {
      portKeys.set(key, i);
    }
  });
}

function checkService(service: IndexedObject): Finding[] {
  const checks = new FieldFindings(serviceFields, service);
  const spec = asRecord(service.object.spec) ?? {};
  const type = spec.type;
  checks.oneOf('spec.type', type, SERVICE_TYPES);
  const headless = spec.clusterIP === 'None' || asArray(spec.clusterIPs)[0] === 'None';
  if (headless && (type === 'NodePort' || type === 'LoadBalancer')) {
    checks.reject('spec.clusterIP', `spec.clusterIP is "None" (headless), but a ${type} Service needs a cluster IP`, `Remove clusterIP: None, or use type: ClusterIP for a headless Service.`);
  }
  if (type === 'ExternalName') {
    const name = typeof spec.externalName === 'string' ? spec.externalName.replace(/\.$/, '') : '';
    if (name === '') checks.reject('spec.externalName', 'spec.externalName is missing, but a Service of type ExternalName is only that name', 'Set externalName to the DNS name to alias.');
    else if (!isDns1123Subdomain(name)) checks.reject('spec.externalName', `spec.externalName ${show(spec.externalName)} is not a DNS-1123 subdomain`, 'Use a lowercase DNS name.');
    if (spec.clusterIP !== undefined && spec.clusterIP !== '') checks.reject('spec.clusterIP', 'spec.clusterIP is set on an ExternalName Service, which has no cluster IP', 'Remove clusterIP.');
  } else if (asArray(spec.ports).length === 0 && !headless) {
    checks.reject('spec.ports', 'spec.ports is empty, but a Service with a cluster IP needs at least one port', 'Add the port, or make the Service headless (clusterIP: None).');
  }
  checks.oneOf('spec.sessionAffinity', spec.sessionAffinity, ['None', 'ClientIP']);
  const externallyAccessible = type === 'NodePort' || type === 'LoadBalancer' || ((type === undefined || type === 'ClusterIP') && asArray(spec.externalIPs).length > 0);
  if (spec.externalTrafficPolicy !== undefined && spec.externalTrafficPolicy !== '' && !externallyAccessible) {
    checks.reject('spec.externalTrafficPolicy', `spec.externalTrafficPolicy is ${show(spec.externalTrafficPolicy)} on a ${String(type ?? 'ClusterIP')} Service without externalIPs, which no traffic from outside reaches`, 'Remove it (it only applies to NodePort and LoadBalancer Services, or ones with externalIPs).');
  } else {
    checks.oneOf('spec.externalTrafficPolicy', spec.externalTrafficPolicy, ['Cluster', 'Local']);
  }
  checks.oneOf('spec.internalTrafficPolicy', spec.internalTrafficPolicy, ['Cluster', 'Local']);
  if (spec.loadBalancerSourceRanges !== undefined && asArray(spec.loadBalancerSourceRanges).length > 0 && type !== 'LoadBalancer') {
    checks.reject('spec.loadBalancerSourceRanges', `spec.loadBalancerSourceRanges is set on a ${String(type ?? 'ClusterIP')} Service`, 'Only LoadBalancer Services take it.');
  }
  checkPorts(checks, spec, type);
  return checks.findings;
}

export const serviceFields: Rule = {
  id: 'service-fields',
  summary: 'A Service has a known type, a cluster IP where its type needs one, ports with valid distinct names, numbers and protocols, targetPorts that are port numbers or IANA names, and nodePorts only on NodePort and LoadBalancer Services.',
  breaks: 'kubectl apply fails: the API server validates the Service spec.',
  apiServer: 'rejects',
  check: (index: ObjectIndex) => findingsOf(index.byKind('Service'), checkService),
};
