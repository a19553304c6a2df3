import { App, Chart } from 'cdk8s';
import { BatchJob, DefaultDenyIngress, Peer, PropsError, ScheduledJob, StatefulApp, WebApp } from '../../lib';
import { CLUSTER_DNS_EGRESS_RULE } from '../../lib/constructs/connections';
import { find, invalid, literal, newChart, synth, testChartLabels } from '../helpers';

function apps(chart = newChart()) {
  const api = new WebApp(chart, 'Api', { name: 'api', image: 'api:1.0', port: 8080 });
  const web = new WebApp(chart, 'Web', { name: 'web', image: 'web:1.0', port: 3000 });
  const worker = new WebApp(chart, 'Worker', { name: 'worker', image: 'worker:1.0' });
  const db = new StatefulApp(chart, 'Db', { name: 'db', image: 'db:1.0', port: 5432 });
  return { chart, api, web, worker, db };
}

const tcp = (port: number) => ({ protocol: 'TCP', port });

describe('egress', () => {
  test('each declared edge is also an egress rule of the client, to the server pods on their container ports, after DNS', () => {
    const { chart, api, web, worker, db } = apps();
    api.connections.allowFrom(web);
    worker.connections.allowTo(db);
    web.connections.allowTo(api, 8080);
    const objects = synth(chart);
    expect(find(objects, 'NetworkPolicy', 'web-network-policy').spec.egress).toEqual([
      CLUSTER_DNS_EGRESS_RULE,
      { to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'api' } } }], ports: [tcp(8080)] },
      { to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'api' } } }], ports: [tcp(8080)] },
    ]);
    expect(find(objects, 'NetworkPolicy', 'worker-network-policy').spec.egress).toEqual([
      CLUSTER_DNS_EGRESS_RULE,
      { to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'db' } } }], ports: [tcp(5432)] },
    ]);
    // The server makes no connection of its own: DNS only.
    expect(find(objects, 'NetworkPolicy', 'db-network-policy').spec.egress).toEqual([CLUSTER_DNS_EGRESS_RULE]);
    expect(worker.connections.egress.map((edge) => [edge.to.name, edge.ports])).toEqual([['db', [5432]]]);
  });

  test('DNS goes to the kube-dns pods of kube-system on port 53, UDP and TCP', () => {
    expect(CLUSTER_DNS_EGRESS_RULE).toEqual({
      to: [{
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
        podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
      }],
      ports: [{ protocol: 'UDP', port: 53 }, tcp(53)],
    });
  });

  test('a server in another namespace is selected with its namespace', () => {
    const app = new App();
    const db = new StatefulApp(new Chart(app, 'data', { namespace: 'data' }), 'Db', { name: 'db', image: 'db:1.0', port: 5432 });
    const web = new Chart(app, 'web', { namespace: 'web' });
    const api = new WebApp(web, 'Api', { name: 'api', image: 'api:1.0', port: 8080 });
    api.connections.allowTo(db);
    expect(find(synth(web), 'NetworkPolicy', 'api-network-policy').spec.egress[1].to).toEqual([{
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'db' } },
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'data' } },
    }]);
  });

  test('jobs get a policy too: no incoming connection, the declared outgoing ones and DNS; networkPolicy: false opts out', () => {
    const { chart, db } = apps();
    const seed = new BatchJob(chart, 'Seed', { name: 'seed', image: 'seed:1' });
    new ScheduledJob(chart, 'Nightly', { name: 'nightly', image: 'job:1', schedule: '@daily', restrictEgress: false });
    new BatchJob(chart, 'Open', { name: 'open', image: 'open:1', networkPolicy: false });
    seed.connections.allowTo(db);
    const objects = synth(chart);
    expect(find(objects, 'NetworkPolicy', 'seed-network-policy').spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'seed' } },
      policyTypes: ['Ingress', 'Egress'],
      egress: [CLUSTER_DNS_EGRESS_RULE, { to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'db' } } }], ports: [tcp(5432)] }],
    });
    expect(find(objects, 'NetworkPolicy', 'nightly-network-policy').spec.egress).toEqual([{}]);
    expect(objects.some((o) => o.metadata.name === 'open-network-policy')).toBe(false);
  });
});

