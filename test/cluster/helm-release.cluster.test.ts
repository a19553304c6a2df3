/**
 * A release switched the Helm way, on a fresh control plane: `helm install` of the chart's defaults
 * (prod: backend and frontend blue/green, blue active), `helm upgrade --set backend.release.active=green`,
 * `helm rollback`. The live backend-service's EndpointSlices follow each step, helm reports no
 * error (an immutable field would fail the upgrade) and no Deployment's generation moves: the
 * switch is the Services' selectors only.
 */
import { LocalCluster } from '../../tools/cluster/local-cluster';
import { endpointVersionsBecome, eventually, getJson, Json, rolloutFailures, startCluster, stopCluster } from './cluster';
import { CHART, helm, helmTemplate, prepareForChart } from './helm';

let cluster: LocalCluster;
const rendered = helmTemplate();
const deployments = rendered.filter((o) => o.kind === 'Deployment').map((o) => o.metadata!.name as string);

/** The generation of every Deployment of the chart, by name. */
function generations(): Record<string, number> {
  return Object.fromEntries(deployments.map((name) => [name, getJson(cluster, [`deployment/${name}`, '-n', 'default']).metadata.generation as number]));
}

/**
 * Waits until every HPA has scaled its Deployment to its minReplicas: a scale moves the
 * Deployment's generation, which the switch must not, so the generations are compared after it.
 */
async function autoscaled(): Promise<string[]> {
  const autoscalers = rendered.filter((o) => o.kind === 'HorizontalPodAutoscaler').map((o) => o.spec as Json);
  return eventually(() => autoscalers.flatMap(({ scaleTargetRef, minReplicas }) => {
    const replicas = getJson(cluster, [`deployment/${scaleTargetRef.name}`, '-n', 'default']).spec.replicas;
    return replicas >= minReplicas ? [] : [`${scaleTargetRef.name}: ${replicas} replicas, its HPA's minimum is ${minReplicas}`];
  }), 120);
}

/** `version` once per pod its Deployment `<app>-<version>-deployment` runs now. */
function podsOf(app: string, version: string): string[] {
  const deployment: Json = getJson(cluster, [`deployment/${app}-${version}-deployment`, '-n', 'default']);
  return Array(deployment.spec.replicas as number).fill(version);
}

async function expectServing(app: string, active: string, preview: string): Promise<void> {
  expect(await endpointVersionsBecome(cluster, 'default', `${app}-service`, podsOf(app, active))).toEqual([]);
  expect(await endpointVersionsBecome(cluster, 'default', `${app}-preview-service`, podsOf(app, preview))).toEqual([]);
}

/** `helm <args>` against the cluster, which must succeed without a word on stderr (an immutable-field error would be one). */
function helmClean(args: readonly string[]): string {
  const result = helm(args, cluster.kubeconfig);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return result.stdout;
}

let installed: Record<string, number>;

beforeAll(async () => {
  cluster = await startCluster();
  prepareForChart(cluster);
});
afterAll(() => stopCluster(cluster, 'helm release'));

test('helm install with the defaults: both versions run, backend-service\'s EndpointSlices list blue\'s pods, the preview green\'s', async () => {
  expect(helmClean(['install', 'habr', CHART, '-n', 'default'])).toMatch(/STATUS: deployed/);
  expect(await autoscaled()).toEqual([]);
  expect(rolloutFailures(cluster, rendered)).toEqual([]);
  expect(deployments).toEqual(expect.arrayContaining(['backend-blue-deployment', 'backend-green-deployment']));
  await expectServing('backend', 'blue', 'green');
  await expectServing('frontend', 'blue', 'green');
  installed = generations();
});

test('helm upgrade --set backend.release.active=green: the EndpointSlices list green\'s pods; no Deployment changed', async () => {
  helmClean(['upgrade', 'habr', CHART, '-n', 'default', '--set', 'backend.release.active=green']);
  await expectServing('backend', 'green', 'blue');
  await expectServing('frontend', 'blue', 'green');
  expect(generations()).toEqual(installed);
  const selector = getJson(cluster, ['service/backend-service', '-n', 'default']).spec.selector;
  expect(selector).toEqual({ 'app.kubernetes.io/name': 'backend', 'release.habr-k8s.io/version': 'green' });
});

test('helm rollback habr 1: blue again, and still no Deployment changed', async () => {
  expect(helmClean(['rollback', 'habr', '1', '-n', 'default'])).toMatch(/Rollback was a success/);
  await expectServing('backend', 'blue', 'green');
  expect(generations()).toEqual(installed);
});
