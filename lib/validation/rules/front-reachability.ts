/**
 * Rule `front-reachability`: the pods behind a front (an Ingress, an HTTPRoute) admit the
 * controller that forwards the front's requests, and those of a NodePort or LoadBalancer Service
 * admit addresses outside the cluster.
 *
 * What is knowable from the manifests:
 * - **Ingress.** The ingress controller is not in the manifests, nor is its namespace (an
 *   IngressClass names a controller, not where it runs). It is taken to run in another namespace
 *   than the Service with labels we do not know: the pods are unreachable when the ingress rules
 *   of the policies selecting them admit no pod of another namespace on the Service's target port,
 *   i.e. none has a rule without `from`, with a `namespaceSelector` that may match another
 *   namespace, or with an `ipBlock` (which may cover the controller's pod or node IPs).
 * - **HTTPRoute.** The data plane of each parent Gateway is taken to run in the Gateway's
 *   namespace (Istio, NGINX Gateway Fabric; Envoy Gateway's "Gateway namespace mode"). Admitting
 *   no pod of that namespace is an error when no other namespace is admitted either, and a warning
 *   when another one is (Envoy Gateway runs it in its controller's namespace, `envoy-gateway-system`,
 *   by default). Egress policies of the Gateway's namespace count when the manifests hold them.
 *
 * - **NodePort and LoadBalancer Services.** Their clients are outside the cluster (or a node, after
 *   kube-proxy rewrote the source): only an `ipBlock` peer, or a rule without `from`, admits them.
 *   The pods are unreachable when the ingress rules of the policies selecting them have neither on
 *   the target port; an `ipBlock` narrower than every address may cover the clients, so it is never
 *   reported.
 *
 * Pods selected by no policy are open; a selector on labels we do not know (the controller's) may
 * match, so it is never reported. A controller on the host network reaches the pods of its own
 * node whatever the policies say (traffic from the local node is admitted): for it, what fails is
 * the requests it forwards to pods on other nodes.
 */
import { asArray, asRecord, asString, Json } from '../../manifest/objects';
import { finding, IndexedObject, IndexedPodTemplate, ObjectIndex, Rule, findingsOf } from '../rule';
import { Finding } from '../../manifest/types';
import { HTTP_ROUTE_API_VERSION, isGatewayParentRef } from '../http-route';
import { findServicePort, targetContainerPort } from '../ports';
import { backendsOf } from './ingress-backend';
import {
  ConnectionVerdict, describeDenial, NetworkPolicyEvaluator, networkPolicyEvaluator, podOf, someAddressOutside, somePodOfNamespace, somePodOutside,
} from '../network-policy-eval';

const ACCEPTS = 'the API server accepts it, but every request the front forwards to those pods fails: the controller cannot connect to them';

/** One Service a front routes to, on one of its ports. */
interface RoutedService {
  readonly front: IndexedObject;
  /** Path of the backend in the front. */
  readonly path: string;
  readonly service: IndexedObject;
  readonly servicePort: Json;
}

function routedService(index: ObjectIndex, front: IndexedObject, path: string, namespace: string, name: string | undefined, port: unknown): RoutedService[] {
  const service = name === undefined ? undefined : index.find('Service', namespace, name);
  // A missing Service or port is ingress-backend's and http-route-backend's finding.
  const servicePort = service && findServicePort(service, port);
  return service && servicePort ? [{ front, path, service, servicePort }] : [];
}

/** The pods of `routed` and the container port its traffic reaches on each. */
function targetsOf(index: ObjectIndex, routed: RoutedService): { template: IndexedPodTemplate; port: number; protocol: string }[] {
  return (index.podTemplatesSelectedBy(routed.service) ?? []).flatMap((template) => {
    const target = targetContainerPort(template, routed.servicePort);
    return target ? [{ template, ...target }] : [];
  });
}

function podsOf(template: IndexedPodTemplate): string {
  return `${template.owner.kind} ${template.owner.name}'s pods`;
}

function describeRoute(routed: RoutedService, port: number, protocol: string): string {
  return `${routed.path} routes to Service ${routed.service.name} port ${String(routed.servicePort.port)} (container port ${port}/${protocol})`;
}