describe('Connections', () => {
  test('allowFrom a workload admits its pods on every declared port; allowTo records on the server', () => {
    const { chart, api, web, worker, db } = apps();
    api.connections.allowFrom(web);
    worker.connections.allowTo(db);
    const objects = synth(chart);
    expect(find(objects, 'NetworkPolicy', 'api-network-policy').spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'api' } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'web' } } }], ports: [tcp(8080)] }],
      egress: [CLUSTER_DNS_EGRESS_RULE],
    });
    expect(find(objects, 'NetworkPolicy', 'db-network-policy').spec.ingress).toEqual([
      { from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'worker' } } }], ports: [tcp(5432)] },
    ]);
    expect(find(objects, 'NetworkPolicy', 'worker-network-policy').spec).not.toHaveProperty('ingress');
    expect(db.connections.ingress.map((edge) => edge.ports)).toEqual([[5432]]);
  });

  test('edges declared after the policy was created still appear (read at synthesis)', () => {
    const { chart, api, web } = apps();
    expect(find(synth(chart), 'NetworkPolicy', 'api-network-policy').spec).not.toHaveProperty('ingress');
    api.connections.allowFrom(web, 8080);
    expect(find(synth(chart), 'NetworkPolicy', 'api-network-policy').spec.ingress).toHaveLength(1);
  });

  test('Peer.ingressController selects the controller namespace', () => {
    const { chart, web } = apps();
    web.connections.allowFrom(Peer.ingressController());
    web.connections.allowFrom(Peer.ingressController('traefik'));
    web.connections.allowFrom(Peer.namespace('monitoring'), 3000);
    expect(find(synth(chart), 'NetworkPolicy', 'web-network-policy').spec.ingress).toEqual([
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }], ports: [tcp(3000)] },
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'traefik' } } }], ports: [tcp(3000)] },
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [tcp(3000)] },
    ]);
  });

  test('a client in another namespace also gets a namespaceSelector', () => {
    const server = newChart('data', 'data');
    const client = newChart('shop', 'shop');
    const db = new StatefulApp(server, 'Db', { name: 'db', image: 'db:1.0', port: 5432 });
    const api = new WebApp(client, 'Api', { name: 'api', image: 'api:1.0', port: 8080 });
    api.connections.allowTo(db);
    expect(find(synth(server), 'NetworkPolicy', 'db-network-policy').spec.ingress).toEqual([{
      from: [{
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'api' } },
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } },
      }],
      ports: [tcp(5432)],
    }]);
  });

  test('a port the server does not declare is refused', () => {
    const { api, web } = apps();
    expect(() => api.connections.allowFrom(web, 9090)).toThrow(invalid('test/Api', 'connections.allowFrom port', 9090));
    expect(() => web.connections.allowTo(api, 22)).toThrow(invalid('test/Web', 'connections.allowTo port', 22));
  });

  test('nothing can connect to a workload without ports', () => {
    const { api, worker } = apps();
    expect(() => worker.connections.allowFrom(api)).toThrow(invalid('test/Worker', 'connections.allowFrom', 'api'));
    expect(() => worker.connections.allowFrom(Peer.ingressController())).toThrow(invalid('test/Worker', 'connections.allowFrom', 'ingress controller (ingress-nginx)'));
    // Reported where the call was made, under the method called.
    expect(() => api.connections.allowTo(worker)).toThrow('test/Api: invalid connections.allowTo "worker": worker declares no port, so nothing can connect to it');
  });
});

