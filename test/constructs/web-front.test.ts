import { ServiceType } from 'cdk8s-plus-27';
import { App, Chart } from 'cdk8s';
import { Peer, PropsError, ReleasedWebApp, ReleasedWebAppProps, WebApp, WebAppProps } from '../../lib';
import { appManifests } from '../../lib/render/manifests';
import * as props from '../../lib/constructs/props';
import { validateObjects } from '../../lib/validation';
import { allOf, find, has, newChart, Obj, synth } from '../helpers';

/** The PropsError `build` throws, after checking that nothing half-built is left in the chart. */
function propsErrorOf(build: (chart: ReturnType<typeof newChart>) => unknown): PropsError {
  const chart = newChart();
  try {
    build(chart);
  } catch (error) {
    expect(error).toBeInstanceOf(PropsError);
    expect(chart.node.children).toHaveLength(0);
    return error as PropsError;
  }
  throw new Error('expected a PropsError, nothing was thrown');
}

const webApp = (given: Partial<WebAppProps>) => (chart: ReturnType<typeof newChart>) =>
  new WebApp(chart, 'Api', { name: 'api', image: 'api:1', port: 8080, ingress: { controller: Peer.ingressController(), host: 'api.example.com' }, ...given });

const VERSIONS = { v1: { image: 'shop/web:1' }, v2: { image: 'shop/web:2' } };
const released = (given: Partial<ReleasedWebAppProps>) => (chart: ReturnType<typeof newChart>) =>
  new ReleasedWebApp(chart, 'Web', { name: 'web', port: 8080, versions: VERSIONS, release: { strategy: 'blue-green', active: 'v1' }, ...given });

describe('a WebApp with an Ingress reports each bad prop once, on its own path and field', () => {
  test('a bad node port: one problem, naming the WebApp, the field, the value and the range', () => {
    const error = propsErrorOf(webApp({ serviceType: ServiceType.NODE_PORT, nodePort: 8080 }));
    expect(error.problems).toEqual([
      { path: 'test/Api', field: 'nodePort', value: 8080, allowed: 'must be in the default node port range 30000–32767' },
    ]);
    expect(error.message).toBe('test/Api: invalid nodePort 8080: must be in the default node port range 30000–32767');
  });

  test('every bad Service and Ingress prop together with the others, each once', () => {
    const error = propsErrorOf(webApp({
      replicas: -1, serviceName: 'Api', servicePort: 0, serviceType: ServiceType.CLUSTER_IP, nodePort: 30000,
      ingress: { controller: Peer.ingressController(), host: 'API', path: 'api' },
    }));
    expect(error.problems.map((p) => `${p.path} ${p.field} ${JSON.stringify(p.value)}`)).toEqual([
      'test/Api replicas -1',
      'test/Api serviceName "Api"',
      'test/Api servicePort 0',
      'test/Api nodePort 30000',
      'test/Api ingress.host "API"',
      'test/Api ingress.path "api"',
    ]);
  });

  test('the Service and Ingress props are checked once, not again by the objects built from them', () => {
    const serviceNameChecks = jest.spyOn(props, 'checkDns1035Label');
    const hostChecks = jest.spyOn(props, 'checkDns1123Subdomain');
    try {
      new WebApp(newChart(), 'Api', {
        name: 'api', image: 'api:1', port: 8080, serviceName: 'api', ingress: { controller: Peer.ingressController(), host: 'api.example.com', ingressClassName: 'nginx' },
      });
      expect(serviceNameChecks.mock.calls.map(([, field, value]) => [field, value])).toEqual([['serviceName', 'api']]);
      expect(hostChecks.mock.calls.map(([, field, value]) => [field, value])).toEqual([['ingress.host', 'api.example.com'], ['ingress.ingressClassName', 'nginx']]);
    } finally {
      serviceNameChecks.mockRestore();
      hostChecks.mockRestore();
    }
  });
});