function checkIngress(index: ObjectIndex, evaluator: NetworkPolicyEvaluator, ingress: IndexedObject): Finding[] {
  const findings: Finding[] = [];
  const reported = new Set<string>();
  for (const ref of backendsOf(ingress)) {
    for (const routed of routedService(index, ingress, ref.path, ingress.namespace!, ref.serviceName, ref.port)) {
      for (const { template, port, protocol } of targetsOf(index, routed)) {
        const key = `${template.owner.label}\u0000${port}/${protocol}`;
        if (reported.has(key)) continue;
        const verdict = evaluator.connection({ from: somePodOutside(template.namespace), to: podOf(template), port, protocol });
        if (verdict.allowed !== 'no') continue;
        reported.add(key);
        findings.push(finding(frontReachability, ingress, ref.path,
          `${describeRoute(routed, port, protocol)}, but ${describeDenial(verdict, 'the ingress controller (a pod of another namespace)', podsOf(template), port, protocol)}; ${ACCEPTS}. `
          + `Admit the controller on the workload that owns ${template.owner.kind} ${template.owner.name}: with our constructs, `
          + 'ingress: { …, controller: Peer.ingressController(\'<the controller\'s namespace>\') }; in plain manifests, an ingress rule from the controller\'s namespace in one of those policies.'));
      }
    }
  }
  return findings;
}

/** The namespaces of the Gateways a route attaches to, each with the path of its first parentRef. */
function gatewayNamespaces(route: IndexedObject): Map<string, { path: string; gateway: string }> {
  const namespaces = new Map<string, { path: string; gateway: string }>();
  asArray(asRecord(route.object.spec)?.parentRefs).forEach((raw, i) => {
    const ref = asRecord(raw) ?? {};
    const name = asString(ref.name);
    if (!isGatewayParentRef(ref) || !name) return;
    const namespace = asString(ref.namespace) ?? route.namespace!;
    if (!namespaces.has(namespace)) namespaces.set(namespace, { path: `spec.parentRefs[${i}]`, gateway: `${namespace}/${name}` });
  });
  return namespaces;
}

function routedServices(index: ObjectIndex, route: IndexedObject): RoutedService[] {
  return asArray(asRecord(route.object.spec)?.rules).flatMap((rule, i) => asArray(asRecord(rule)?.backendRefs).flatMap((raw, j) => {
    const ref = asRecord(raw) ?? {};
    if ((ref.group ?? '') !== '' || (ref.kind ?? 'Service') !== 'Service') return [];
    return routedService(index, route, `spec.rules[${i}].backendRefs[${j}]`, asString(ref.namespace) ?? route.namespace!, asString(ref.name), ref.port);
  }));
}

function dataPlaneFix(template: IndexedPodTemplate, namespace: string): string {
  return `Admit the data plane on the workload that owns ${template.owner.kind} ${template.owner.name}: `
    + `connections.allowFrom(Peer.gatewayDataPlane({ namespace: '${namespace}', podLabels: { … } })) (the route's dataPlane prop does it), or add an ingress rule from it to one of those policies.`;
}

function checkRoute(index: ObjectIndex, evaluator: NetworkPolicyEvaluator, route: IndexedObject): Finding[] {
  if (route.object.apiVersion !== HTTP_ROUTE_API_VERSION) return [];
  const gateways = gatewayNamespaces(route);
  if (gateways.size === 0) return [];
  const findings: Finding[] = [];
  const reported = new Set<string>();
  for (const routed of routedServices(index, route)) {
    for (const { template, port, protocol } of targetsOf(index, routed)) {
      for (const [namespace, { gateway }] of gateways) {
        const key = `${template.owner.label}\u0000${port}/${protocol}\u0000${namespace}`;
        if (reported.has(key)) continue;
        const verdict: ConnectionVerdict = evaluator.connection({ from: somePodOfNamespace(namespace), to: podOf(template), port, protocol });
        if (verdict.allowed !== 'no') continue;
        reported.add(key);
        const dataPlane = `the data plane of Gateway ${gateway} (a pod of namespace ${namespace})`;
        const denial = describeDenial(verdict, dataPlane, podsOf(template), port, protocol);
        // Only the ingress side refuses, and it admits some other namespace: the data plane may run there.
        const elsewhere = verdict.egress.allowed !== 'no'
          && evaluator.ingress({ from: somePodOutside(namespace), to: podOf(template), port, protocol }).allowed !== 'no';
        if (elsewhere) {
          findings.push(finding(frontReachability, route, routed.path,
            `${describeRoute(routed, port, protocol)}, but ${denial}; they admit pods of another namespace, which works only if the data plane runs there `
            + `(Envoy Gateway's default is its controller's namespace, envoy-gateway-system). Where the data plane runs in the Gateway's namespace, ${ACCEPTS}. `
            + dataPlaneFix(template, namespace), { severity: 'warning' }));
        } else {
          findings.push(finding(frontReachability, route, routed.path, `${describeRoute(routed, port, protocol)}, but ${denial}; ${ACCEPTS}. ${dataPlaneFix(template, namespace)}`));
        }
      }
    }
  }
  return findings;
}

