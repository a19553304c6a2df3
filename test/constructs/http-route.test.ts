import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { HttpRoute, HttpRouteProps, PropsError, WebApp } from '../../lib';
import { HttpRoute as HttpRouteL1 } from '../../imports/httproute-gateway.networking.k8s.io';
import { validateObjects } from '../../lib/validation';
import { find, invalid, newChart, synth, testChartLabels } from '../helpers';

function setup(namespace?: string) {
  const chart = newChart(namespace);
  const blue = new k8s.KubeService(chart, 'Blue', { metadata: { name: 'web-blue' }, spec: { ports: [{ port: 80 }] } });
  const green = new k8s.KubeService(chart, 'Green', { metadata: { name: 'web-green' }, spec: { ports: [{ port: 80 }] } });
  let count = 0;
  const make = (props: Partial<HttpRouteProps> = {}) => new HttpRoute(chart, `Route${++count > 1 ? count : ''}`, {
    name: 'web',
    gateways: [{ name: 'public' }],
    backends: [{ service: blue, port: 80, weight: 90 }, { service: green, port: 80, weight: 10 }],
    ...props,
  });
  return { chart, blue, green, make };
}

describe('HttpRoute', () => {
  test('a gateway.networking.k8s.io/v1 HTTPRoute with weighted backendRefs, path / as PathPrefix by default', () => {
    const { chart, make } = setup();
    const construct = make();
    const route = find(synth(chart), 'HTTPRoute', 'web-route');
    expect(route.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(route.metadata).toEqual({ name: 'web-route', labels: testChartLabels('web') });
    expect(route.spec).toEqual({
      parentRefs: [{ name: 'public' }],
      rules: [{
        matches: [{ path: { type: 'PathPrefix', value: '/' } }],
        backendRefs: [{ name: 'web-blue', port: 80, weight: 90 }, { name: 'web-green', port: 80, weight: 10 }],
      }],
    });
    // Built through the L1 class that `cdk8s import` generated from the CRD.
    expect(construct.route).toBeInstanceOf(HttpRouteL1);
  });

  test('gateway namespace and section, hostnames, Exact path, namespace, labels, annotations; weight 1 by default', () => {
    const { chart, blue, make } = setup();
    make({
      namespace: 'shop',
      gateways: [{ name: 'public', namespace: 'infra', sectionName: 'https' }, { name: 'public', namespace: 'infra', sectionName: 'http' }],
      hostnames: ['shop.example.com', '*.shop.example.com'],
      path: '/api',
      pathType: 'Exact',
      backends: [{ service: blue, port: 80 }],
      labels: { team: 'web' },
      annotations: { note: 'canary' },
    });
    const route = find(synth(chart), 'HTTPRoute', 'web-route');
    expect(route.metadata).toEqual({ name: 'web-route', namespace: 'shop', labels: testChartLabels('web', { team: 'web' }), annotations: { note: 'canary' } });
    expect(route.spec.parentRefs).toEqual([
      { name: 'public', namespace: 'infra', sectionName: 'https' },
      { name: 'public', namespace: 'infra', sectionName: 'http' },
    ]);
    expect(route.spec.hostnames).toEqual(['shop.example.com', '*.shop.example.com']);
    expect(route.spec.rules[0].matches).toEqual([{ path: { type: 'Exact', value: '/api' } }]);
    // A Service without a namespace of its own: the backendRef leaves namespace out (the route's).
    expect(route.spec.rules[0].backendRefs).toEqual([{ name: 'web-blue', port: 80, weight: 1 }]);
  });

  test("a backend in another namespace than the route's names it", () => {
    const chart = newChart('shop');
    const other = new k8s.KubeService(chart, 'Other', { metadata: { name: 'legacy', namespace: 'legacy' }, spec: { ports: [{ port: 8080 }] } });
    const same = new k8s.KubeService(chart, 'Same', { metadata: { name: 'web' }, spec: { ports: [{ port: 80 }] } });
    new HttpRoute(chart, 'Route', { name: 'web', gateways: [{ name: 'public' }], backends: [{ service: same, port: 80 }, { service: other, port: 8080 }] });
    const route = find(synth(chart), 'HTTPRoute', 'web-route');
    expect(route.metadata.namespace).toBe('shop');
    expect(route.spec.rules[0].backendRefs).toEqual([{ name: 'web', port: 80, weight: 1 }, { name: 'legacy', namespace: 'legacy', port: 8080, weight: 1 }]);
  });

  test("routes to a WebApp's Service and validates with no finding", () => {
    const chart = newChart('shop');
    const app = new WebApp(chart, 'App', { name: 'app', image: 'app:1.0', port: 8080, networkPolicy: false });
    new HttpRoute(chart, 'Route', { name: 'app', gateways: [{ name: 'public' }], hostnames: ['app.example.com'], backends: [{ service: app.service!, port: app.servicePort! }] });
    const objects = synth(chart);
    expect(find(objects, 'HTTPRoute', 'app-route').spec.rules[0].backendRefs).toEqual([{ name: 'app-service', port: 8080, weight: 1 }]);
    const report = validateObjects(objects.map((object, order) => ({ object: object as never, source: 'app.yaml', order })), {
      externalObjects: [{ kind: 'Namespace', name: 'shop' }, { kind: 'Gateway', namespace: 'shop', name: 'public' }],
    });
    expect(report.findings).toEqual([]);
  });

  test('validation: every bad prop at once, with the limits of the CRD', () => {
    const { make, blue } = setup();
    let error: unknown;
    try {
      make({ name: 'Web', namespace: 'Shop', path: 'api', backends: [{ service: blue, port: 0, weight: 1_000_001 }] });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PropsError);
    expect((error as PropsError).problems.map((p) => [p.field, p.value])).toEqual([
      ['name', 'Web'],
      ['namespace', 'Shop'],
      ['path', 'api'],
      ['backends[0].port', 0],
      ['backends[0].weight', 1_000_001],
    ]);
    expect((error as PropsError).message).toMatch(/backends\[0\]\.weight 1000001: must be an integer from 0 to 1000000/);
  });

  test('validation: gateways', () => {
    const make = (props: Partial<HttpRouteProps>) => setup().make(props);
    expect(() => make({ gateways: [] })).toThrow(invalid('test/Route', 'gateways', []));
    expect(() => make({ gateways: Array.from({ length: 33 }, (_, i) => ({ name: `gw-${i}` })) })).toThrow(/must name 1 to 32 Gateways/);
    expect(() => make({ gateways: [{ name: 'Public' }] })).toThrow(invalid('test/Route', 'gateways[0].name', 'Public'));
    expect(() => make({ gateways: [{ name: 'public', namespace: 'in.fra' }] })).toThrow(invalid('test/Route', 'gateways[0].namespace', 'in.fra'));
    expect(() => make({ gateways: [{ name: 'public', sectionName: 'HTTP' }] })).toThrow(invalid('test/Route', 'gateways[0].sectionName', 'HTTP'));
    expect(() => make({ gateways: [{ name: 'public' }, { name: 'public' }] })).toThrow(/invalid gateways\[1\] .*a Gateway named twice needs a different sectionName/);
    expect(() => make({ gateways: [{ name: 'public', sectionName: 'a' }, { name: 'public' }] })).toThrow(/must give a sectionName on every entry of Gateway public/);
  });

  test('validation: hostnames', () => {
    const make = (props: Partial<HttpRouteProps>) => setup().make(props);
    expect(() => make({ hostnames: ['Shop.example.com'] })).toThrow(invalid('test/Route', 'hostnames[0]', 'Shop.example.com'));
    expect(() => make({ hostnames: ['shop.example.com:80'] })).toThrow(invalid('test/Route', 'hostnames[0]', 'shop.example.com:80'));
    expect(() => make({ hostnames: ['shop.*.com'] })).toThrow(invalid('test/Route', 'hostnames[0]', 'shop.*.com'));
    expect(() => make({ hostnames: Array.from({ length: 17 }, (_, i) => `h${i}.example.com`) })).toThrow(/hostnames .*at most 16 entries/);
  });

  test('validation: path and pathType, by the CRD\'s CEL rules', () => {
    const make = (props: Partial<HttpRouteProps>) => setup().make(props);
    for (const [path, reason] of [
      ['api', 'must start with "/"'],
      ['/a//b', 'must not contain "//"'],
      ['/a/./b', 'must not contain "/./"'],
      ['/a/../b', 'must not contain "/../"'],
      ['/a%2Fb', 'must not contain "%2F"'],
      ['/a%2fb', 'must not contain "%2f"'],
      ['/a#b', 'must not contain "#"'],
      ['/a/..', 'must not end with "/." or "/.."'],
      ['/a/.', 'must not end with "/." or "/.."'],
      ['/a b', 'may contain only'],
      [`/${'a'.repeat(1024)}`, 'longer than 1024 characters'],
    ]) {
      expect(() => make({ path })).toThrow(new RegExp(`invalid path .*${reason.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    }
    expect(() => make({ pathType: 'Prefix' as 'PathPrefix' })).toThrow(invalid('test/Route', 'pathType', 'Prefix'));
    expect(() => make({ path: '/a%20b/c~d' })).not.toThrow();
  });

  test('validation: backends', () => {
    const { make, blue, chart } = setup();
    expect(() => make({ backends: [] })).toThrow(/invalid backends 0: must list 1 to 16 backends/);
    expect(() => make({ backends: Array.from({ length: 17 }, () => ({ service: blue, port: 80 })) })).toThrow(/invalid backends 17: must list 1 to 16/);
    expect(() => make({ backends: [{ service: blue, port: 80, weight: -1 }] })).toThrow(/invalid backends\[0\]\.weight -1: must be an integer from 0 to 1000000/);
    expect(() => make({ backends: [{ service: blue, port: 80, weight: 0.5 }] })).toThrow(/invalid backends\[0\]\.weight 0\.5/);
    expect(() => make({ backends: [{ service: blue, port: 70000 }] })).toThrow(/invalid backends\[0\]\.port 70000/);
    const configMap = new k8s.KubeConfigMap(chart, 'Config', { metadata: { name: 'web' } });
    expect(() => make({ backends: [{ service: configMap as ApiObject, port: 80 }] })).toThrow(/invalid backends\[0\]\.service "ConfigMap": must be a Service object/);
    expect(() => make({ backends: [{ service: blue, port: 80, weight: 0 }] })).toThrow(/must give at least one backend a weight above 0/);
    expect(() => make({ backends: [{ service: blue, port: 80, weight: 0 }, { service: blue, port: 80, weight: 1 }] })).not.toThrow();
    expect(() => make({ labels: { 'bad key!': 'x' } })).toThrow(/invalid labels key "bad key!"/);
    expect(() => make({ annotations: { 'bad key!': 'x' } })).toThrow(/invalid annotations key "bad key!"/);
  });

  test('a refused HttpRoute creates no objects', () => {
    const { chart, make } = setup();
    expect(() => make({ path: 'x' })).toThrow(/^test\/Route/);
    expect(synth(chart).filter((o) => o.kind === 'HTTPRoute')).toEqual([]);
  });
});
