import { frontReachability } from '../../../lib/validation/rules/front-reachability';
import { KubeObject } from '../../../lib/manifest/types';
import { deployment, networkPolicy, runRule, service, summarize } from '../helpers';

const NS = 'shop';
const web = () => deployment({ namespace: NS });
const webService = (targetPort: unknown = 'http') => service({ namespace: NS, ports: [{ name: 'http', port: 80, targetPort }] });
const DENY_INGRESS = networkPolicy('default-deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] }, NS);
const WEB = { matchLabels: { app: 'web' } };
const admitWeb = (rule: Record<string, unknown>) => networkPolicy('web', { podSelector: WEB, ingress: [rule] }, NS);
const NGINX = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } };

function ingress(paths: { service: string; port: Record<string, unknown> }[], defaultBackend?: { service: string; port: Record<string, unknown> }): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: NS },
    spec: {
      ...(defaultBackend ? { defaultBackend: { service: { name: defaultBackend.service, port: defaultBackend.port } } } : {}),
      rules: [{ host: 'shop.example.com', http: { paths: paths.map((p, i) => ({ path: `/${i}`, pathType: 'Prefix', backend: { service: { name: p.service, port: p.port } } })) } }],
    },
  };
}

const toWeb = () => ingress([{ service: 'web', port: { number: 80 } }]);

describe('front-reachability: Ingress', () => {
  it('reports a Service whose pods admit nothing from another namespace, naming the Service, port, policies and fix', () => {
    const findings = runRule(frontReachability, [web(), webService(), toWeb(), DENY_INGRESS, admitWeb({ from: [{ podSelector: { matchLabels: { app: 'api' } } }] })]);
    expect(summarize(findings)).toEqual([{ rule: 'front-reachability', path: 'spec.rules[0].http.paths[0].backend.service', severity: 'error' }]);
    expect(findings[0]).toMatchObject({ object: 'Ingress shop/web', apiServer: 'accepts' });
    expect(findings[0].message).toContain('routes to Service web port 80 (container port 8080/TCP)');
    expect(findings[0].message).toContain('the ingress NetworkPolicies selecting Deployment web\'s pods (shop/default-deny-ingress, shop/web) admit nothing from the ingress controller (a pod of another namespace) on port 8080/TCP');
    expect(findings[0].message).toContain("ingress: { …, controller: Peer.ingressController('<the controller's namespace>') }");
  });

  it('checks the default backend too, and reports a workload once however many paths reach it', () => {
    const front = ingress([{ service: 'web', port: { number: 80 } }, { service: 'web', port: { name: 'http' } }], { service: 'web', port: { number: 80 } });
    const findings = runRule(frontReachability, [web(), webService(), front, DENY_INGRESS]);
    expect(summarize(findings)).toEqual([{ rule: 'front-reachability', path: 'spec.defaultBackend.service', severity: 'error' }]);
  });

  it('passes pods that admit another namespace, all sources on the port, or an ipBlock (which may cover the controller)', () => {
    for (const rule of [
      { from: [NGINX], ports: [{ port: 8080 }] },
      { from: [{ namespaceSelector: {}, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } } }] },
      { ports: [{ port: 'http' }] },
      { from: [{ ipBlock: { cidr: '10.0.0.0/8' } }] },
    ]) {
      expect(runRule(frontReachability, [web(), webService(), toWeb(), DENY_INGRESS, admitWeb(rule)])).toEqual([]);
    }
  });

  it('reports pods that admit all sources but on another port, or only their own namespace', () => {
    const otherPort = runRule(frontReachability, [web(), webService(), toWeb(), DENY_INGRESS, admitWeb({ ports: [{ port: 9090 }] })]);
    expect(otherPort.map((f) => f.severity)).toEqual(['error']);
    const ownNamespace = admitWeb({ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': NS } } }] });
    expect(runRule(frontReachability, [web(), webService(), toWeb(), DENY_INGRESS, ownNamespace]).map((f) => f.severity)).toEqual(['error']);
  });

  it('passes pods no policy isolates, and Services without pods, port or existence (other rules report those)', () => {
    const elsewhere = networkPolicy('db', { podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Ingress'] }, NS);
    expect(runRule(frontReachability, [web(), webService(), toWeb(), elsewhere])).toEqual([]);
    expect(runRule(frontReachability, [webService(), toWeb(), DENY_INGRESS])).toEqual([]);
    expect(runRule(frontReachability, [web(), webService(), ingress([{ service: 'web', port: { number: 81 } }]), DENY_INGRESS])).toEqual([]);
    expect(runRule(frontReachability, [web(), ingress([{ service: 'web', port: { number: 80 } }]), DENY_INGRESS])).toEqual([]);
    expect(runRule(frontReachability, [web(), webService('grpc'), toWeb(), DENY_INGRESS])).toEqual([]);
  });
});

function route(parentRefs: Record<string, unknown>[], backendRef: Record<string, unknown> = { name: 'web', port: 80 }, apiVersion = 'gateway.networking.k8s.io/v1'): KubeObject {
  return { apiVersion, kind: 'HTTPRoute', metadata: { name: 'web', namespace: NS }, spec: { parentRefs, rules: [{ backendRefs: [backendRef] }] } };
}

const PUBLIC = { name: 'public', namespace: 'gateway-system' };
const namespaceIs = (name: string) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } } });

