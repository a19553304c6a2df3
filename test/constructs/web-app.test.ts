import { App, Chart, Testing } from 'cdk8s';
import { ServiceType } from 'cdk8s-plus-27';
import { HpaPolicy, Peer, PropsError, WebApp, WebAppProps } from '../../lib';
import { CLUSTER_DNS_EGRESS_RULE } from '../../lib/constructs/connections';
import { appManifests } from '../../lib/render/manifests';
import { allOf, find, has, invalid, invalidAtSynth, newChart, podSpec, synth, testChartLabels } from '../helpers';

function make(props: Partial<WebAppProps> = {}, chart = newChart()) {
  const app = new WebApp(chart, 'App', { name: 'app', image: 'app:1.0', port: 8080, ...props });
  return { chart, app, objects: synth(chart) };
}

function build(props: Partial<WebAppProps>) {
  return () => make(props);
}

describe('objects and names', () => {
  test('a Deployment <name>-deployment and a Service <name>-service selecting app.kubernetes.io/name', () => {
    const { objects } = make();
    const deployment = find(objects, 'Deployment', 'app-deployment');
    expect(deployment.apiVersion).toBe('apps/v1');
    expect(deployment.spec.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'app' } });
    expect(deployment.spec.template.metadata.labels).toEqual(testChartLabels('app', { 'app.kubernetes.io/version': '1.0' }));
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.spec.strategy).toBeUndefined();
    const service = find(objects, 'Service', 'app-service');
    expect(service.spec).toEqual({
      type: 'ClusterIP',
      selector: { 'app.kubernetes.io/name': 'app' },
      ports: [{ name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' }],
    });
    expect(allOf(objects, 'Ingress')).toHaveLength(0);
    expect(allOf(objects, 'PodDisruptionBudget')).toHaveLength(0);
  });
  test('without a port there is no Service (a worker)', () => {
    const { objects, app } = make({ port: undefined });
    expect(allOf(objects, 'Service')).toHaveLength(0);
    expect(app.service).toBeUndefined();
    expect(find(objects, 'Deployment', 'app-deployment').spec.template.spec.containers[0].ports).toBeUndefined();
  });
  test('the objects land in the chart namespace', () => {
    const { objects, app } = make({}, newChart('shop'));
    expect(objects.every((o) => o.metadata.namespace === 'shop')).toBe(true);
    expect(app.namespace).toBe('shop');
  });
  test('replicas', () => {
    expect(find(make({ replicas: 3 }).objects, 'Deployment', 'app-deployment').spec.replicas).toBe(3);
    expect(find(make({ replicas: 0 }).objects, 'Deployment', 'app-deployment').spec.replicas).toBe(0);
  });
  test('labels go on every object and the pods; they cannot override the selector label', () => {
    expect(build({ labels: { 'app.kubernetes.io/name': 'other' } })).toThrow(invalid('test/App', 'labels["app.kubernetes.io/name"]', 'other'));
    const { objects } = make({ labels: { team: 'web', 'app.kubernetes.io/name': 'app' } });
    const expected = testChartLabels('app', { team: 'web', 'app.kubernetes.io/version': '1.0' });
    const deployment = find(objects, 'Deployment', 'app-deployment');
    expect(deployment.metadata.labels).toEqual(expected);
    expect(deployment.spec.template.metadata.labels).toEqual(expected);
    expect(deployment.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'app' });
    expect(find(objects, 'Service', 'app-service').metadata.labels).toEqual(expected);
    expect(find(objects, 'NetworkPolicy', 'app-network-policy').metadata.labels).toEqual(expected);
  });
  test('the recommended labels: a chart\'s labels name the application and its instance; given labels win over them', () => {
    const chart = new Chart(Testing.app(), 'shop-chart', { labels: { 'app.kubernetes.io/part-of': 'shop', 'app.kubernetes.io/instance': 'shop-eu' } });
    const deployment = find(make({ image: 'registry.example.com/app@sha256:' + 'a'.repeat(64), labels: { 'app.kubernetes.io/instance': 'mine' } }, chart).objects, 'Deployment', 'app-deployment');
    expect(deployment.spec.template.metadata.labels).toEqual({
      'app.kubernetes.io/instance': 'mine', 'app.kubernetes.io/managed-by': 'habr-k8s', 'app.kubernetes.io/name': 'app', 'app.kubernetes.io/part-of': 'shop',
    });
    expect(deployment.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'app' });
    // Without chart labels: part-of is the chart's id, instance is part-of.
    const plain = find(make({}, new Chart(Testing.app(), 'shop')).objects, 'Deployment', 'app-deployment');
    expect(plain.metadata.labels).toEqual({
      'app.kubernetes.io/instance': 'shop', 'app.kubernetes.io/managed-by': 'habr-k8s', 'app.kubernetes.io/name': 'app', 'app.kubernetes.io/part-of': 'shop', 'app.kubernetes.io/version': '1.0',
    });
  });
  test('a chart whose id is no label value must name the application in its labels', () => {
    expect(() => make({}, new Chart(Testing.app(), 'My Shop'))).toThrow(invalid('My Shop', 'labels["app.kubernetes.io/part-of"]', 'My Shop'));
    expect(find(make({}, new Chart(Testing.app(), 'My Shop', { labels: { 'app.kubernetes.io/part-of': 'shop' } })).objects, 'Deployment', 'app-deployment')
      .metadata.labels['app.kubernetes.io/part-of']).toBe('shop');
  });
  test('annotations on the Deployment, podAnnotations on the pods', () => {
    const deployment = find(make({ annotations: { 'a.io/x': '1' }, podAnnotations: { 'b.io/y': '2' } }).objects, 'Deployment', 'app-deployment');
    expect(deployment.metadata.annotations).toEqual({ 'a.io/x': '1' });
    expect(deployment.spec.template.metadata.annotations).toEqual({ 'b.io/y': '2' });
    const plain = find(make().objects, 'Deployment', 'app-deployment');
    expect(plain.metadata.annotations).toBeUndefined();
    expect(plain.spec.template.metadata.annotations).toBeUndefined();
  });
});

