import { ServiceType } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { Peer, StatefulApp, WebApp } from '../../lib';
import { createService, ServiceOptions } from '../../lib/constructs/service';
import { find, invalid, newChart, synth } from '../helpers';

function setup() {
  const chart = newChart();
  const target = new WebApp(chart, 'App', { name: 'app', image: 'app:1.0', port: 8080, networkPolicy: false });
  const worker = new WebApp(chart, 'Worker', { name: 'worker', image: 'w:1.0', networkPolicy: false });
  const scope = new Construct(chart, 'Extra');
  const make = (options: Partial<ServiceOptions>) => createService(scope, 'Service', { name: 'extra', target, ...options });
  return { chart, target, worker, scope, make };
}

describe('createService', () => {
  test('selects the target pods and sends traffic to the named container port', () => {
    const { chart, make } = setup();
    const { port } = make({ port: 80 });
    expect(port).toBe(80);
    expect(find(synth(chart), 'Service', 'extra-service').spec).toEqual({
      type: 'ClusterIP',
      selector: { 'app.kubernetes.io/name': 'app' },
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
    });
  });
  test('the port defaults to the container port; targetPort by number resolves to the name', () => {
    const { chart, make } = setup();
    expect(make({ targetPort: 8080 }).port).toBe(8080);
    expect(find(synth(chart), 'Service', 'extra-service').spec.ports[0].targetPort).toBe('http');
  });
  test('headless Services have clusterIP None and no type', () => {
    const { chart, make } = setup();
    make({ headless: true });
    const spec = find(synth(chart), 'Service', 'extra-service').spec;
    expect(spec.clusterIP).toBe('None');
    expect(spec.type).toBeUndefined();
  });
  test('a StatefulApp service is headless', () => {
    const chart = newChart();
    new StatefulApp(chart, 'Db', { name: 'db', image: 'db:1.0', port: 5432 });
    expect(find(synth(chart), 'Service', 'db-service').spec.clusterIP).toBe('None');
  });
  test('refusals', () => {
    const { make, scope, worker } = setup();
    expect(() => make({ targetPort: 9090 })).toThrow(invalid('test/Extra', 'targetPort', 9090));
    expect(() => make({ targetPort: 'metrics' })).toThrow(invalid('test/Extra', 'targetPort', 'metrics'));
    expect(() => make({ port: 0 })).toThrow(invalid('test/Extra', 'port', 0));
    expect(() => make({ name: '9lives' })).toThrow(invalid('test/Extra', 'service name (as "<name>-service")', '9lives-service'));
    expect(() => createService(scope, 'S', { name: 'w', target: worker })).toThrow(invalid('test/Extra', 'target', 'worker'));
    expect(() => make({ headless: true, serviceType: ServiceType.NODE_PORT })).toThrow(invalid('test/Extra', 'serviceType', 'NodePort'));
    expect(() => make({ serviceType: ServiceType.NODE_PORT, nodePort: 29999 })).toThrow(invalid('test/Extra', 'nodePort', 29999));
    expect(() => make({ serviceType: ServiceType.LOAD_BALANCER, nodePort: 32768 })).toThrow(invalid('test/Extra', 'nodePort', 32768));
    expect(() => make({ nodePort: 30000 })).toThrow(invalid('test/Extra', 'nodePort', 30000));
  });
  test('a NodePort or LoadBalancer Service makes the target admit every IPv4 address on its ports; a ClusterIP one does not', () => {
    for (const serviceType of [ServiceType.NODE_PORT, ServiceType.LOAD_BALANCER]) {
      const { make, target } = setup();
      make({ serviceType, port: 80 });
      expect(target.connections.ingress.map((edge) => [(edge.from as Peer).peer, edge.ports])).toEqual([[{ ipBlock: { cidr: '0.0.0.0/0' } }, [8080]]]);
    }
    const { make, target } = setup();
    make({ port: 80 });
    expect(target.connections.ingress).toEqual([]);
  });
  test('node ports 30000 and 32767 are accepted', () => {
    expect(() => setup().make({ serviceType: ServiceType.NODE_PORT, nodePort: 30000 })).not.toThrow();
    expect(() => setup().make({ serviceType: ServiceType.LOAD_BALANCER, nodePort: 32767 })).not.toThrow();
  });
  test('a refused Service creates nothing', () => {
    const { chart, make } = setup();
    expect(() => make({ targetPort: 1 })).toThrow();
    expect(synth(chart).map((o) => o.metadata.name)).toEqual(['app-deployment', 'app-service', 'worker-deployment']);
  });
});
