import { HttpIngressPathType, ServiceType } from 'cdk8s-plus-27';
import { IngressedService, IngressedServiceProps, Peer, WebApp } from '../../lib';
import { find, invalid, newChart, synth } from '../helpers';

function setup() {
  const chart = newChart();
  const target = new WebApp(chart, 'App', { name: 'app', image: 'app:1.0', port: 8080, networkPolicy: false });
  let count = 0;
  // The first is `Public`, later ones `Public2`…: a refused construct stays in the tree (without objects).
  const make = (props: Partial<IngressedServiceProps> = {}) =>
    new IngressedService(chart, `Public${++count > 1 ? count : ''}`, { name: 'public', target, host: 'app.example.com', controller: Peer.ingressController(), ...props });
  return { chart, target, make };
}

describe('IngressedService', () => {
  test('a Service and an Ingress routing the host (path / Prefix by default)', () => {
    const { chart, make } = setup();
    make();
    const objects = synth(chart);
    expect(find(objects, 'Service', 'public-service').spec.ports).toEqual([{ name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' }]);
    const ingress = find(objects, 'Ingress', 'public-ingress');
    expect(ingress.apiVersion).toBe('networking.k8s.io/v1');
    expect(ingress.metadata.annotations).toBeUndefined();
    expect(ingress.spec).toEqual({
      rules: [{
        host: 'app.example.com',
        http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'public-service', port: { number: 8080 } } } }] },
      }],
    });
  });

  test('path, pathType, ingressClassName, annotations, TLS, service port and type', () => {
    const { chart, make } = setup();
    make({
      path: '/api', pathType: HttpIngressPathType.EXACT, ingressClassName: 'nginx', port: 80, serviceType: ServiceType.NODE_PORT,
      annotations: { 'nginx.ingress.kubernetes.io/from-to-www-redirect': 'true' }, tls: { secretName: 'app-tls' }, labels: { team: 'web' },
    });
    const objects = synth(chart);
    const ingress = find(objects, 'Ingress', 'public-ingress');
    expect(ingress.metadata.annotations).toEqual({ 'nginx.ingress.kubernetes.io/from-to-www-redirect': 'true' });
    expect(ingress.metadata.labels).toEqual({ team: 'web' });
    expect(ingress.spec.ingressClassName).toBe('nginx');
    expect(ingress.spec.tls).toEqual([{ hosts: ['app.example.com', 'www.app.example.com'], secretName: 'app-tls' }]);
    expect(ingress.spec.rules[0].http.paths[0]).toEqual({
      path: '/api', pathType: 'Exact', backend: { service: { name: 'public-service', port: { number: 80 } } },
    });
    const service = find(objects, 'Service', 'public-service');
    expect(service.spec.type).toBe('NodePort');
    expect(service.spec.ports[0]).toMatchObject({ port: 80, targetPort: 'http' });
  });

  test('the target\'s NetworkPolicy admits the controller on the port the Service targets', () => {
    const chart = newChart();
    const target = new WebApp(chart, 'App', { name: 'app', image: 'app:1.0', port: 8080 });
    const controller = Peer.ingressController('ingress-nginx');
    new IngressedService(chart, 'Public', { name: 'public', target, host: 'app.example.com', controller, port: 80 });
    expect(target.connections.ingress).toEqual([{ from: controller, ports: [8080] }]);
    expect(find(synth(chart), 'NetworkPolicy', 'app-network-policy').spec.ingress).toEqual([{
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }],
      ports: [{ protocol: 'TCP', port: 8080 }],
    }]);
  });

  test('a NodePort or LoadBalancer Service makes the target admit every IPv4 address on its ports besides the controller', () => {
    for (const serviceType of [ServiceType.NODE_PORT, ServiceType.LOAD_BALANCER]) {
      const { make, target } = setup();
      make({ serviceType, port: 80 });
      expect(target.connections.ingress.map((edge) => [(edge.from as Peer).peer, edge.ports])).toEqual([
        [{ ipBlock: { cidr: '0.0.0.0/0' } }, [8080]],
        [Peer.ingressController().peer, [8080]],
      ]);
    }
  });

  test('refuses a port the pods do not serve', () => {
    const { chart, make } = setup();
    expect(() => make({ targetPort: 9000 })).toThrow(invalid('test/Public', 'targetPort', 9000));
    expect(() => make({ targetPort: 'admin' })).toThrow(invalid('test/Public2', 'targetPort', 'admin'));
    expect(synth(chart).filter((o) => o.kind !== 'Deployment' && o.metadata.name !== 'app-service')).toEqual([]);
  });

  test('validation', () => {
    const make = (props: Partial<IngressedServiceProps>) => setup().make(props);
    expect(() => make({ name: 'Public' })).toThrow(invalid('test/Public', 'name', 'Public'));
    expect(() => make({ host: 'App.Example.com' })).toThrow(invalid('test/Public', 'host', 'App.Example.com'));
    expect(() => make({ host: 'https://app.example.com' })).toThrow(invalid('test/Public', 'host', 'https://app.example.com'));
    expect(() => make({ path: 'api' })).toThrow(invalid('test/Public', 'path', 'api'));
    expect(() => make({ pathType: 'Regex' as HttpIngressPathType })).toThrow(invalid('test/Public', 'pathType', 'Regex'));
    expect(() => make({ ingressClassName: 'Nginx' })).toThrow(invalid('test/Public', 'ingressClassName', 'Nginx'));
    expect(() => make({ tls: { secretName: 'TLS' } })).toThrow(invalid('test/Public', 'tls.secretName', 'TLS'));
    expect(() => make({ annotations: { 'not a key': 'x' } })).toThrow(invalid('test/Public', 'annotations key', 'not a key'));
  });

  test('a refused IngressedService creates no objects', () => {
    const chart = newChart();
    const target = new WebApp(newChart(), 'App', { name: 'app', image: 'app:1.0', port: 8080 });
    expect(() => new IngressedService(chart, 'Public', { name: 'public', target, host: 'a.example.com', controller: Peer.ingressController(), targetPort: 1 })).toThrow(/^test\/Public/);
    expect(() => new IngressedService(chart, 'Public2', { name: 'public', target, host: 'a.example.com', controller: Peer.ingressController(), path: 'x' })).toThrow(/^test\/Public2/);
    expect(synth(chart)).toEqual([]);
  });
});