describe('rollout', () => {
  test('counts', () => {
    const strategy = find(make({ rollout: { maxSurge: 1, maxUnavailable: 0 } }).objects, 'Deployment', 'app-deployment').spec.strategy;
    expect(strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
  });
  test('percentages', () => {
    const strategy = find(make({ rollout: { maxSurge: '50%', maxUnavailable: '10%' } }).objects, 'Deployment', 'app-deployment').spec.strategy;
    expect(strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '50%', maxUnavailable: '10%' } });
  });
  test('both zero is refused, as counts or percentages', () => {
    expect(build({ rollout: { maxSurge: 0, maxUnavailable: 0 } })).toThrow(invalid('test/App', 'rollout', { maxSurge: 0, maxUnavailable: 0 }));
    expect(build({ rollout: { maxSurge: '0%', maxUnavailable: 0 } })).toThrow(invalid('test/App', 'rollout', { maxSurge: '0%', maxUnavailable: 0 }));
    expect(build({ rollout: { maxSurge: '00%', maxUnavailable: '000%' } })).toThrow(invalid('test/App', 'rollout', { maxSurge: '00%', maxUnavailable: '000%' }));
  });
  test.each(['101%', '10', '-5%', 'half', '5.5%'])('maxSurge %j is refused', (value) => {
    expect(build({ rollout: { maxSurge: value } })).toThrow(invalid('test/App', 'rollout.maxSurge', value));
  });
  test.each([-1, 0.5])('maxUnavailable %p is refused', (value) => {
    expect(build({ rollout: { maxUnavailable: value } })).toThrow(invalid('test/App', 'rollout.maxUnavailable', value));
  });
});