describe('a ReleasedWebApp reports the bad props of its front with all the others, named as the user set them', () => {
  test('Service, Ingress, HTTPRoute and version problems in one error on the release\'s path', () => {
    const error = propsErrorOf(released({
      serviceName: '9web',
      nodePort: 30001,
      ingress: { controller: Peer.ingressController(), host: 'shop.example.com', path: '/a//b' },
      versions: { v1: { image: 'shop/web:1' }, v2: { image: 'shop/web:2', resources: { requests: { cpu: 'lots' } } } },
      release: { strategy: 'canary', stable: 'v1', canary: 'v2', weight: 10, router: { kind: 'http-route', dataPlane: DATA_PLANE, gateways: [{ name: 'Edge' }], hostnames: ['*.*.example.com'] } },
    }));
    expect(error.path).toBe('test/Web');
    expect(error.problems.map((p) => `${p.path} ${p.field} ${JSON.stringify(p.value)}`)).toEqual([
      'test/Web versions.v2.resources.requests.cpu "lots"',
      'test/Web serviceName "9web"',
      'test/Web nodePort 30001',
      'test/Web release.router.gateways[0].name "Edge"',
      'test/Web release.router.hostnames[0] "*.*.example.com"',
      'test/Web ingress.path "/a//b"',
    ]);
    expect(error.problems[5].allowed).toBe('must be a valid PathPrefix path for the Gateway API: it must not contain "//"');
  });

  test('the route\'s own path is named as the router\'s field', () => {
    const error = propsErrorOf(released({
      release: { strategy: 'canary', stable: 'v1', canary: 'v2', weight: 10, router: { kind: 'http-route', dataPlane: DATA_PLANE, gateways: [{ name: 'edge' }], path: '/a/../b' } },
    }));
    expect(error.problems.map((p) => p.field)).toEqual(['release.router.path']);
  });

  test('the names of the preview and canary Services must be DNS-1035 labels too', () => {
    const name = 'w'.repeat(49); // <name>-v1-deployment fits in 63 characters, <name>-preview-service and <name>-canary-service do not
    expect(propsErrorOf(released({ name })).problems).toEqual([
      { path: 'test/Web', field: 'name (as "<name>-preview-service")', value: `${name}-preview-service`, allowed: expect.stringMatching(/^must be a DNS-1035 label/) },
    ]);
    expect(propsErrorOf(released({ name, release: { strategy: 'canary', stable: 'v1', canary: 'v2', weight: 10, router: { kind: 'http-route', dataPlane: DATA_PLANE, gateways: [{ name: 'edge' }] } } })).problems)
      .toEqual([
        { path: 'test/Web', field: 'name (as "<name>-canary-service")', value: `${name}-canary-service`, allowed: expect.stringMatching(/^must be a DNS-1035 label/) },
      ]);
  });

  test('rainbow: each version\'s Service name, when the name does not start with a letter and serviceName is given', () => {
    expect(propsErrorOf(released({ name: '1web', serviceName: 'web', release: { strategy: 'rainbow', active: 'v1' } })).problems.map((p) => [p.field, p.value])).toEqual([
      ['versions key "v1" (as "<name>-<version>-service")', '1web-v1-service'],
      ['versions key "v2" (as "<name>-<version>-service")', '1web-v2-service'],
    ]);
  });
});

/** A Gateway the platform team runs, in its own namespace. */
const PLATFORM_GATEWAY = { name: 'public', namespace: 'platform-gateways', sectionName: 'https' };
/** The pods of that Gateway's data plane, which a routed app's NetworkPolicy admits. */
const DATA_PLANE = Peer.gatewayDataPlane({ namespace: 'platform-gateways', podLabels: { 'gateway.networking.k8s.io/gateway-name': 'public' } });
const CANARY = { strategy: 'canary', stable: 'v1', canary: 'v2', weight: 10 } as const;

