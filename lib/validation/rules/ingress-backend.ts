import { asArray, asRecord, asString, Json } from '../../manifest/objects';
import { finding, IndexedObject, isDeclaredExternal, ObjectIndex, Rule, RuleContext, findingsOf } from '../rule';
import { Finding } from '../../manifest/types';
import { findServicePort } from '../ports';

/** A Service an Ingress routes to, and where. */
export interface BackendRef {
  /** Path of the backend (its `service` for networking.k8s.io/v1). */
  readonly path: string;
  readonly serviceName: string | undefined;
  readonly port: unknown;
}

/** networking.k8s.io/v1 `backend.service.{name,port}`, or the legacy v1beta1 `backend.{serviceName,servicePort}`. */
function backendRef(backend: Json, path: string): BackendRef | undefined {
  const service = asRecord(backend.service);
  if (service) {
    const port = asRecord(service.port) ?? {};
    return { path: `${path}.service`, serviceName: asString(service.name), port: port.number ?? port.name };
  }
  if (backend.serviceName !== undefined) {
    return { path, serviceName: asString(backend.serviceName), port: backend.servicePort };
  }
  return undefined; // a `resource` backend: not a Service
}

/** Every Service backend of an Ingress: the default backend, then each rule's paths. */
export function backendsOf(ingress: IndexedObject): BackendRef[] {
  const spec = asRecord(ingress.object.spec) ?? {};
  const refs: BackendRef[] = [];
  const defaultBackend = asRecord(spec.defaultBackend) ?? asRecord(spec.backend);
  if (defaultBackend) {
    const ref = backendRef(defaultBackend, spec.defaultBackend ? 'spec.defaultBackend' : 'spec.backend');
    if (ref) refs.push(ref);
  }
  asArray(spec.rules).forEach((rule, i) => {
    asArray(asRecord(asRecord(rule)?.http)?.paths).forEach((httpPath, j) => {
      const backend = asRecord(asRecord(httpPath)?.backend);
      const ref = backend && backendRef(backend, `spec.rules[${i}].http.paths[${j}].backend`);
      if (ref) refs.push(ref);
    });
  });
  return refs;
}

export function servicePortMatches(service: IndexedObject, port: unknown): boolean {
  return findServicePort(service, port) !== undefined;
}

export function describeServicePorts(service: IndexedObject): string {
  const ports = asArray(asRecord(service.object.spec)?.ports).map((raw) => {
    const port = asRecord(raw) ?? {};
    return port.name ? `${String(port.port)} (${String(port.name)})` : String(port.port);
  });
  return ports.length ? ports.join(', ') : 'none';
}

function checkBackend(index: ObjectIndex, context: RuleContext, ingress: IndexedObject, ref: BackendRef): Finding[] {
  if (!ref.serviceName) {
    return [finding(ingressBackend, ingress, `${ref.path}.name`, `${ref.path}.name is missing; the API server rejects a Service backend without a name. Name the Service to route to.`, { apiServer: 'rejects' })];
  }
  const service = index.find('Service', ingress.namespace, ref.serviceName);
  if (!service) {
    if (isDeclaredExternal(context, 'Service', ingress.namespace, ref.serviceName)) return [];
    return [finding(ingressBackend, ingress, `${ref.path}.name`,
      `${ref.path}.name refers to Service ${ref.serviceName}, which is not in namespace ${ingress.namespace}; the API server accepts it, but the ingress controller answers 503 for this path. `
      + `Create the Service in the same namespace (an Ingress cannot route to another namespace) or declare it as an external object.`)];
  }
  if (asRecord(service.object.spec)?.type === 'ExternalName' || servicePortMatches(service, ref.port)) return [];
  const portPath = ref.path.endsWith('.service') ? `${ref.path}.port` : `${ref.path}.servicePort`;
  return [finding(ingressBackend, ingress, portPath,
    `${portPath} is ${typeof ref.port === 'string' ? `"${ref.port}"` : String(ref.port)}, but Service ${ref.serviceName} exposes ${describeServicePorts(service)}; `
    + `the API server accepts it, but the ingress controller answers 503 for this path. Use one of the Service's ports (spec.ports[].port, or its name).`)];
}

export const ingressBackend: Rule = {
  id: 'ingress-backend',
  summary: 'Every Ingress backend (rules and defaultBackend) names a Service of the same namespace and one of its ports.',
  breaks: 'The ingress controller answers 503 Service Unavailable for the path.',
  apiServer: 'accepts',
  check: (index, context) => findingsOf(index.byKind('Ingress'), (ingress) =>
    findingsOf(backendsOf(ingress), (ref) => checkBackend(index, context, ingress, ref))),
};
