/**
 * The prod stage on a fresh control plane: `kubectl apply --server-side -f dist/prod` after the
 * out-of-band Secret, as on a real cluster (where cert-manager would issue the TLS Secrets and a
 * metrics server would feed the HPAs; neither runs here).
 */
import { LocalCluster } from '../../tools/cluster/local-cluster';
import {
  applyFolder, expectCleanApply, endpointProblems, eventually, getJson, Json, objectsIn,
  PROD_DIST, rolloutFailures, startStackCluster, stopCluster,
} from './cluster';

let cluster: LocalCluster;
const prod = objectsIn(PROD_DIST);

beforeAll(async () => {
  cluster = await startStackCluster();
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

test('the multi-replica pods are spread over the simulated nodes', () => {
  const pods = getJson(cluster, ['pods', '-n', 'default', '-l', 'app.kubernetes.io/name=worker']).items as Json[];
  expect(new Set(pods.map((p) => p.spec.nodeName)).size).toBe(pods.length);
});

test('applying dist/prod again changes nothing', () => {
  const diff = cluster.kubectl(['diff', '--server-side', '-f', PROD_DIST]);
  expect(diff.stdout).toBe('');
  expect(diff.status).toBe(0);
});