describe('an Ingress front admits its controller by itself', () => {
  const NGINX = Peer.ingressController('ingress-nginx', { 'app.kubernetes.io/component': 'controller' });
  const nginxRule = {
    from: [{
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } },
      podSelector: { matchLabels: { 'app.kubernetes.io/component': 'controller' } },
    }],
    ports: [{ protocol: 'TCP', port: 8080 }],
  };

  test('a WebApp: the controller\'s pods on the app\'s port, before the edges declared later', () => {
    const chart = newChart();
    const api = webApp({ ingress: { host: 'api.example.com', controller: NGINX } })(chart);
    const web = new WebApp(chart, 'Web', { name: 'web', image: 'web:1', port: 3000 });
    api.connections.allowFrom(web);
    expect(api.connections.ingress).toEqual([{ from: NGINX, ports: [8080] }, { from: web, ports: [8080] }]);
    expect(find(synth(chart), 'NetworkPolicy', 'api-network-policy').spec.ingress).toEqual([
      nginxRule,
      { from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'web' } } }], ports: [{ protocol: 'TCP', port: 8080 }] },
    ]);
  });

  test('a canary by ingress-nginx: one rule admits the controller to both versions, whose pods the policy selects', () => {
    const chart = newChart();
    released({
      ingress: { host: 'shop.example.com', controller: NGINX },
      release: { strategy: 'canary', stable: 'v1', canary: 'v2', weight: 10, router: { kind: 'ingress-nginx' } },
    })(chart);
    const policy = find(synth(chart), 'NetworkPolicy', 'web-network-policy');
    expect(policy.spec.podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'web' } });
    expect(policy.spec.ingress).toEqual([nginxRule]);
  });

  test('an Ingress without its controller is refused, naming the field and the fix, as is something else in its place', () => {
    const missing = propsErrorOf(webApp({ ingress: { host: 'api.example.com' } as unknown as WebAppProps['ingress'] }));
    expect(missing.problems).toEqual([{
      path: 'test/Api', field: 'ingress.controller', value: undefined,
      allowed: 'must be the ingress controller\'s pods, e.g. Peer.ingressController(\'ingress-nginx\') or Peer.ingressController(namespace, podLabels): '
        + 'the NetworkPolicy admits only declared peers and would refuse every request the controller forwards',
    }]);
    expect(propsErrorOf(released({ ingress: { host: 'shop.example.com', controller: 'ingress-nginx' as unknown as Peer } })).problems.map((p) => [p.path, p.field, p.value]))
      .toEqual([['test/Web', 'ingress.controller', 'ingress-nginx']]);
  });
});