describe('Service options', () => {
  test('serviceType NodePort with a fixed nodePort and a servicePort', () => {
    const service = find(make({ serviceType: ServiceType.NODE_PORT, nodePort: 30080, servicePort: 80 }).objects, 'Service', 'app-service');
    expect(service.spec.type).toBe('NodePort');
    expect(service.spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP', nodePort: 30080 }]);
  });
  test('LoadBalancer', () => {
    expect(find(make({ serviceType: ServiceType.LOAD_BALANCER }).objects, 'Service', 'app-service').spec.type).toBe('LoadBalancer');
  });
  test.each([ServiceType.NODE_PORT, ServiceType.LOAD_BALANCER])('%s: the policy admits every IPv4 address on each container port of the Service, by itself', (serviceType) => {
    const { objects } = make({ serviceType, servicePort: 80, extraPorts: [{ name: 'metrics', port: 9090 }] });
    expect(find(objects, 'Service', 'app-service').spec.ports.map((p: { port: number }) => p.port)).toEqual([80, 9090]);
    // The policy is on the pods' ports (8080, 9090), not the Service's (80): kube-proxy has translated the port by then.
    expect(find(objects, 'NetworkPolicy', 'app-network-policy').spec.ingress).toEqual([
      { from: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 8080, protocol: 'TCP' }, { port: 9090, protocol: 'TCP' }] },
    ]);
  });
  test('ClusterIP (the default) admits no address: only declared clients', () => {
    expect(find(make().objects, 'NetworkPolicy', 'app-network-policy').spec.ingress).toBeUndefined();
    expect(find(make({ serviceType: ServiceType.CLUSTER_IP }).objects, 'NetworkPolicy', 'app-network-policy').spec.ingress).toBeUndefined();
  });
  test('a NodePort with an Ingress admits both the addresses and the controller; edges declared later follow', () => {
    const chart = newChart();
    const client = new WebApp(chart, 'Client', { name: 'client', image: 'c:1' });
    const { app } = make({ serviceType: ServiceType.NODE_PORT, ingress: { controller: Peer.ingressController(), host: 'a.example.com' } }, chart);
    app.connections.allowFrom(client);
    expect(find(synth(chart), 'NetworkPolicy', 'app-network-policy').spec.ingress).toEqual([
      { from: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 8080, protocol: 'TCP' }] },
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }], ports: [{ port: 8080, protocol: 'TCP' }] },
      { from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'client' } } }], ports: [{ port: 8080, protocol: 'TCP' }] },
    ]);
  });
  test('nodePort out of range or with ClusterIP is refused', () => {
    expect(build({ serviceType: ServiceType.NODE_PORT, nodePort: 8080 })).toThrow(invalid('test/App', 'nodePort', 8080));
    expect(build({ serviceType: ServiceType.NODE_PORT, nodePort: 32768 })).toThrow(invalid('test/App', 'nodePort', 32768));
    expect(build({ nodePort: 30080 })).toThrow(/test\/App: invalid nodePort 30080: needs serviceType NodePort or LoadBalancer/);
  });
  test('ExternalName is not a Service type a WebApp can have', () => {
    expect(build({ serviceType: ServiceType.EXTERNAL_NAME })).toThrow(invalid('test/App', 'serviceType', 'ExternalName'));
  });
  test('service fields without a port are refused', () => {
    expect(build({ port: undefined, serviceType: ServiceType.NODE_PORT })).toThrow(invalid('test/App', 'serviceType', 'NodePort'));
    expect(build({ port: undefined, servicePort: 80 })).toThrow(invalid('test/App', 'servicePort', 80));
    expect(build({ port: undefined, serviceName: 'app' })).toThrow(invalid('test/App', 'serviceName', 'app'));
    expect(build({ port: undefined, nodePort: 30000 })).toThrow(invalid('test/App', 'nodePort', 30000));
    const ingress = { controller: Peer.ingressController(), host: 'a.example.com' };
    expect(build({ port: undefined, ingress })).toThrow(invalid('test/App', 'ingress', ingress));
  });
  test('serviceName names the Service exactly, e.g. as the host name clients use; serviceAddress follows it', () => {
    const { objects, app } = make({ serviceName: 'backend' });
    expect(find(objects, 'Service', 'backend').spec.selector).toEqual({ 'app.kubernetes.io/name': 'app' });
    expect(has(objects, 'Service', 'app-service')).toBe(false);
    expect(app.serviceAddress()).toBe('backend.default.svc.cluster.local:8080');
    const ingressed = make({ serviceName: 'web', ingress: { controller: Peer.ingressController(), host: 'a.example.com' } }).objects;
    expect(find(ingressed, 'Ingress', 'app-ingress').spec.rules[0].http.paths[0].backend.service.name).toBe('web');
  });
  test.each(['1backend', 'Backend', 'my_app', 'a'.repeat(64)])('serviceName %j is refused: not a DNS-1035 label', (serviceName) => {
    expect(build({ serviceName })).toThrow(invalid('test/App', 'serviceName', serviceName));
  });
  test('extraPorts: each on the container and the Service under its number and name; a client without ports is admitted on all', () => {
    const chart = newChart();
    const { objects } = make({ extraPorts: [{ name: 'metrics', port: 9100 }, { name: 'admin', port: 8081 }], servicePort: 80 }, chart);
    expect(find(objects, 'Service', 'app-service').spec.ports).toEqual([
      { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' },
      { name: 'metrics', port: 9100, targetPort: 'metrics', protocol: 'TCP' },
      { name: 'admin', port: 8081, targetPort: 'admin', protocol: 'TCP' },
    ]);
    expect(podSpec(find(objects, 'Deployment', 'app-deployment')).containers[0].ports).toEqual([
      { name: 'http', containerPort: 8080, protocol: 'TCP' },
      { name: 'metrics', containerPort: 9100, protocol: 'TCP' },
      { name: 'admin', containerPort: 8081, protocol: 'TCP' },
    ]);
    const withClient = newChart();
    const server = new WebApp(withClient, 'Server', { name: 'server', image: 's:1', port: 8080, extraPorts: [{ name: 'metrics', port: 9100 }] });
    const client = new WebApp(withClient, 'Client', { name: 'client', image: 'c:1' });
    client.connections.allowTo(server);
    client.connections.allowTo(server, 9100);
    expect(find(synth(withClient), 'NetworkPolicy', 'server-network-policy').spec.ingress.map((rule: { ports: { port: number }[] }) => rule.ports.map((p) => p.port)))
      .toEqual([[8080, 9100], [9100]]);
  });
  test('extraPorts that repeat a number or name, are no port or name, come without a port, or collide with servicePort are refused, all at once', () => {
    let error: PropsError | undefined;
    try {
      make({ extraPorts: [{ name: 'http', port: 9000 }, { name: 'b', port: 8080 }, { name: 'UPPER', port: 70000 }] });
    } catch (caught) {
      error = caught as PropsError;
    }
    expect(error?.problems.map((p) => [p.field, p.value])).toEqual([
      ['extraPorts[0]', { name: 'http', port: 9000 }],
      ['extraPorts[1]', { name: 'b', port: 8080 }],
      ['extraPorts[2].port', 70000],
      ['extraPorts[2].name', 'UPPER'],
    ]);
    expect(error?.problems[0].allowed).toBe('must differ in number and name from the container\'s other port http=8080');
    expect(build({ port: undefined, extraPorts: [{ name: 'b', port: 81 }] })).toThrow(invalid('test/App', 'extraPorts', [{ name: 'b', port: 81 }]));
    expect(build({ servicePort: 9100, extraPorts: [{ name: 'metrics', port: 9100 }] }))
      .toThrow(/test\/App: invalid servicePort 9100: must differ from the pods' other port metrics=9100, which the Service exposes on its own number/);
  });
  test('serviceAddress is host:port of the Service in the namespace', () => {
    expect(make({ servicePort: 80 }, newChart('shop')).app.serviceAddress()).toBe('app-service.shop.svc.cluster.local:80');
    expect(make().app.serviceAddress('corp.local')).toBe('app-service.default.svc.corp.local:8080');
    expect(() => make({ port: undefined }).app.serviceAddress()).toThrow(invalid('test/App', 'serviceAddress', 'app'));
  });
});

