import { App, Chart } from 'cdk8s';
import { HttpsGateway, HttpsGatewayProps, Peer, PropsError, WebApp } from '../../lib';
import { appManifests } from '../../lib/render/manifests';
import { validateObjects } from '../../lib/validation';
import { find, newChart, Obj, synth } from '../helpers';

const PROPS: HttpsGatewayProps = { name: 'public', gatewayClassName: 'envoy', hostnames: ['shop.example.com', 'api.example.com'], tlsSecretName: 'public-tls' };

test('one HTTPS listener per host name, terminating TLS with the Secret, admitting the routes of its namespace', () => {
  const chart = newChart('test');
  const gateway = new HttpsGateway(chart, 'Gateway', PROPS);
  const object = find(synth(chart), 'Gateway', 'public');
  expect(object.apiVersion).toBe('gateway.networking.k8s.io/v1');
  expect(object.metadata).toEqual({ name: 'public', namespace: 'test' });
  const listener = (n: number, hostname: string) => ({
    name: `https-${n}`, hostname, port: 443, protocol: 'HTTPS',
    tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: 'public-tls' }] },
    allowedRoutes: { namespaces: { from: 'Same' } },
  });
  expect(object.spec).toEqual({ gatewayClassName: 'envoy', listeners: [listener(0, 'shop.example.com'), listener(1, 'api.example.com')] });
  expect(gateway.ref).toEqual({ name: 'public', namespace: 'test' });
});

test('clusterIssuer: the annotation cert-manager reads to issue the Secret for the listeners\' host names; allowedRoutes All', () => {
  const chart = newChart();
  new HttpsGateway(chart, 'Gateway', { ...PROPS, namespace: 'gateways', clusterIssuer: 'letsencrypt', allowedRoutes: 'All' });
  const object = find(synth(chart), 'Gateway', 'public');
  expect(object.metadata).toEqual({ name: 'public', namespace: 'gateways', annotations: { 'cert-manager.io/cluster-issuer': 'letsencrypt' } });
  expect(object.spec.listeners.map((l: Obj) => l.allowedRoutes.namespaces.from)).toEqual(['All', 'All']);
});

test('every bad prop at once, named, and nothing is left in the chart', () => {
  const chart = newChart();
  let error: unknown;
  try {
    new HttpsGateway(chart, 'Gateway', {
      name: 'Public', namespace: 'Gateways', gatewayClassName: 'envoy_gateway', hostnames: ['shop.example.com', 'shop.example.com', '10.0.0.1:443'],
      tlsSecretName: 'Public_TLS', clusterIssuer: 'lets encrypt', allowedRoutes: 'Selector' as 'All',
    });
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(PropsError);
  expect((error as PropsError).problems.map((p) => `${p.path} ${p.field}`)).toEqual([
    'test/Gateway name', 'test/Gateway namespace', 'test/Gateway gatewayClassName', 'test/Gateway hostnames[1]', 'test/Gateway hostnames[2]',
    'test/Gateway tlsSecretName', 'test/Gateway clusterIssuer', 'test/Gateway allowedRoutes',
  ]);
  expect(chart.node.children).toHaveLength(0);
  expect(() => new HttpsGateway(newChart('test'), 'Gateway', { ...PROPS, hostnames: [] })).toThrow("test/Gateway: invalid hostnames []: must list 1 to 64 host names (one listener each, the CRD's limit on listeners)");
  // A Gateway is namespaced: on a chart without a namespace, it names one itself.
  expect(() => new HttpsGateway(newChart(), 'Gateway', PROPS)).toThrow('test/Gateway: invalid namespace (missing): must be set, here or on the chart: a Gateway is namespaced');
});

test('a route attached to it by ref validates clean with no external Gateway declared; the Gateway passes the CRD\'s schema', () => {
  const app = new App();
  const chart = new Chart(app, 'shop', { namespace: 'shop', disableResourceNameHashes: true });
  const gateway = new HttpsGateway(chart, 'Gateway', PROPS);
  new WebApp(chart, 'Web', {
    name: 'web', image: 'shop/web:1.0.0', port: 8080,
    route: { gateways: [gateway.ref], hostnames: ['shop.example.com'], dataPlane: Peer.gatewayDataPlane({ namespace: 'shop', podLabels: { 'gateway.envoyproxy.io/owning-gateway-name': 'public' } }) },
  });
  const objects = appManifests(app).flatMap((m) => m.objects.map((object, order) => ({ object, source: m.file, order })));
  expect(find(objects.map((o) => o.object as Obj), 'HTTPRoute', 'web-route').spec.parentRefs).toEqual([{ name: 'public', namespace: 'shop' }]);
  expect(validateObjects(objects, { externalObjects: [{ kind: 'Namespace', name: 'shop' }] }).findings).toEqual([]);
  // In another namespace, a listener admitting only its own namespace's routes is a finding of the route.
  const other = new App();
  const gateways = new HttpsGateway(new Chart(other, 'gw', { namespace: 'gateways' }), 'Gateway', PROPS);
  new WebApp(new Chart(other, 'shop', { namespace: 'shop', disableResourceNameHashes: true }), 'Web', {
    name: 'web', image: 'shop/web:1.0.0', port: 8080, route: { gateways: [gateways.ref], hostnames: ['shop.example.com'], dataPlane: Peer.namespace('gateways') },
  });
  const apart = appManifests(other).flatMap((m) => m.objects.map((object, order) => ({ object, source: m.file, order })));
  expect(validateObjects(apart, { externalObjects: [{ kind: 'Namespace', name: 'shop' }, { kind: 'Namespace', name: 'gateways' }] }).findings
    .map((f) => `${f.rule} ${f.object} ${f.path}`)).toEqual(['http-route-parent HTTPRoute shop/web-route spec.parentRefs[0]']);
});
