import { asArray, asRecord, Json } from '../../manifest/objects';
import { IndexedObject, ObjectIndex, Rule, findingsOf } from '../rule';
import { Finding } from '../../manifest/types';
import { isDns1035Label, isDns1123Subdomain, isWildcardDns1123Subdomain } from '../../manifest/names';
import { isIpAddress } from '../../manifest/cidr';
import { FieldFindings, show } from '../field-checks';

const PATH_TYPES = ['Exact', 'Prefix', 'ImplementationSpecific'];
const INVALID_PATH_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const INVALID_PATH_SUFFIXES = ['/..', '/.'];

function checkHost(checks: FieldFindings, host: unknown, path: string): void {
  if (typeof host !== 'string' || host === '') return;
  if (isIpAddress(host)) checks.reject(path, `${path} ${show(host)} is an IP address, but an Ingress host must be a DNS name`, 'Use a host name, or leave host out to match every address.');
  else if (host.includes('*') ? !isWildcardDns1123Subdomain(host) : !isDns1123Subdomain(host)) {
    checks.reject(path, `${path} ${show(host)} is not a DNS-1123 subdomain${host.includes('*') ? ' with a leading "*." wildcard' : ''}`, 'Use a lowercase host name such as "shop.example.com" or "*.example.com".');
  }
}

function checkBackend(checks: FieldFindings, backend: Json, path: string): void {
  const service = asRecord(backend.service);
  if (service && backend.resource !== undefined) {
    checks.reject(path, `${path} sets both service and resource`, 'Keep one of them.');
    return;
  }
  if (!service && backend.resource === undefined) {
    checks.reject(path, `${path} names neither a service nor a resource`, 'Set service.name and service.port.');
    return;
  }
  if (!service) return;
  if (typeof service.name === 'string' && !isDns1035Label(service.name)) {
    checks.reject(`${path}.service.name`, `${path}.service.name ${show(service.name)} is not a Service name (a DNS-1035 label)`, 'Name the Service.');
  }
  const port = asRecord(service.port) ?? {};
  const hasName = typeof port.name === 'string' && port.name !== '';
  const hasNumber = port.number !== undefined && port.number !== 0;
  if (hasName && hasNumber) checks.reject(path, `${path}.service.port sets both name and number`, 'Keep one of them.');
  else if (hasName) checks.portNumberOrName(`${path}.service.port.name`, port.name);
  else if (hasNumber) checks.inRange(`${path}.service.port.number`, port.number, 1, 65535);
  else checks.reject(path, `${path}.service.port has neither a name nor a number`, 'Set service.port.number (or name) to a port of the Service.');
}

function checkPath(checks: FieldFindings, entry: Json, path: string): void {
  const pathType = entry.pathType;
  if (pathType === undefined) {
    checks.reject(`${path}.pathType`, `${path}.pathType is missing; networking.k8s.io/v1 requires it`, 'Set pathType: Prefix (or Exact, ImplementationSpecific).');
  } else {
    checks.oneOf(`${path}.pathType`, pathType, PATH_TYPES);
  }
  const value = typeof entry.path === 'string' ? entry.path : '';
  if (pathType === 'Exact' || pathType === 'Prefix') {
    if (!value.startsWith('/')) checks.reject(`${path}.path`, `${path}.path ${show(entry.path ?? '')} does not start with "/", which a ${pathType} path must`, `Write it as "/${value}".`);
    const sequence = INVALID_PATH_SEQUENCES.find((bad) => value.includes(bad));
    if (sequence) checks.reject(`${path}.path`, `${path}.path ${show(value)} contains "${sequence}"`, 'Normalize the path.');
    const suffix = INVALID_PATH_SUFFIXES.find((bad) => value.endsWith(bad));
    if (suffix) checks.reject(`${path}.path`, `${path}.path ${show(value)} ends with "${suffix}"`, 'Normalize the path.');
  } else if (pathType === 'ImplementationSpecific' && value !== '' && !value.startsWith('/')) {
    checks.reject(`${path}.path`, `${path}.path ${show(value)} does not start with "/"`, `Write it as "/${value}" (or leave it empty).`);
  }
  const backend = asRecord(entry.backend);
  if (backend) checkBackend(checks, backend, `${path}.backend`);
}

function checkIngress(ingress: IndexedObject): Finding[] {
  const checks = new FieldFindings(ingressFields, ingress);
  if (ingress.object.apiVersion !== 'networking.k8s.io/v1') return [];
  const spec = asRecord(ingress.object.spec) ?? {};
  const rules = asArray(spec.rules);
  const defaultBackend = asRecord(spec.defaultBackend);
  if (rules.length === 0 && !defaultBackend) checks.reject('spec', 'spec has neither rules nor a defaultBackend, so the Ingress routes nothing', 'Add a rule with a host and paths, or a defaultBackend.');
  if (defaultBackend) checkBackend(checks, defaultBackend, 'spec.defaultBackend');
  rules.forEach((raw, i) => {
    const rule = asRecord(raw) ?? {};
    checkHost(checks, rule.host, `spec.rules[${i}].host`);
    const http = asRecord(rule.http);
    if (!http) return;
    const paths = asArray(http.paths);
    if (paths.length === 0) checks.reject(`spec.rules[${i}].http.paths`, `spec.rules[${i}].http has no paths`, 'Add a path, e.g. { path: "/", pathType: Prefix, backend: … }.');
    paths.forEach((entry, j) => checkPath(checks, asRecord(entry) ?? {}, `spec.rules[${i}].http.paths[${j}]`));
  });
  asArray(spec.tls).forEach((raw, i) => {
    const tls = asRecord(raw) ?? {};
    asArray(tls.hosts).forEach((host, j) => {
      if (typeof host !== 'string') return;
      if (host.includes('*') ? !isWildcardDns1123Subdomain(host) : !isDns1123Subdomain(host)) {
        checks.reject(`spec.tls[${i}].hosts[${j}]`, `spec.tls[${i}].hosts[${j}] ${show(host)} is not a DNS-1123 subdomain (or "*." and one)`, 'Use the host names of the certificate.');
      }
    });
    if (typeof tls.secretName === 'string' && tls.secretName !== '' && !isDns1123Subdomain(tls.secretName)) {
      checks.reject(`spec.tls[${i}].secretName`, `spec.tls[${i}].secretName ${show(tls.secretName)} is not a Secret name (a DNS-1123 subdomain)`, 'Name the TLS Secret.');
    }
  });
  if (typeof spec.ingressClassName === 'string' && !isDns1123Subdomain(spec.ingressClassName)) {
    checks.reject('spec.ingressClassName', `spec.ingressClassName ${show(spec.ingressClassName)} is not an IngressClass name (a DNS-1123 subdomain)`, 'Name the IngressClass, e.g. "nginx".');
  }
  return checks.findings;
}

export const ingressFields: Rule = {
  id: 'ingress-fields',
  summary: 'Ingress rules have DNS host names (not IPs), paths with a pathType, Prefix and Exact paths that start with "/" and are normalized, backends with one service and one port (name or number), and valid TLS hosts and class names.',
  breaks: 'kubectl apply fails: the API server validates the Ingress spec.',
  apiServer: 'rejects',
  check: (index: ObjectIndex) => findingsOf(index.byKind('Ingress'), checkIngress),
};
