/**
 * The prod stage on a fresh control plane: `kubectl apply --server-side -f dist/prod` after the
 * out-of-band Secret and the Gateway API CRDs, as on a real cluster. A real cluster would also run
 * a Gateway controller (the platform's Gateway `gateway-system/public`, its data plane and its
 * certificate) and a metrics server for the HPAs; neither runs here. Without a Gateway controller
 * no route is accepted and no request flows, so the routes are checked for what holds without
 * one: stored as written (parent reference, hostnames, backends, weights) and wired to Services
 * whose EndpointSlices list exactly the pods of the version the release makes active.
 */
import { LocalCluster } from '../../tools/cluster/local-cluster';
import { PROD } from '../../apps/habr/stages';
import { RELEASE_VERSION_LABEL } from '../../lib/manifest/release-labels';
import { KubeObject } from '../../lib/manifest/types';
import {
  applyFolder, expectCleanApply, endpointProblems, eventually, getJson, installShippedCrds, Json, objectsIn,
  PROD_DIST, rolloutFailures, startStackCluster, stopCluster,
} from './cluster';

let cluster: LocalCluster;
const prod = objectsIn(PROD_DIST);

beforeAll(async () => {
  cluster = await startStackCluster();
  installShippedCrds(cluster);
});
afterAll(() => stopCluster(cluster, 'prod stage'));

test('kubectl apply --server-side -f dist/prod succeeds with no error and no warning', () => {
  expectCleanApply(applyFolder(cluster, PROD_DIST), prod.length);
});

test('every Deployment and StatefulSet rolls out under restricted', () => {
  expect(rolloutFailures(cluster, prod)).toEqual([]);
});

test('the Deployments an HPA scales leave replicas to it, and the HPA raises them to minReplicas', async () => {
  // Without spec.replicas in the manifest the API server defaults it to 1; the HPA controller brings
  // a target below minReplicas up to it before it reads any metric.
  // Backend and frontend are released blue/green: each version's Deployment has its own HPA.
  const autoscaled = prod.filter((o) => o.kind === 'HorizontalPodAutoscaler').map((h) => (h.spec as Json).scaleTargetRef.name as string);
  expect(autoscaled).toEqual(['backend-blue-deployment', 'backend-green-deployment', 'frontend-blue-deployment', 'frontend-green-deployment']);
  for (const name of autoscaled) {
    const deployment = getJson(cluster, [`deployment/${name}`, '-n', 'default', '--show-managed-fields']);
    const ownsReplicas = (deployment.metadata.managedFields as Json[]).some((f) => f.manager === 'kubectl' && JSON.stringify(f.fieldsV1).includes('"f:replicas"'));
    expect(ownsReplicas).toBe(false);
  }
  const problems = await eventually(() =>
    autoscaled.flatMap((name) => {
      const replicas = getJson(cluster, [`deployment/${name}`, '-n', 'default']).spec.replicas;
      return replicas === 2 ? [] : [`${name}: replicas ${replicas}`];
    }), 120);
  expect(problems).toEqual([]);
  expect(rolloutFailures(cluster, prod)).toEqual([]);
  expect(getJson(cluster, ['deployment/worker-deployment', '-n', 'default']).spec.replicas).toBe(2);
});

test('each HPA is accepted and finds its target; no metrics server runs, so it cannot compute a scale', async () => {
  const hpas = prod.filter((o) => o.kind === 'HorizontalPodAutoscaler');
  expect(hpas.map((h) => h.metadata?.name)).toEqual(['backend-blue-hpa', 'backend-green-hpa', 'frontend-blue-hpa', 'frontend-green-hpa']);
  const problems = await eventually(() =>
    hpas.flatMap((hpa) => {
      const live = getJson(cluster, [`hpa/${hpa.metadata?.name}`, '-n', 'default']);
      const conditions = (live.status?.conditions ?? []) as Json[];
      const ableToScale = conditions.find((c) => c.type === 'AbleToScale');
      const active = conditions.find((c) => c.type === 'ScalingActive');
      if (ableToScale?.status !== 'True') return [`${hpa.metadata?.name}: AbleToScale ${JSON.stringify(ableToScale)}`];
      if (active?.status !== 'False' || !/metrics/i.test(active.message ?? '')) return [`${hpa.metadata?.name}: ScalingActive ${JSON.stringify(active)}`];
      return [];
    }),
  );
  expect(problems).toEqual([]);
});

test('each PodDisruptionBudget counts exactly the pods of its workload', async () => {
  const budgets = prod.filter((o) => o.kind === 'PodDisruptionBudget');
  expect(budgets.length).toBe(5);
  const problems = await eventually(() =>
    budgets.flatMap((budget) => {
      const live = getJson(cluster, [`pdb/${budget.metadata?.name}`, '-n', 'default']);
      const selector = Object.entries(live.spec.selector.matchLabels as Record<string, string>).map(([k, v]) => `${k}=${v}`).join(',');
      const pods = (getJson(cluster, ['pods', '-n', 'default', '-l', selector]).items as Json[]).filter((p) => !p.metadata.deletionTimestamp);
      const expectedPods = live.status?.expectedPods;
      return expectedPods === pods.length && pods.length > 0 ? [] : [`${budget.metadata?.name}: expectedPods ${expectedPods}, pods ${pods.length}`];
    }),
  );
  expect(problems).toEqual([]);
});