describe('ingress option', () => {
  test('adds an Ingress routing the host to the Service port', () => {
    const { objects, app } = make({ servicePort: 80, ingress: { controller: Peer.ingressController(), host: 'app.example.com', ingressClassName: 'nginx' } });
    const ingress = find(objects, 'Ingress', 'app-ingress');
    expect(ingress.spec.ingressClassName).toBe('nginx');
    expect(ingress.spec.rules).toEqual([{
      host: 'app.example.com',
      http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'app-service', port: { number: 80 } } } }] },
    }]);
    expect(allOf(objects, 'Service')).toHaveLength(1);
    expect(app.ingress!.name).toBe('app-ingress');
  });
});

describe('disruption budget and spreading', () => {
  test('a PodDisruptionBudget <name>-pdb selecting the pods', () => {
    const pdb = find(make({ replicas: 3, disruptionBudget: { maxUnavailable: 1 } }).objects, 'PodDisruptionBudget', 'app-pdb');
    expect(pdb.apiVersion).toBe('policy/v1');
    expect(pdb.spec).toEqual({
      maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': 'app' } }, unhealthyPodEvictionPolicy: 'AlwaysAllow',
    });
    expect(find(make({ replicas: 2, disruptionBudget: {} }).objects, 'PodDisruptionBudget', 'app-pdb').spec.maxUnavailable).toBe(1);
  });
  test('a budget on a single replica is refused when the app is synthesized', () => {
    const chart = newChart();
    new WebApp(chart, 'App', { name: 'app', image: 'app:1.0', port: 8080, disruptionBudget: { maxUnavailable: 1 } });
    expect(() => appManifests(App.of(chart) as App)).toThrow(invalidAtSynth('test/App/DisruptionBudget', 'replicas', 1));
  });
  test('a budget on a single replica is kept when an HpaPolicy created afterwards takes the replicas over', () => {
    const chart = newChart();
    const app = new WebApp(chart, 'App', { name: 'app', image: 'app:1.0', port: 8080, replicas: 1, disruptionBudget: {} });
    new HpaPolicy(chart, 'Hpa', { target: app, minReplicas: 2, maxReplicas: 4, cpuUtilization: 80 });
    const objects = appManifests(App.of(chart) as App)[0].objects;
    expect(find(objects, 'PodDisruptionBudget', 'app-pdb').spec.maxUnavailable).toBe(1);
    expect(find(objects, 'HorizontalPodAutoscaler', 'app-hpa').spec.minReplicas).toBe(2);
  });
  test('spreadAcrossNodes adds a best-effort topology spread over hostnames', () => {
    const spec = podSpec(find(make({ spreadAcrossNodes: true }).objects, 'Deployment', 'app-deployment'));
    expect(spec.topologySpreadConstraints).toEqual([{
      maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway',
      labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'app' } },
    }]);
    expect(podSpec(find(make().objects, 'Deployment', 'app-deployment')).topologySpreadConstraints).toBeUndefined();
  });
});