describe('IngressedService TLS with the www redirect', () => {
  test('the certificate also covers the www name that ingress-nginx redirects from', () => {
    const chart = newChart();
    new WebApp(chart, 'Site', {
      name: 'site', image: 'site:1', port: 8080,
      ingress: { controller: Peer.ingressController(), host: 'shop.example.com', annotations: { 'nginx.ingress.kubernetes.io/from-to-www-redirect': 'true' }, tls: { secretName: 'site-tls' } },
    });
    expect(find(synth(chart), 'Ingress', 'site-ingress').spec.tls).toEqual([{ hosts: ['shop.example.com', 'www.shop.example.com'], secretName: 'site-tls' }]);
  });

  test('a www host gets its bare name added; without the redirect only the host is covered', () => {
    const chart = newChart();
    new WebApp(chart, 'A', { name: 'a', image: 'a:1', port: 80, ingress: { controller: Peer.ingressController(), host: 'www.a.example.com', annotations: { 'nginx.ingress.kubernetes.io/from-to-www-redirect': 'true' }, tls: { secretName: 'a-tls' } } });
    new WebApp(chart, 'B', { name: 'b', image: 'b:1', port: 80, ingress: { controller: Peer.ingressController(), host: 'b.example.com', tls: { secretName: 'b-tls' } } });
    const objects = synth(chart);
    expect(find(objects, 'Ingress', 'a-ingress').spec.tls[0].hosts).toEqual(['www.a.example.com', 'a.example.com']);
    expect(find(objects, 'Ingress', 'b-ingress').spec.tls[0].hosts).toEqual(['b.example.com']);
  });
});