describe('Peer', () => {
  test.each(['Not Valid!', 'UPPER', '', 'a'.repeat(64)])('Peer.namespace refuses %j', (namespace) => {
    const shown = JSON.stringify(namespace);
    expect(() => Peer.namespace(namespace)).toThrow(new RegExp(`^${literal(`Peer.namespace: invalid namespace ${shown}: must be a DNS-1123 label`)}`));
    expect(() => Peer.ingressController(namespace)).toThrow(new RegExp(`^${literal(`Peer.ingressController: invalid namespace ${shown}: must be a DNS-1123 label`)}`));
    expect(() => Peer.gatewayDataPlane({ namespace })).toThrow(new RegExp(`^${literal(`Peer.gatewayDataPlane: invalid namespace ${shown}: must be a DNS-1123 label`)}`));
  });

  test('Peer.gatewayDataPlane selects the pods with its labels in its namespace, or the whole namespace without labels', () => {
    const labelled = Peer.gatewayDataPlane({ namespace: 'gateway-system', podLabels: { 'gateway.networking.k8s.io/gateway-name': 'public' } });
    expect(labelled.peer).toEqual({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'gateway-system' } },
      podSelector: { matchLabels: { 'gateway.networking.k8s.io/gateway-name': 'public' } },
    });
    expect(labelled.description).toBe('Gateway data plane (gateway-system gateway.networking.k8s.io/gateway-name=public)');
    expect(Peer.gatewayDataPlane({ namespace: 'gateway-system' }).peer).toEqual({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'gateway-system' } } });
  });

  test('Peer.ipBlock admits any source in a CIDR (a NodePort\'s clients outside the cluster) on the ports given', () => {
    const { chart, web } = apps();
    web.connections.allowFrom(Peer.ipBlock('0.0.0.0/0'), 3000);
    web.connections.allowFrom(Peer.ipBlock('::/0'));
    expect(Peer.ipBlock('10.0.0.0/8').description).toBe('addresses 10.0.0.0/8');
    expect(find(synth(chart), 'NetworkPolicy', 'web-network-policy').spec.ingress).toEqual([
      { from: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [tcp(3000)] },
      { from: [{ ipBlock: { cidr: '::/0' } }], ports: [tcp(3000)] },
    ]);
  });

  test.each(['0.0.0.0', '10.0.0.0/33', 'anywhere', ''])('Peer.ipBlock refuses %j', (cidr) => {
    expect(() => Peer.ipBlock(cidr)).toThrow(new RegExp(`^${literal(`Peer.ipBlock: invalid cidr ${JSON.stringify(cidr)}: must be an IPv4 or IPv6 CIDR`)}`));
  });

  test('Peer.ingressController selects its namespace, or the pods with its labels there', () => {
    expect(Peer.ingressController().peer).toEqual({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } });
    const labelled = Peer.ingressController('ingress', { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' });
    expect(labelled.peer).toEqual({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress' } },
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' } },
    });
    expect(labelled.description).toBe('ingress controller (ingress app.kubernetes.io/name=ingress-nginx,app.kubernetes.io/component=controller)');
    expect(() => Peer.ingressController('ingress-nginx', { app: 'not a value' })).toThrow(PropsError);
  });

  test('Peer.gatewayDataPlane reports every bad pod label at once', () => {
    let error: unknown;
    try {
      Peer.gatewayDataPlane({ namespace: 'gateway-system', podLabels: { 'bad key!': 'envoy', app: 'not a value' } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PropsError);
    expect((error as PropsError).problems.map((p) => [p.path, p.field, p.value])).toEqual([
      ['Peer.gatewayDataPlane', 'podLabels key', 'bad key!'],
      ['Peer.gatewayDataPlane', 'podLabels["app"]', 'not a value'],
    ]);
  });
});

describe('DefaultDenyIngress', () => {
  test('a namespace that is not a DNS-1123 label is refused, leaving nothing behind', () => {
    const chart = newChart();
    expect(() => new DefaultDenyIngress(chart, 'Deny', { namespace: 'Shop' })).toThrow(invalid('test/Deny', 'namespace', 'Shop'));
    expect(chart.node.tryFindChild('Deny')).toBeUndefined();
  });

  test('selects every pod and allows no ingress', () => {
    const chart = newChart();
    new DefaultDenyIngress(chart, 'Deny', { namespace: 'shop' });
    expect(find(synth(chart), 'NetworkPolicy', 'default-deny-ingress')).toEqual({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'default-deny-ingress', namespace: 'shop', labels: testChartLabels() },
      spec: { podSelector: {}, policyTypes: ['Ingress'] },
    });
  });
});
