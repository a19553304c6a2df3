import { Testing } from 'cdk8s';
import { externalObjectsOf } from '../../lib/constructs/external-objects';
import { HabrStack } from '../../apps/habr/stack';
import { PROD, StageConfig } from '../../apps/habr/stages';
import { allOf, container, find, invalid, Obj, podSpec, synth } from '../helpers';

const stack = new HabrStack(Testing.app(), PROD);
const objects = synth(...stack.charts);
const deployments = allOf(objects, 'Deployment');
const workloads = [...deployments, ...allOf(objects, 'StatefulSet')];

describe('prod stage', () => {
  test('app images are pinned, from the registry, and never use pull policy Never', () => {
    for (const [name, tag] of [['backend-blue', 'backend:1.0.0'], ['backend-green', 'backend:1.1.0'], ['worker', 'worker:1.0.0'],
      ['frontend-blue', 'frontend:1.0.0'], ['frontend-green', 'frontend:1.1.0']]) {
      const c = container(find(objects, 'Deployment', `${name}-deployment`));
      expect(c.image).toBe(`registry.digitalocean.com/habr-app-demo/${tag}`);
      expect(c.imagePullPolicy).toBe('IfNotPresent');
    }
    for (const workload of workloads) {
      const c = container(workload);
      expect(c.imagePullPolicy).not.toBe('Never');
      expect(c.image).not.toMatch(/:latest$/);
      expect(c.image).toMatch(/:[^/]+$|@sha256:/);
    }
  });

  test('frontend and backend Services are ClusterIP', () => {
    expect(find(objects, 'Service', 'backend-service').spec.type).toBe('ClusterIP');
    expect(find(objects, 'Service', 'frontend-service').spec.type).toBe('ClusterIP');
    expect(allOf(objects, 'Service').every((s) => s.spec.type !== 'NodePort' && !s.spec.ports.some((p: Obj) => p.nodePort))).toBe(true);
  });

  test.each([
    ['frontend-route', 'habr-demo.example.com', 'frontend-service', 40002],
    ['backend-route', 'api.habr-demo.example.com', 'backend-service', 40001],
  ] as const)('%s routes %s through the platform Gateway\'s https listener (TLS there) to %s', (name, host, service, port) => {
    const route = find(objects, 'HTTPRoute', name);
    expect(route.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(route.spec).toEqual({
      parentRefs: [{ name: 'public', namespace: 'gateway-system', sectionName: 'https' }],
      hostnames: [host],
      rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: service, port, weight: 1 }] }],
    });
  });

  test('no Ingress: ingress-nginx was retired, prod routes only through the Gateway API', () => {
    expect(allOf(objects, 'Ingress')).toEqual([]);
    expect(allOf(objects, 'HTTPRoute').map((r) => r.metadata.name)).toEqual(['backend-route', 'backend-www-redirect-route', 'frontend-route', 'frontend-www-redirect-route']);
  });

  test('the NetworkPolicies of backend and frontend admit the Gateway\'s data plane, and nothing of ingress-nginx', () => {
    const dataPlane = {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'gateway-system' } },
      podSelector: { matchLabels: { 'gateway.networking.k8s.io/gateway-name': 'public' } },
    };
    for (const [app, port] of [['backend', 40001], ['frontend', 40002]] as const) {
      const rules = find(objects, 'NetworkPolicy', `${app}-network-policy`).spec.ingress as Obj[];
      expect(rules).toContainEqual({ from: [dataPlane], ports: [{ protocol: 'TCP', port }] });
    }
    expect(JSON.stringify(allOf(objects, 'NetworkPolicy'))).not.toMatch(/ingress-nginx/);
  });

  test('the Gateway and the Mongo Secret are external objects, not part of the output; no TLS Secret is ours', () => {
    expect(allOf(objects, 'Secret')).toEqual([]);
    expect(externalObjectsOf(stack.mongo)).toEqual([
      { kind: 'Secret', name: 'mongodb-secret', namespace: 'default' },
      { kind: 'Gateway', name: 'public', namespace: 'gateway-system' },
    ]);
  });

  test('backend and frontend are released blue/green: the Services select blue, the preview Services green', () => {
    for (const app of ['backend', 'frontend']) {
      expect(find(objects, 'Service', `${app}-service`).spec.selector).toEqual({ 'app.kubernetes.io/name': app, 'release.habr-k8s.io/version': 'blue' });
      expect(find(objects, 'Service', `${app}-preview-service`).spec.selector).toEqual({ 'app.kubernetes.io/name': app, 'release.habr-k8s.io/version': 'green' });
      expect(find(objects, 'Service', `${app}-preview-service`).spec.type).toBe('ClusterIP');
    }
    expect(stack.backend.serviceAddress()).toBe('backend-service.default.svc.cluster.local:40001');
  });

  test.each(['blue', 'green'])('backend HPA of version %s: 2 to 20 replicas, CPU 75% utilization, memory 400Mi average value', (version) => {
    const hpa = find(objects, 'HorizontalPodAutoscaler', `backend-${version}-hpa`);
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: `backend-${version}-deployment` },
      minReplicas: 2,
      maxReplicas: 20,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 75 } } },
        { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '400Mi' } } },
      ],
    });
  });

  test.each(['blue', 'green'])('frontend HPA of version %s: 2 to 10 replicas on CPU, and the frontend requests CPU', (version) => {
    const hpa = find(objects, 'HorizontalPodAutoscaler', `frontend-${version}-hpa`);
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: `frontend-${version}-deployment` });
    expect([hpa.spec.minReplicas, hpa.spec.maxReplicas]).toEqual([2, 10]);
    expect(hpa.spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 75 } } }]);
    expect(container(find(objects, 'Deployment', `frontend-${version}-deployment`)).resources.requests.cpu).toBeDefined();
  });

  test('autoscaled Deployments leave spec.replicas to the HPA; the others fix it', () => {
    const autoscaled = allOf(objects, 'HorizontalPodAutoscaler').map((h) => h.spec.scaleTargetRef.name).sort();
    expect(autoscaled).toEqual(['backend-blue-deployment', 'backend-green-deployment', 'frontend-blue-deployment', 'frontend-green-deployment']);
    for (const deployment of deployments) {
      if (autoscaled.includes(deployment.metadata.name)) expect(deployment.spec).not.toHaveProperty('replicas');
      else expect(deployment.spec.replicas).toBe(2);
    }
    expect(find(objects, 'StatefulSet', 'mongodb-statefulset').spec.replicas).toBe(1);
    expect(find(objects, 'StatefulSet', 'redis-statefulset').spec.replicas).toBe(1);
  });

  test('a PodDisruptionBudget for every multi-replica workload, never with maxUnavailable 0', () => {
    const budgets = allOf(objects, 'PodDisruptionBudget');
    expect(budgets.map((b) => b.metadata.name).sort()).toEqual(['backend-blue-pdb', 'backend-green-pdb', 'frontend-blue-pdb', 'frontend-green-pdb', 'worker-pdb']);
    for (const budget of budgets) {
      expect(budget.spec.maxUnavailable).toBe(1);
      expect(budget.spec.minAvailable).toBeUndefined();
      const workload = find(objects, 'Deployment', budget.metadata.name.replace(/-pdb$/, '-deployment'));
      expect(budget.spec.selector).toEqual(workload.spec.selector);
    }
  });

  test('multi-replica Deployments spread over nodes', () => {
    for (const deployment of deployments) {
      expect(podSpec(deployment).topologySpreadConstraints).toEqual([{
        maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: deployment.spec.selector,
      }]);
    }
  });

  test('rollouts: 10%/50% for backend and frontend, 0/1 for the worker', () => {
    const strategy = (name: string) => find(objects, 'Deployment', `${name}-deployment`).spec.strategy;
    for (const name of ['backend-blue', 'backend-green', 'frontend-blue', 'frontend-green']) {
      expect(strategy(name)).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '10%', maxSurge: '50%' } });
    }
    expect(strategy('worker')).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } });
  });

  test('Mongo data on a 10Gi claim, Redis on a 1Gi claim; every namespaced object in namespace default', () => {
    expect(find(objects, 'StatefulSet', 'mongodb-statefulset').spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('10Gi');
    expect(find(objects, 'StatefulSet', 'redis-statefulset').spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('1Gi');
    expect(objects.filter((o) => o.kind !== 'Namespace').every((o) => o.metadata.namespace === 'default')).toBe(true);
  });

  test('no test content is seeded in prod', () => {
    expect(allOf(objects, 'Job')).toEqual([]);
  });

  test.each([
    ['worker', 'registry.digitalocean.com/habr-app-demo/worker:latest'],
    ['mongo', 'mongo'],
  ] as const)('a prod stage with an unpinned %s image (%s) is refused, naming the field', (component, image) => {
    const stage: StageConfig = { ...PROD, images: { ...PROD.images, [component]: image } };
    // The check runs with the component's chart as scope, so the path is the chart id.
    expect(() => new HabrStack(Testing.app(), stage)).toThrow(invalid(component, `images.${component} (stage prod)`, image));
  });

  test('an unpinned image of a released version is refused too, naming the version', () => {
    const image = 'registry.digitalocean.com/habr-app-demo/frontend';
    const frontend = PROD.releases!.frontend!;
    const stage: StageConfig = { ...PROD, releases: { ...PROD.releases, frontend: { ...frontend, versions: { ...frontend.versions, green: { image } } } } };
    expect(() => new HabrStack(Testing.app(), stage)).toThrow(invalid('frontend', 'releases.frontend.versions.green.image (stage prod)', image));
  });

  test('switching to green is one changed line and changes only the Services\' selectors', () => {
    const backend = PROD.releases!.backend!;
    const green: StageConfig = { ...PROD, releases: { ...PROD.releases, backend: { ...backend, release: { strategy: 'blue-green', active: 'green' } } } };
    const switched = synth(...new HabrStack(Testing.app(), green).charts);
    const changed = switched.filter((object, i) => JSON.stringify(object) !== JSON.stringify(objects[i]));
    expect(changed.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['Service/backend-service', 'Service/backend-preview-service']);
  });

  test('the same image is fine in a stage that does not require pinning', () => {
    const stage: StageConfig = { ...PROD, requirePinnedImages: false, images: { ...PROD.images, backend: 'backend:latest' } };
    expect(() => new HabrStack(Testing.app(), stage)).not.toThrow();
  });
});
