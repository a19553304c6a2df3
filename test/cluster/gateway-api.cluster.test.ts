/**
 * The Gateway API CRDs we ship (imports/crds/) on a real API server, and our HTTPRoute against
 * them: the CRDs install and become Established; the HTTPRoute of our `HttpRoute` construct is
 * stored by a server-side apply with no warning; and HTTPRoutes the CRD's schema or CEL rules
 * refuse are refused by the server AND by our validator (an error that says the server rejects
 * it) AND, where the construct's props can express the mistake, by the construct. Mistakes the
 * server accepts (a backend naming a missing Service) get no "rejects" error from us.
 */
import { App, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { HttpRoute, HttpRouteProps, HttpsGateway, Peer, PropsError, ReleasedWebApp, WebApp } from '../../lib';
import { validateObjects } from '../../lib/validation';
import { dryRunObjects, ServerVerdict } from '../../lib/validation/server-dry-run';
import { Finding, KubeObject } from '../../lib/manifest/types';
import { LocalCluster } from '../../tools/cluster/local-cluster';
import { kubectlWarnings } from '../../lib/validation/kubectl';
import { expectCleanApply, getJson, installShippedCrds, Json, startCluster, stopCluster } from './cluster';

let cluster: LocalCluster;
let crds: string[];

beforeAll(async () => {
  cluster = await startCluster(1);
  crds = installShippedCrds(cluster);
  cluster.kubectlOk(['create', 'namespace', NAMESPACE]);
}, 240_000);

afterAll(() => stopCluster(cluster, 'gateway-api'));

const NAMESPACE = 'shop';

interface Built {
  readonly objects: KubeObject[];
  readonly route: KubeObject;
}

/** Two versions of an app (Deployment and Service each) and a 90/10 canary route between them, as a release would build it. */
function build(overrides: Partial<HttpRouteProps> = {}): Built {
  const app = new App();
  const chart = new Chart(app, 'shop', { disableResourceNameHashes: true, namespace: NAMESPACE });
  const stable = new WebApp(chart, 'Stable', { name: 'web-blue', image: 'example/web:1.0.0', port: 8080, servicePort: 80 });
  const canary = new WebApp(chart, 'Canary', { name: 'web-green', image: 'example/web:1.1.0', port: 8080, servicePort: 80 });
  // A bare HttpRoute admits nothing by itself: its backends admit the Gateway's data plane (here in the app's namespace).
  const dataPlane = Peer.gatewayDataPlane({ namespace: NAMESPACE, podLabels: { 'gateway.envoyproxy.io/owning-gateway-name': 'public' } });
  stable.connections.allowFrom(dataPlane);
  canary.connections.allowFrom(dataPlane);
  new HttpRoute(chart, 'Route', {
    name: 'web',
    gateways: [{ name: 'public', sectionName: 'http' }],
    hostnames: ['shop.example.com'],
    path: '/',
    backends: [{ service: stable.service!, port: 80, weight: 90 }, { service: canary.service!, port: 80, weight: 10 }],
    ...overrides,
  });
  const objects = chart.toJson() as KubeObject[];
  return { objects, route: objects.find((o) => o.kind === 'HTTPRoute')! };
}

function ourFindings(objects: readonly KubeObject[]): Finding[] {
  return [...validateObjects(objects.map((object, order) => ({ object, source: 'shop.yaml', order })), {
    // The Gateways the routes attach to are the platform's: declared, as a stage declares its own.
    externalObjects: [
      { kind: 'Namespace', name: NAMESPACE },
      { kind: 'Gateway', namespace: NAMESPACE, name: 'public' },
      { kind: 'Gateway', namespace: 'platform-gateways', name: 'public' },
    ],
  }).findings];
}

function rejectsErrors(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => f.severity === 'error' && f.apiServer === 'rejects');
}