/** The Service types whose clients come from outside the cluster. */
const OUTSIDE_TYPES: ReadonlySet<string> = new Set(['NodePort', 'LoadBalancer']);

function checkExposedService(index: ObjectIndex, evaluator: NetworkPolicyEvaluator, service: IndexedObject): Finding[] {
  const spec = asRecord(service.object.spec) ?? {};
  const type = asString(spec.type);
  if (type === undefined || !OUTSIDE_TYPES.has(type)) return [];
  const templates = index.podTemplatesSelectedBy(service) ?? [];
  const findings: Finding[] = [];
  const reported = new Set<string>();
  asArray(spec.ports).forEach((raw, i) => {
    const servicePort = asRecord(raw);
    if (!servicePort) return;
    for (const template of templates) {
      // A target port no container declares is service-target-port's finding.
      const target = targetContainerPort(template, servicePort);
      if (!target) continue;
      const { port, protocol } = target;
      const key = `${template.owner.label}\u0000${port}/${protocol}`;
      if (reported.has(key)) continue;
      const verdict = evaluator.connection({ from: someAddressOutside(), to: podOf(template), port, protocol });
      if (verdict.allowed !== 'no') continue;
      reported.add(key);
      const nodePort = typeof servicePort.nodePort === 'number' ? `, node port ${servicePort.nodePort}` : '';
      const through = type === 'LoadBalancer' ? 'the load balancer and the node ports' : 'the node port';
      findings.push(finding(frontReachability, service, `spec.ports[${i}]`,
        `${type} Service ${service.name} port ${String(servicePort.port)}${nodePort} reaches container port ${port}/${protocol} of ${podsOf(template)}, `
        + `but ${describeDenial(verdict, 'an address outside the cluster', podsOf(template), port, protocol)}; `
        + `the API server accepts it, but every connection through ${through} fails: its clients are outside the cluster (or a node, after kube-proxy's rewrite), which only an ipBlock admits. `
        + `Admit them on the workload that owns ${template.owner.kind} ${template.owner.name}: with our constructs, a WebApp's serviceType ${type} (or a StatefulApp's nodePorts) does it by itself; `
        + `in plain manifests, an ingress rule from: [{ ipBlock: { cidr: 0.0.0.0/0 } }] on port ${port} in one of those policies, or make the Service ClusterIP.`));
    }
  });
  return findings;
}

export const frontReachability: Rule = {
  id: 'front-reachability',
  summary: 'The pods behind every Ingress backend and HTTPRoute backendRef admit, by their NetworkPolicies, the ingress controller (a pod of another namespace) or the Gateway\'s data plane (a pod of the Gateway\'s namespace) on the target port; those of a NodePort or LoadBalancer Service admit addresses outside the cluster.',
  breaks: 'Every request through the front fails: the controller, or the client outside the cluster, cannot connect to the pods.',
  apiServer: 'accepts',
  check: (index) => {
    const evaluator = networkPolicyEvaluator(index);
    return [
      ...findingsOf(index.byKind('Ingress'), (ingress) => checkIngress(index, evaluator, ingress)),
      ...findingsOf(index.byKind('HTTPRoute'), (route) => checkRoute(index, evaluator, route)),
      ...findingsOf(index.byKind('Service'), (service) => checkExposedService(index, evaluator, service)),
    ];
  },
};
