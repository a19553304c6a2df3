import { Testing } from 'cdk8s';
import { externalObjectsOf } from '../../lib/external-objects';
import { HabrStack } from '../../apps/habr/stack';
import { PROD, StageConfig } from '../../apps/habr/stages';
import { allOf, container, find, invalid, Obj, podSpec, synth } from '../helpers';

const stack = new HabrStack(Testing.app(), PROD);
const objects = synth(...stack.charts);
const deployments = allOf(objects, 'Deployment');
const workloads = [...deployments, ...allOf(objects, 'StatefulSet')];

describe('prod stage', () => {
  test('app images are pinned, from the registry, and never use pull policy Never', () => {
    for (const name of ['backend', 'worker', 'frontend']) {
      const c = container(find(objects, 'Deployment', `${name}-deployment`));
      expect(c.image).toBe(`registry.digitalocean.com/habr-app-demo/${name}:1.0.0`);
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
    ['frontend-ingress', 'habr-demo.example.com', 'frontend-tls', 'frontend-service', 40002],
    ['backend-ingress', 'api.habr-demo.example.com', 'backend-tls', 'backend-service', 40001],
  ] as const)('%s serves %s over TLS from %s issued by cert-manager', (name, host, secretName, service, port) => {
    const ingress = find(objects, 'Ingress', name);
    expect(ingress.spec.tls).toEqual([{ hosts: [host], secretName }]);
    // No www redirect in prod: the certificate covers exactly the host that is served.
    expect(ingress.metadata.annotations).toEqual({ 'cert-manager.io/cluster-issuer': 'letsencrypt' });
    expect(ingress.spec.rules[0].host).toBe(host);
    expect(ingress.spec.rules[0].http.paths[0].backend).toEqual({ service: { name: service, port: { number: port } } });
  });

  test('the TLS Secrets are external objects, not part of the output', () => {
    expect(allOf(objects, 'Secret')).toEqual([]);
    expect(externalObjectsOf(stack.mongo).map((o) => o.name).sort()).toEqual(['backend-tls', 'frontend-tls', 'mongodb-secret']);
  });

  test('backend HPA: 2 to 20 replicas, CPU 75% utilization, memory 400Mi average value', () => {
    const hpa = find(objects, 'HorizontalPodAutoscaler', 'backend-hpa');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'backend-deployment' },
      minReplicas: 2,
      maxReplicas: 20,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 75 } } },
        { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '400Mi' } } },
      ],
    });
  });

  test('frontend HPA: 2 to 10 replicas on CPU, and the frontend requests CPU', () => {
    const hpa = find(objects, 'HorizontalPodAutoscaler', 'frontend-hpa');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'frontend-deployment' });
    expect([hpa.spec.minReplicas, hpa.spec.maxReplicas]).toEqual([2, 10]);
    expect(hpa.spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 75 } } }]);
    expect(container(find(objects, 'Deployment', 'frontend-deployment')).resources.requests.cpu).toBeDefined();
  });

  test('autoscaled Deployments leave spec.replicas to the HPA; the others fix it', () => {
    const autoscaled = allOf(objects, 'HorizontalPodAutoscaler').map((h) => h.spec.scaleTargetRef.name).sort();
    expect(autoscaled).toEqual(['backend-deployment', 'frontend-deployment']);
    for (const deployment of deployments) {
      if (autoscaled.includes(deployment.metadata.name)) expect(deployment.spec).not.toHaveProperty('replicas');
      else expect(deployment.spec.replicas).toBe(2);
    }
    expect(find(objects, 'StatefulSet', 'mongodb-statefulset').spec.replicas).toBe(1);
    expect(find(objects, 'StatefulSet', 'redis-statefulset').spec.replicas).toBe(1);
  });

  test('a PodDisruptionBudget for every multi-replica workload, never with maxUnavailable 0', () => {
    const budgets = allOf(objects, 'PodDisruptionBudget');
    expect(budgets.map((b) => b.metadata.name).sort()).toEqual(['backend-pdb', 'frontend-pdb', 'worker-pdb']);
    for (const budget of budgets) {
      expect(budget.spec.maxUnavailable).toBe(1);
      expect(budget.spec.minAvailable).toBeUndefined();
      const app = budget.metadata.name.replace(/-pdb$/, '');
      expect(budget.spec.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': app } });
    }
  });

  test('multi-replica Deployments spread over nodes', () => {
    for (const deployment of deployments) {
      const app = deployment.spec.selector.matchLabels['app.kubernetes.io/name'];
      expect(podSpec(deployment).topologySpreadConstraints).toEqual([{
        maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: { matchLabels: { 'app.kubernetes.io/name': app } },
      }]);
    }
  });

  test('rollouts: 10%/50% for backend and frontend, 0/1 for the worker', () => {
    const strategy = (name: string) => find(objects, 'Deployment', `${name}-deployment`).spec.strategy;
    expect(strategy('backend')).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '10%', maxSurge: '50%' } });
    expect(strategy('frontend')).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '10%', maxSurge: '50%' } });
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
    ['backend', 'registry.digitalocean.com/habr-app-demo/backend:latest'],
    ['frontend', 'registry.digitalocean.com/habr-app-demo/frontend'],
    ['mongo', 'mongo'],
  ] as const)('a prod stage with an unpinned %s image (%s) is refused, naming the field', (component, image) => {
    const stage: StageConfig = { ...PROD, images: { ...PROD.images, [component]: image } };
    // The check runs with the component's chart as scope, so the path is the chart id.
    expect(() => new HabrStack(Testing.app(), stage)).toThrow(invalid(component, `images.${component} (stage prod)`, image));
  });

  test('the same image is fine in a stage that does not require pinning', () => {
    const stage: StageConfig = { ...PROD, requirePinnedImages: false, images: { ...PROD.images, backend: 'backend:latest' } };
    expect(() => new HabrStack(Testing.app(), stage)).not.toThrow();
  });
});