describe('front-reachability: HTTPRoute', () => {
  it('passes pods that admit pods of the Gateway\'s namespace', () => {
    const dataPlane = admitWeb({ from: [{ ...namespaceIs('gateway-system'), podSelector: { matchLabels: { 'gateway.networking.k8s.io/gateway-name': 'public' } } }] });
    expect(runRule(frontReachability, [web(), webService(), route([PUBLIC]), DENY_INGRESS, dataPlane])).toEqual([]);
  });

  it('reports pods that admit no pod of another namespace: an error naming the Gateway and the dataPlane fix', () => {
    const findings = runRule(frontReachability, [web(), webService(), route([PUBLIC]), DENY_INGRESS]);
    expect(summarize(findings)).toEqual([{ rule: 'front-reachability', path: 'spec.rules[0].backendRefs[0]', severity: 'error' }]);
    expect(findings[0].message).toContain('admit nothing from the data plane of Gateway gateway-system/public (a pod of namespace gateway-system) on port 8080/TCP');
    expect(findings[0].message).toContain('Peer.gatewayDataPlane({ namespace: \'gateway-system\'');
  });

  it('warns when the pods admit another namespace but not the Gateway\'s: the data plane may run there', () => {
    const findings = runRule(frontReachability, [web(), webService(), route([PUBLIC]), DENY_INGRESS, admitWeb({ from: [namespaceIs('envoy-gateway-system')] })]);
    expect(summarize(findings)).toEqual([{ rule: 'front-reachability', path: 'spec.rules[0].backendRefs[0]', severity: 'warning' }]);
    expect(findings[0].message).toContain('envoy-gateway-system');
  });

  it('reads a parentRef without namespace as the route\'s: pods of the same namespace may be the data plane', () => {
    expect(runRule(frontReachability, [web(), webService(), route([{ name: 'public' }]), DENY_INGRESS, admitWeb({ from: [{ podSelector: {} }] })])).toEqual([]);
    expect(runRule(frontReachability, [web(), webService(), route([{ name: 'public' }]), DENY_INGRESS]).map((f) => f.severity)).toEqual(['error']);
  });

  it('reports a data plane whose own namespace\'s egress policies in the set refuse the connection', () => {
    const denyOut = networkPolicy('deny-egress', { podSelector: {}, policyTypes: ['Egress'] }, 'gateway-system');
    const findings = runRule(frontReachability, [web(), webService(), route([PUBLIC]), denyOut]);
    expect(summarize(findings)).toEqual([{ rule: 'front-reachability', path: 'spec.rules[0].backendRefs[0]', severity: 'error' }]);
    expect(findings[0].message).toContain('the egress NetworkPolicies selecting the data plane of Gateway gateway-system/public (a pod of namespace gateway-system) (gateway-system/deny-egress) allow no connection');
  });

  it('leaves routes of other API versions, parents that are not Gateways and backends that are not Services alone', () => {
    expect(runRule(frontReachability, [web(), webService(), route([PUBLIC], undefined, 'gateway.networking.k8s.io/v1beta1'), DENY_INGRESS])).toEqual([]);
    expect(runRule(frontReachability, [web(), webService(), route([{ ...PUBLIC, kind: 'Service', group: '' }]), DENY_INGRESS])).toEqual([]);
    expect(runRule(frontReachability, [web(), webService(), route([PUBLIC], { name: 'web', kind: 'Bucket', group: 'example.com' }), DENY_INGRESS])).toEqual([]);
  });
});