describe('network policy', () => {
  test('by default a policy admitting nothing but DNS until connections are declared', () => {
    const policy = find(make().objects, 'NetworkPolicy', 'app-network-policy');
    expect(policy.spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'app' } },
      policyTypes: ['Ingress', 'Egress'],
      egress: [CLUSTER_DNS_EGRESS_RULE],
    });
  });
  test('restrictEgress: false admits every outgoing connection, explicitly', () => {
    const policy = find(make({ restrictEgress: false }).objects, 'NetworkPolicy', 'app-network-policy');
    expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(policy.spec.egress).toEqual([{}]);
  });
  test('networkPolicy: false creates none', () => {
    expect(has(make({ networkPolicy: false }).objects, 'NetworkPolicy', 'app-network-policy')).toBe(false);
  });
});

describe('validation', () => {
  test.each(['App', 'my_app', 'app-', 'a'.repeat(64)])('name %j is refused', (name) => {
    expect(build({ name })).toThrow(invalid('test/App', 'name', name));
  });
  test('a name whose Deployment name would exceed 63 characters is refused', () => {
    const name = 'a'.repeat(60);
    expect(build({ name })).toThrow(invalid('test/App', 'name (as "<name>-deployment")', `${name}-deployment`));
  });
  test('a name not starting with a letter cannot name a Service', () => {
    expect(build({ name: '1app' })).toThrow(invalid('test/App', 'service name (as "<name>-service")', '1app-service'));
    expect(build({ name: '1app', port: undefined })).not.toThrow();
  });
  test.each([0, 70000, -80, 80.5])('port %p is refused', (port) => {
    expect(build({ port })).toThrow(invalid('test/App', 'port', port));
  });
  test('negative or fractional replicas are refused', () => {
    expect(build({ replicas: -1 })).toThrow(invalid('test/App', 'replicas', -1));
    expect(build({ replicas: 1.5 })).toThrow(invalid('test/App', 'replicas', 1.5));
  });
  test('bad portName, labels and annotations are refused', () => {
    expect(build({ portName: 'HTTP' })).toThrow(invalid('test/App', 'portName', 'HTTP'));
    expect(build({ labels: { team: 'a b' } })).toThrow(invalid('test/App', 'labels["team"]', 'a b'));
    expect(build({ annotations: { 'bad key': 'x' } })).toThrow(invalid('test/App', 'annotations key', 'bad key'));
    expect(build({ podAnnotations: { 'a/b/c': 'x' } })).toThrow(invalid('test/App', 'podAnnotations key', 'a/b/c'));
  });
});

describe('a bad prop creates no objects', () => {
  test.each<[string, Partial<WebAppProps>]>([
    ['bad port', { port: 70000 }],
    ['bad container prop', { security: { runAsUser: 0 } }],
    ['nodePort with ClusterIP', { nodePort: 30080 }],
    ['nodePort out of range', { serviceType: ServiceType.NODE_PORT, nodePort: 80 }],
    ['bad ingress host', { ingress: { controller: Peer.ingressController(), host: 'Not A Host' } }],
    ['budget of zero', { replicas: 2, disruptionBudget: { maxUnavailable: 0 } }],
    ['selector label overridden', { labels: { 'app.kubernetes.io/name': 'other' } }],
  ])('%s', (_, props) => {
    const chart = newChart();
    expect(() => new WebApp(chart, 'App', { name: 'app', image: 'app:1.0', port: 8080, ...props })).toThrow(/^test\/App/);
    expect(synth(chart)).toEqual([]);
  });
});