test("each Service's EndpointSlices list exactly its workload's pods", async () => {
  const services = prod.filter((o) => o.kind === 'Service');
  const problems = await eventually(() => services.flatMap((service) => endpointProblems(cluster, service, prod)));
  expect(problems).toEqual([]);
});

/** The HTTPRoutes of the public hosts; the others redirect www.<host> (RequestRedirect, no backend). */
const isRedirect = (route: KubeObject) => (route.spec as Json).rules[0].filters?.[0]?.type === 'RequestRedirect';
const routesOf = (objects: readonly KubeObject[]) => objects.filter((o) => o.kind === 'HTTPRoute' && !isRedirect(o));

test('every HTTPRoute is stored as written: the platform Gateway\'s https listener, the public host, one backend', () => {
  const routes = routesOf(prod);
  expect(routes.map((r) => r.metadata?.name)).toEqual(['backend-route', 'frontend-route']);
  for (const route of routes) {
    const stored = getJson(cluster, [`httproute/${route.metadata?.name}`, '-n', 'default']);
    const spec = route.spec as Json;
    // The server defaults the group and kind of each reference; everything else is ours, unchanged.
    expect(stored.spec.parentRefs).toEqual(spec.parentRefs.map((ref: Json) => ({ group: 'gateway.networking.k8s.io', kind: 'Gateway', ...ref })));
    expect(stored.spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public', namespace: 'gateway-system', sectionName: 'https' }]);
    expect(stored.spec.hostnames).toEqual(spec.hostnames);
    expect(stored.spec.rules[0].backendRefs).toEqual(spec.rules[0].backendRefs.map((ref: Json) => ({ group: '', kind: 'Service', ...ref })));
    // No Gateway controller: nothing accepted the route, so it has no parent status.
    expect(stored.status?.parents ?? []).toEqual([]);
  }
});

test('the www redirect routes are stored as written: www.<host>, the same listener, a 301 to the host and no backend', () => {
  const redirects = prod.filter((o) => o.kind === 'HTTPRoute' && isRedirect(o));
  expect(redirects.map((r) => r.metadata?.name)).toEqual(['backend-www-redirect-route', 'frontend-www-redirect-route']);
  for (const route of redirects) {
    const stored = getJson(cluster, [`httproute/${route.metadata?.name}`, '-n', 'default']);
    const spec = route.spec as Json;
    expect(stored.spec.hostnames).toEqual(spec.hostnames);
    expect(stored.spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public', namespace: 'gateway-system', sectionName: 'https' }]);
    expect(stored.spec.rules[0].filters).toEqual(spec.rules[0].filters);
    expect(stored.spec.rules[0].backendRefs).toBeUndefined();
  }
});

test('each route\'s backend is the Service of the active version, whose EndpointSlices list exactly that version\'s Ready pods', async () => {
  const routes = routesOf(prod);
  const problems = await eventually(() => routes.flatMap((route) => {
    const app = route.metadata?.labels?.['app.kubernetes.io/name'] as 'backend' | 'frontend';
    const release = PROD.releases![app]!.release;
    const active = release.strategy === 'canary' ? release.stable : release.active;
    const backends = (route.spec as Json).rules[0].backendRefs as Json[];
    // Blue/green switches by the Service selector: the route's one backend takes every request.
    if (backends.length !== 1 || backends[0].weight !== 1) return [`${route.metadata?.name}: backends ${JSON.stringify(backends)}`];
    const service = prod.find((o) => o.kind === 'Service' && o.metadata?.name === backends[0].name);
    if (!service) return [`${route.metadata?.name}: no Service ${backends[0].name} in dist/prod`];
    const live = getJson(cluster, [`service/${backends[0].name}`, '-n', 'default']);
    if (!(live.spec.ports as Json[]).some((p) => p.port === backends[0].port)) return [`${route.metadata?.name}: Service ${backends[0].name} has no port ${backends[0].port}`];
    if (live.spec.selector?.[RELEASE_VERSION_LABEL] !== active) return [`${route.metadata?.name}: Service ${backends[0].name} selects ${JSON.stringify(live.spec.selector)}, not version ${active}`];
    // The live Service's EndpointSlices are exactly the Ready pods of the one Deployment it selects: the active version's.
    return endpointProblems(cluster, service, prod);
  }));
  expect(problems).toEqual([]);
});

test('the multi-replica pods are spread over the simulated nodes', () => {
  const pods = getJson(cluster, ['pods', '-n', 'default', '-l', 'app.kubernetes.io/name=worker']).items as Json[];
  expect(new Set(pods.map((p) => p.spec.nodeName)).size).toBe(pods.length);
});

test('applying dist/prod again changes nothing', () => {
  const diff = cluster.kubectl(['diff', '--server-side', '-f', PROD_DIST]);
  expect(diff.stdout).toBe('');
  expect(diff.status).toBe(0);
});