describe('front-reachability: NodePort and LoadBalancer Services', () => {
  const exposed = (type: string, ports: Record<string, unknown>[] = [{ name: 'http', port: 80, targetPort: 'http', nodePort: 30080 }]) => service({ namespace: NS, type, ports });
  const ANY_ADDRESS = { ipBlock: { cidr: '0.0.0.0/0' } };

  it('reports a NodePort whose pods admit no address on the target port, naming the Service, ports, pods, policies and fix', () => {
    const findings = runRule(frontReachability, [web(), exposed('NodePort'), DENY_INGRESS, admitWeb({ from: [{ podSelector: { matchLabels: { app: 'api' } } }] })]);
    expect(summarize(findings)).toEqual([{ rule: 'front-reachability', path: 'spec.ports[0]', severity: 'error' }]);
    expect(findings[0]).toMatchObject({ object: 'Service shop/web', apiServer: 'accepts' });
    expect(findings[0].message).toContain('NodePort Service web port 80, node port 30080 reaches container port 8080/TCP of Deployment web\'s pods');
    expect(findings[0].message).toContain('the ingress NetworkPolicies selecting Deployment web\'s pods (shop/default-deny-ingress, shop/web) admit nothing from an address outside the cluster on port 8080/TCP');
    expect(findings[0].message).toContain('the API server accepts it, but every connection through the node port fails');
    expect(findings[0].message).toContain('a WebApp\'s serviceType NodePort (or a StatefulApp\'s nodePorts) does it by itself');
    expect(findings[0].message).toContain('from: [{ ipBlock: { cidr: 0.0.0.0/0 } }] on port 8080');
  });

  it('reports a LoadBalancer the same way, through the load balancer', () => {
    const findings = runRule(frontReachability, [web(), exposed('LoadBalancer', [{ name: 'http', port: 443, targetPort: 8080 }]), DENY_INGRESS]);
    expect(summarize(findings)).toEqual([{ rule: 'front-reachability', path: 'spec.ports[0]', severity: 'error' }]);
    expect(findings[0].message).toContain('LoadBalancer Service web port 443 reaches container port 8080/TCP');
    expect(findings[0].message).toContain('every connection through the load balancer and the node ports fails');
    expect(findings[0].message).toContain('serviceType LoadBalancer');
  });

  it('passes pods whose policy admits every address, an ipBlock that may cover the clients, or all sources on the port', () => {
    for (const rule of [
      { from: [ANY_ADDRESS], ports: [{ port: 8080 }] },
      { from: [{ ipBlock: { cidr: '10.0.0.0/8' } }] },
      { from: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }] },
      { ports: [{ port: 8080 }] },
    ]) {
      expect(runRule(frontReachability, [web(), exposed('NodePort'), DENY_INGRESS, admitWeb(rule)])).toEqual([]);
      expect(runRule(frontReachability, [web(), exposed('LoadBalancer'), DENY_INGRESS, admitWeb(rule)])).toEqual([]);
    }
  });

  it('passes pods no policy selects, ClusterIP and headless Services, and Services that select no pods or no declared port', () => {
    const elsewhere = networkPolicy('db', { podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Ingress'] }, NS);
    expect(runRule(frontReachability, [web(), exposed('NodePort'), elsewhere])).toEqual([]);
    expect(runRule(frontReachability, [web(), exposed('ClusterIP'), DENY_INGRESS])).toEqual([]);
    expect(runRule(frontReachability, [web(), webService(), DENY_INGRESS])).toEqual([]);
    expect(runRule(frontReachability, [exposed('NodePort'), DENY_INGRESS])).toEqual([]);
    expect(runRule(frontReachability, [web(), exposed('NodePort', [{ name: 'grpc', port: 81, targetPort: 'grpc' }]), DENY_INGRESS])).toEqual([]);
  });

  it('resolves named target ports on the pods, and a policy\'s named port on the destination; reports each port it does not admit', () => {
    const twoPorts = () => deployment({ namespace: NS, containers: [{ name: 'app', image: 'example/app:1.0', ports: [{ containerPort: 8080, name: 'http' }, { containerPort: 9090, name: 'metrics' }] }] });
    const service = exposed('NodePort', [{ name: 'http', port: 80, targetPort: 'http' }, { name: 'metrics', port: 9090, targetPort: 'metrics' }]);
    const findings = runRule(frontReachability, [twoPorts(), service, DENY_INGRESS, admitWeb({ from: [ANY_ADDRESS], ports: [{ port: 'http' }] })]);
    expect(summarize(findings)).toEqual([{ rule: 'front-reachability', path: 'spec.ports[1]', severity: 'error' }]);
    expect(findings[0].message).toContain('NodePort Service web port 9090 reaches container port 9090/TCP');
    // A named policy port that resolves to another container port admits nothing on 8080.
    const wrongName = runRule(frontReachability, [twoPorts(), exposed('NodePort', [{ name: 'http', port: 80, targetPort: 'http' }]), DENY_INGRESS, admitWeb({ from: [ANY_ADDRESS], ports: [{ port: 'metrics' }] })]);
    expect(summarize(wrongName)).toEqual([{ rule: 'front-reachability', path: 'spec.ports[0]', severity: 'error' }]);
    expect(wrongName[0].message).toContain('container port 8080/TCP');
  });
});