describe('route: an HTTPRoute through the platform\'s Gateway', () => {
  test('a WebApp: <name>-route attached to the Gateway, matching the hosts and path, to the Service', () => {
    const chart = newChart();
    const app = new WebApp(chart, 'Api', {
      name: 'api', image: 'api:1', port: 8080, servicePort: 80, route: { gateways: [PLATFORM_GATEWAY], dataPlane: DATA_PLANE, hostnames: ['api.example.com'], path: '/api' },
    });
    const route = find(synth(chart), 'HTTPRoute', 'api-route');
    expect(route.metadata.labels).toEqual({ 'app.kubernetes.io/name': 'api' });
    expect(route.spec).toEqual({
      parentRefs: [PLATFORM_GATEWAY],
      hostnames: ['api.example.com'],
      rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/api' } }], backendRefs: [{ name: 'api-service', port: 80, weight: 1 }] }],
    });
    expect(app.httpRoute!.name).toBe('api-route');
  });

  test('hostnames and path default to the Ingress\'s, when the app has both', () => {
    const chart = newChart();
    new WebApp(chart, 'Api', { name: 'api', image: 'api:1', port: 8080, ingress: { controller: Peer.ingressController(), host: 'api.example.com', path: '/v1' }, route: { gateways: [PLATFORM_GATEWAY], dataPlane: DATA_PLANE } });
    const objects = synth(chart);
    expect(find(objects, 'HTTPRoute', 'api-route').spec.hostnames).toEqual(['api.example.com']);
    expect(find(objects, 'HTTPRoute', 'api-route').spec.rules[0].matches).toEqual([{ path: { type: 'PathPrefix', value: '/v1' } }]);
    expect(has(objects, 'Ingress', 'api-ingress')).toBe(true);
  });

  test('a WebApp\'s route needs a port, and its problems are named route.*', () => {
    expect(propsErrorOf((chart) => new WebApp(chart, 'Api', { name: 'api', image: 'api:1', route: { gateways: [PLATFORM_GATEWAY], dataPlane: DATA_PLANE } })).problems.map((p) => p.field))
      .toEqual(['route']);
    expect(propsErrorOf(webApp({ route: { gateways: [], dataPlane: DATA_PLANE, hostnames: ['API.example.com'], path: '/a/./b' } })).problems.map((p) => `${p.path} ${p.field}`)).toEqual([
      'test/Api route.gateways', 'test/Api route.hostnames[0]', 'test/Api route.path',
    ]);
  });

  test('blue/green: the route sends to the app\'s Service, so switching versions changes only the Service selectors', () => {
    const objectsOf = (active: string) => {
      const chart = newChart();
      released({ route: { gateways: [PLATFORM_GATEWAY], dataPlane: DATA_PLANE, hostnames: ['shop.example.com'] }, release: { strategy: 'blue-green', active } })(chart);
      return synth(chart);
    };
    const v1 = objectsOf('v1');
    const v2 = objectsOf('v2');
    expect(find(v1, 'HTTPRoute', 'web-route').spec.rules[0].backendRefs).toEqual([{ name: 'web-service', port: 8080, weight: 1 }]);
    const changed = v2.filter((object, i) => JSON.stringify(object) !== JSON.stringify(v1[i]));
    expect(changed.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['Service/web-service', 'Service/web-preview-service']);
  });

  test('a canary routed by the Gateway API takes the Gateways and hosts of the app\'s route; the router\'s own path wins', () => {
    const chart = newChart();
    const app = released({
      route: { gateways: [PLATFORM_GATEWAY], dataPlane: DATA_PLANE, hostnames: ['shop.example.com'], path: '/shop' },
      release: { ...CANARY, router: { kind: 'http-route', path: '/shop/new' } },
    })(chart);
    const routes = allOf(synth(chart), 'HTTPRoute');
    expect(routes).toHaveLength(1);
    expect(routes[0].spec).toEqual({
      parentRefs: [PLATFORM_GATEWAY],
      hostnames: ['shop.example.com'],
      rules: [{
        matches: [{ path: { type: 'PathPrefix', value: '/shop/new' } }],
        backendRefs: [{ name: 'web-service', port: 8080, weight: 90 }, { name: 'web-canary-service', port: 8080, weight: 10 }],
      }],
    });
    expect(app.httpRoute!.name).toBe('web-route');
  });

  test('a canary by replica ratio: the route sends to the one Service over both versions', () => {
    const chart = newChart();
    released({ replicas: 10, route: { gateways: [PLATFORM_GATEWAY], dataPlane: DATA_PLANE }, release: { ...CANARY } })(chart);
    expect(find(synth(chart), 'HTTPRoute', 'web-route').spec.rules[0].backendRefs).toEqual([{ name: 'web-service', port: 8080, weight: 1 }]);
  });

  test('refused: a Gateway API canary without Gateways, an ingress-nginx canary beside a route, an Ingress path reported once', () => {
    expect(propsErrorOf(released({ release: { ...CANARY, router: { kind: 'http-route' } } })).problems).toEqual([
      { path: 'test/Web', field: 'release.router.gateways', value: undefined, allowed: expect.stringMatching(/^must name the Gateways .* or in the app's `route`$/) },
      { path: 'test/Web', field: 'release.router.dataPlane', value: undefined, allowed: expect.stringMatching(/^must be the Gateways' data plane, Peer\.gatewayDataPlane.*would refuse every request the Gateways forward$/) },
    ]);
    expect(propsErrorOf(released({
      ingress: { controller: Peer.ingressController(), host: 'shop.example.com' }, route: { gateways: [PLATFORM_GATEWAY], dataPlane: DATA_PLANE }, release: { ...CANARY, router: { kind: 'ingress-nginx' } },
    })).problems).toEqual([
      { path: 'test/Web', field: 'release.router', value: { kind: 'ingress-nginx' }, allowed: expect.stringMatching(/^splits only the Ingress's traffic.*"http-route"/) },
    ]);
    expect(propsErrorOf(released({
      ingress: { controller: Peer.ingressController(), host: 'shop.example.com', path: 'shop' }, release: { ...CANARY, router: { kind: 'http-route', dataPlane: DATA_PLANE, gateways: [PLATFORM_GATEWAY] } },
    })).problems).toEqual([{ path: 'test/Web', field: 'ingress.path', value: 'shop', allowed: 'must start with "/"' }]);
  });

  test('a routed front admits the Gateways\' data plane on the app\'s port, in its NetworkPolicy', () => {
    const chart = newChart();
    const app = released({ route: { gateways: [PLATFORM_GATEWAY], dataPlane: DATA_PLANE } })(chart);
    expect(app.connections.ingress).toEqual([{ from: DATA_PLANE, ports: [8080] }]);
    expect(find(synth(chart), 'NetworkPolicy', 'web-network-policy').spec.ingress).toEqual([{
      from: [{
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'platform-gateways' } },
        podSelector: { matchLabels: { 'gateway.networking.k8s.io/gateway-name': 'public' } },
      }],
      ports: [{ protocol: 'TCP', port: 8080 }],
    }]);
  });

  test('a route without the data plane is refused, as is something else in its place', () => {
    const given = { gateways: [PLATFORM_GATEWAY], dataPlane: Peer.namespace('platform-gateways') };
    expect(propsErrorOf(webApp({ route: { gateways: [PLATFORM_GATEWAY] } as unknown as WebAppProps['route'] })).problems.map((p) => [p.field, p.value])).toEqual([
      ['route.dataPlane', undefined],
    ]);
    // Any Peer is accepted: the prop names who forwards the requests; gatewayDataPlane is the one that says so.
    expect(() => webApp({ route: given })(newChart())).not.toThrow();
    expect(propsErrorOf(webApp({ route: { ...given, dataPlane: 'gateway-system' as unknown as Peer } })).problems.map((p) => [p.field, p.value])).toEqual([
      ['route.dataPlane', 'gateway-system'],
    ]);
  });

  test('routes of every kind of front pass schema validation and every rule', () => {
    const app = new App();
    const chart = (id: string) => new Chart(app, id, { namespace: 'shop', disableResourceNameHashes: true });
    new WebApp(chart('api'), 'Api', { name: 'api', image: 'api:1', port: 8080, route: { gateways: [PLATFORM_GATEWAY], dataPlane: DATA_PLANE, hostnames: ['api.example.com'] } });
    released({ route: { gateways: [PLATFORM_GATEWAY], dataPlane: DATA_PLANE } })(chart('blue-green'));
    released({ name: 'canary', route: { gateways: [PLATFORM_GATEWAY], dataPlane: DATA_PLANE, hostnames: ['shop.example.com'] }, release: { ...CANARY, router: { kind: 'http-route' } } })(chart('canary'));
    const objects = appManifests(app).flatMap((m) => m.objects.map((object, order) => ({ object, source: m.file, order })));
    expect(objects.filter(({ object }) => object.kind === 'HTTPRoute').map(({ object }) => (object as Obj).metadata.name)).toEqual(['api-route', 'web-route', 'canary-route']);
    const external = [{ kind: 'Namespace', name: 'shop' }, { kind: 'Gateway', namespace: PLATFORM_GATEWAY.namespace, name: PLATFORM_GATEWAY.name }];
    expect(validateObjects(objects, { externalObjects: external }).findings).toEqual([]);
    // Undeclared, the platform's Gateway is a finding on each route.
    expect(validateObjects(objects, { externalObjects: external.slice(0, 1) }).findings.map((f) => `${f.rule} ${f.object} ${f.path}`)).toEqual(
      ['api-route', 'web-route', 'canary-route'].map((name) => `http-route-parent HTTPRoute shop/${name} spec.parentRefs[0].name`),
    );
  });
});