test('the shipped CRDs install and are Established', () => {
  expect(crds.map((name) => name.replace(/^customresourcedefinition\.apiextensions\.k8s\.io\//, '')).sort()).toEqual([
    'gatewayclasses.gateway.networking.k8s.io',
    'gateways.gateway.networking.k8s.io',
    'httproutes.gateway.networking.k8s.io',
    'referencegrants.gateway.networking.k8s.io',
  ]);
  const served = getJson(cluster, ['crd', 'httproutes.gateway.networking.k8s.io']).spec.versions.filter((v: Json) => v.served).map((v: Json) => v.name);
  expect(served).toEqual(['v1', 'v1beta1']);
});

test("our HttpRoute's output is stored by a server-side apply with no warning, and validates clean", () => {
  const { objects, route } = build();
  expect(ourFindings(objects)).toEqual([]);
  const result = cluster.kubectl(['apply', '--server-side', '-f', '-'], objects.map((o) => JSON.stringify(o)).join('\n'));
  expectCleanApply({ ...result, warnings: kubectlWarnings(result.stderr) }, objects.length);
  const stored = getJson(cluster, ['httproute', String(route.metadata?.name), '-n', NAMESPACE]);
  // The server defaults group and kind; the weights are ours.
  expect(stored.spec.rules[0].backendRefs).toEqual([
    { group: '', kind: 'Service', name: 'web-blue-service', port: 80, weight: 90 },
    { group: '', kind: 'Service', name: 'web-green-service', port: 80, weight: 10 },
  ]);
  expect(stored.spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public', sectionName: 'http' }]);
});

test('the HTTPRoutes of a WebApp\'s and a canary release\'s `route`, through a platform Gateway in its own namespace, are stored with no warning and validate clean', () => {
  const app = new App();
  const chart = new Chart(app, 'shop', { disableResourceNameHashes: true, namespace: NAMESPACE });
  const gateway = { name: 'public', namespace: 'platform-gateways', sectionName: 'https' };
  const dataPlane = Peer.gatewayDataPlane({ namespace: 'platform-gateways' });
  new WebApp(chart, 'Api', { name: 'api', image: 'example/api:1.0.0', port: 8080, servicePort: 80, route: { gateways: [gateway], dataPlane, hostnames: ['api.example.com'], path: '/api' } });
  new ReleasedWebApp(chart, 'Web', {
    name: 'web', port: 8080, versions: { v1: { image: 'example/web:1.0.0' }, v2: { image: 'example/web:1.1.0' } },
    route: { gateways: [gateway], dataPlane, hostnames: ['shop.example.com'] },
    release: { strategy: 'canary', stable: 'v1', canary: 'v2', weight: 25, router: { kind: 'http-route' } },
  });
  const objects = chart.toJson() as KubeObject[];
  expect(ourFindings(objects)).toEqual([]);
  const result = cluster.kubectl(['apply', '--server-side', '-f', '-'], objects.map((o) => JSON.stringify(o)).join('\n'));
  expectCleanApply({ ...result, warnings: kubectlWarnings(result.stderr) }, objects.length);
  const parentRefs = [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', ...gateway }];
  const api = getJson(cluster, ['httproute', 'api-route', '-n', NAMESPACE]).spec;
  expect(api.parentRefs).toEqual(parentRefs);
  expect(api.rules[0].backendRefs).toEqual([{ group: '', kind: 'Service', name: 'api-service', port: 80, weight: 1 }]);
  const web = getJson(cluster, ['httproute', 'web-route', '-n', NAMESPACE]).spec;
  expect(web.parentRefs).toEqual(parentRefs);
  expect(web.hostnames).toEqual(['shop.example.com']);
  expect(web.rules[0].backendRefs).toEqual([
    { group: '', kind: 'Service', name: 'web-service', port: 8080, weight: 75 },
    { group: '', kind: 'Service', name: 'web-canary-service', port: 8080, weight: 25 },
  ]);
});

test('a Gateway of our own (HttpsGateway) with the route attached by its ref: stored with no warning, validate clean without an external declaration', () => {
  const app = new App();
  const chart = new Chart(app, 'own', { disableResourceNameHashes: true, namespace: NAMESPACE });
  const gateway = new HttpsGateway(chart, 'Gateway', {
    // A listener for www.<host> too, which the redirect route attaches to.
    name: 'own', gatewayClassName: 'example', hostnames: ['own.example.com', 'www.own.example.com'], tlsSecretName: 'own-tls', clusterIssuer: 'letsencrypt',
  });
  new WebApp(chart, 'Own', {
    name: 'own', image: 'example/own:1.0.0', port: 8080, servicePort: 80,
    route: { gateways: [gateway.ref], dataPlane: Peer.gatewayDataPlane({ namespace: NAMESPACE }), hostnames: ['own.example.com'], redirectFromWww: true },
  });
  const objects = chart.toJson() as KubeObject[];
  const findings = validateObjects(objects.map((object, order) => ({ object, source: 'own.yaml', order })), { externalObjects: [{ kind: 'Namespace', name: NAMESPACE }] }).findings;
  expect(findings).toEqual([]);
  const result = cluster.kubectl(['apply', '--server-side', '-f', '-'], objects.map((o) => JSON.stringify(o)).join('\n'));
  expectCleanApply({ ...result, warnings: kubectlWarnings(result.stderr) }, objects.length);
  const stored = getJson(cluster, ['gateway', 'own', '-n', NAMESPACE]);
  expect(stored.metadata.annotations['cert-manager.io/cluster-issuer']).toBe('letsencrypt');
  expect(stored.spec.listeners).toEqual(['own.example.com', 'www.own.example.com'].map((hostname, i) => ({
    name: `https-${i}`, hostname, port: 443, protocol: 'HTTPS',
    tls: { mode: 'Terminate', certificateRefs: [{ group: '', kind: 'Secret', name: 'own-tls' }] },
    allowedRoutes: { namespaces: { from: 'Same' }, kinds: stored.spec.listeners[i].allowedRoutes.kinds },
  })));
  for (const name of ['own-route', 'own-www-redirect-route']) {
    expect(getJson(cluster, ['httproute', name, '-n', NAMESPACE]).spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'own', namespace: NAMESPACE }]);
  }
  // No Gateway controller runs here: nothing programs the Gateway or accepts the routes.
  expect(stored.status?.listeners ?? []).toEqual([]);
});

interface RouteCase {
  readonly name: string;
  /** The mistake, made in our construct's HTTPRoute. */
  readonly mutate: (spec: Json) => void;
  /** The same mistake through the construct's props, where they can express it. */
  readonly props?: Partial<HttpRouteProps>;
}

const route = (spec: Json): Json => spec.rules[0];

const CASES: readonly RouteCase[] = [
  { name: 'weight above 1000000', mutate: (s) => (route(s).backendRefs[0].weight = 1_000_001), props: { backends: [{ ...sample(), weight: 1_000_001 }] } },
  { name: 'negative weight', mutate: (s) => (route(s).backendRefs[0].weight = -1), props: { backends: [{ ...sample(), weight: -1 }] } },
  { name: 'fractional weight', mutate: (s) => (route(s).backendRefs[0].weight = 1.5), props: { backends: [{ ...sample(), weight: 1.5 }] } },
  {
    name: '17 backendRefs',
    mutate: (s) => (route(s).backendRefs = Array.from({ length: 17 }, () => ({ name: 'web-blue-service', port: 80, weight: 1 }))),
    props: { backends: Array.from({ length: 17 }, () => sample()) },
  },
  { name: 'no backend port', mutate: (s) => delete route(s).backendRefs[0].port, props: { backends: [{ ...sample(), port: undefined as unknown as number }] } },
  { name: 'backend port 0', mutate: (s) => (route(s).backendRefs[0].port = 0), props: { backends: [{ ...sample(), port: 0 }] } },
  { name: 'path without a leading slash', mutate: (s) => (route(s).matches[0].path.value = 'api'), props: { path: 'api' } },
  { name: 'path with //', mutate: (s) => (route(s).matches[0].path.value = '/api//v1'), props: { path: '/api//v1' } },
  { name: 'path with #', mutate: (s) => (route(s).matches[0].path.value = '/api#top'), props: { path: '/api#top' } },
  { name: 'path ending in /..', mutate: (s) => (route(s).matches[0].path.value = '/api/..'), props: { path: '/api/..' } },
  { name: 'path with a space', mutate: (s) => (route(s).matches[0].path.value = '/my page'), props: { path: '/my page' } },
  { name: 'path of 1025 characters', mutate: (s) => (route(s).matches[0].path.value = `/${'a'.repeat(1024)}`), props: { path: `/${'a'.repeat(1024)}` } },
  { name: 'path type Prefix (the Ingress spelling)', mutate: (s) => (route(s).matches[0].path.type = 'Prefix'), props: { pathType: 'Prefix' as 'PathPrefix' } },
  { name: 'upper-case hostname', mutate: (s) => (s.hostnames = ['Shop.example.com']), props: { hostnames: ['Shop.example.com'] } },
  { name: 'hostname with a port', mutate: (s) => (s.hostnames = ['shop.example.com:8080']), props: { hostnames: ['shop.example.com:8080'] } },
  {
    name: '17 hostnames',
    mutate: (s) => (s.hostnames = Array.from({ length: 17 }, (_, i) => `h${i}.example.com`)),
    props: { hostnames: Array.from({ length: 17 }, (_, i) => `h${i}.example.com`) },
  },
  {
    name: '33 parentRefs',
    mutate: (s) => (s.parentRefs = Array.from({ length: 33 }, (_, i) => ({ name: `gw-${i}` }))),
    props: { gateways: Array.from({ length: 33 }, (_, i) => ({ name: `gw-${i}` })) },
  },
  { name: 'an empty rules list', mutate: (s) => (s.rules = []) },
  { name: 'unknown field (weigth)', mutate: (s) => (route(s).backendRefs[0].weigth = 5) },
  { name: 'parentRef without a name', mutate: (s) => delete s.parentRefs[0].name },
  { name: 'Gateway named twice without sectionNames', mutate: (s) => (s.parentRefs = [{ name: 'public' }, { name: 'public' }]), props: { gateways: [{ name: 'public' }, { name: 'public' }] } },
  // Accepted by the server; what breaks shows only at run time (or not at all).
  { name: 'backend naming a missing Service', mutate: (s) => (route(s).backendRefs[1].name = 'web-purple') },
  { name: 'backend on a port the Service lacks', mutate: (s) => (route(s).backendRefs[1].port = 8080) },
  { name: 'every weight 0', mutate: (s) => route(s).backendRefs.forEach((r: Json) => (r.weight = 0)), props: { backends: [{ ...sample(), weight: 0 }] } },
];

/** A backend for props cases; constructVerdict fills in a Service of its own chart. */
function sample(): { service: never; port: number; weight: number } {
  return { service: undefined as never, port: 80, weight: 1 };
}

interface Outcome {
  readonly name: string;
  readonly verdict: ServerVerdict;
  readonly findings: readonly Finding[];
  /** The construct's PropsError, or `accepted`, or `not expressible`. */
  readonly construct: string;
}

function constructVerdict(testCase: RouteCase): string {
  if (!testCase.props) return 'not expressible';
  const app = new App();
  const chart = new Chart(app, 'shop', { disableResourceNameHashes: true, namespace: NAMESPACE });
  const service = new k8s.KubeService(chart, 'Stable', { metadata: { name: 'web-blue' }, spec: { ports: [{ port: 80 }] } });
  const props: HttpRouteProps = {
    name: 'web',
    gateways: [{ name: 'public' }],
    backends: [{ service, port: 80, weight: 1 }],
    ...testCase.props,
  };
  const backends = props.backends.map((b) => ({ ...b, service: b.service ?? service }));
  try {
    new HttpRoute(chart, 'Route', { ...props, backends });
    return 'accepted';
  } catch (error) {
    if (!(error instanceof PropsError)) throw error;
    return error.message;
  }
}

describe('HTTPRoutes the CRD refuses: the server, our validator and our construct agree', () => {
  let outcomes: Outcome[];

  beforeAll(async () => {
    const { objects } = build();
    const services = objects.filter((o) => o.kind === 'Service');
    const broken = CASES.map((testCase) => {
      const object = JSON.parse(JSON.stringify(build().route)) as Json;
      object.metadata.name = `case-${CASES.indexOf(testCase)}`;
      testCase.mutate(object.spec);
      return object as KubeObject;
    });
    const verdicts = await dryRunObjects(broken, { kubectl: cluster.binaries.kubectl, kubeconfig: cluster.kubeconfig });
    outcomes = CASES.map((testCase, i) => ({
      name: testCase.name,
      verdict: verdicts[i],
      findings: ourFindings([...services, broken[i]]).filter((f) => f.object.startsWith('HTTPRoute ')),
      construct: constructVerdict(testCase),
    }));
    const lines = outcomes.map((o) => `${o.name}: server ${o.verdict.accepted ? 'accepts' : `rejects (${o.verdict.message.split('\n')[0].slice(0, 160)})`}; `
      + `ours ${o.findings.map((f) => `${f.rule}/${f.severity}/${f.apiServer}`).join(', ') || 'nothing'}; construct ${o.construct === 'accepted' || o.construct === 'not expressible' ? o.construct : 'refuses'}`);
    process.stderr.write(`[gateway-api] differential:\n${lines.join('\n')}\n`);
  }, 180_000);

  test('every HTTPRoute the server rejects gets an error of ours that says it rejects', () => {
    const misses = outcomes.filter((o) => !o.verdict.accepted && rejectsErrors(o.findings).length === 0).map((o) => o.name);
    expect(misses).toEqual([]);
  });

  test('no "rejects" error of ours on an HTTPRoute the server accepts', () => {
    const falseRejects = outcomes.filter((o) => o.verdict.accepted && rejectsErrors(o.findings).length > 0)
      .map((o) => `${o.name}: ${rejectsErrors(o.findings).map((f) => f.message).join('; ')}`);
    expect(falseRejects).toEqual([]);
  });

  test('the construct refuses every mistake its props can express that the server rejects', () => {
    const slipped = outcomes.filter((o) => !o.verdict.accepted && o.construct === 'accepted').map((o) => o.name);
    expect(slipped).toEqual([]);
  });

  test('the server rejects the mistakes of the CRD schema and CEL rules, and accepts the run-time ones', () => {
    const accepted = outcomes.filter((o) => o.verdict.accepted).map((o) => o.name);
    expect(accepted).toEqual(['backend naming a missing Service', 'backend on a port the Service lacks', 'every weight 0']);
    // What we say about those instead: a broken backend is an error the server accepts; all-zero weights only the construct refuses.
    const byName = new Map(outcomes.map((o) => [o.name, o]));
    expect(byName.get('backend naming a missing Service')!.findings.map((f) => [f.rule, f.apiServer])).toEqual([['http-route-backend', 'accepts']]);
    expect(byName.get('backend on a port the Service lacks')!.findings.map((f) => [f.rule, f.apiServer])).toEqual([['http-route-backend', 'accepts']]);
    expect(byName.get('every weight 0')!.construct).toMatch(/at least one backend a weight above 0/);
  });
});
