/**
 * The chart's life on a fresh control plane, as docs/helm.md tells a Helm user: label namespace
 * `default`, create the out-of-band Secret, then `helm install`, `helm upgrade --set …`,
 * `helm history` and `helm rollback`, checking the live objects after each step.
 */
import { LocalCluster } from '../../tools/cluster/local-cluster';
import { eventually, getJson, Json, ref, rolloutFailures, startCluster, stopCluster } from './cluster';
import { CHART, helm, helmOk, helmTemplate, prepareForChart } from './helm';

let cluster: LocalCluster;
const rendered = helmTemplate();

function workerReplicas(): number {
  return getJson(cluster, ['deployment/worker-deployment', '-n', 'default']).spec.replicas;
}

function history(): Json[] {
  return JSON.parse(helmOk(['history', 'habr', '-n', 'default', '-o', 'json'], cluster.kubeconfig));
}

beforeAll(async () => {
  cluster = await startCluster();
  prepareForChart(cluster);
});
afterAll(() => stopCluster(cluster, 'helm chart'));

test('helm install creates every object of the chart, and every workload rolls out under restricted', () => {
  const result = helm(['install', 'habr', CHART, '-n', 'default'], cluster.kubeconfig);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  expect(result.stdout).toMatch(/STATUS: deployed/);
  for (const object of rendered) {
    const live = getJson(cluster, [ref(object), '-n', 'default']);
    expect(live.metadata.annotations?.['meta.helm.sh/release-name']).toBe('habr');
  }
  expect(rolloutFailures(cluster, rendered)).toEqual([]);
  expect(workerReplicas()).toBe(2);
});

test('helm upgrade --set replicas.worker=3 scales the live worker, and only it', async () => {
  const before = getJson(cluster, ['deployment/backend-blue-deployment', '-n', 'default']).metadata.generation;
  const result = helm(['upgrade', 'habr', CHART, '-n', 'default', '--set', 'replicas.worker=3'], cluster.kubeconfig);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  expect(workerReplicas()).toBe(3);
  expect(rolloutFailures(cluster, rendered)).toEqual([]);
  const ready = await eventually(() => {
    const status = getJson(cluster, ['deployment/worker-deployment', '-n', 'default']).status;
    return status.readyReplicas === 3 ? [] : [`worker ready ${status.readyReplicas}`];
  });
  expect(ready).toEqual([]);
  expect(getJson(cluster, ['deployment/backend-blue-deployment', '-n', 'default']).metadata.generation).toBe(before);
});

test('helm history shows the two revisions', () => {
  expect(history().map((r) => [r.revision, r.status, r.description])).toEqual([
    [1, 'superseded', 'Install complete'],
    [2, 'deployed', 'Upgrade complete'],
  ]);
});

test('helm upgrade with a bad value is refused by the schema and changes nothing', () => {
  const result = helm(['upgrade', 'habr', CHART, '-n', 'default', '--set', 'replicas.worker=-1'], cluster.kubeconfig);
  expect(result.status).not.toBe(0);
  expect(result.stderr).toMatch(/values don't meet the specifications of the schema/);
  expect(workerReplicas()).toBe(3);
  expect(history()).toHaveLength(2);
});

test('helm rollback habr 1 puts the live worker back to 2 replicas', async () => {
  const result = helm(['rollback', 'habr', '1', '-n', 'default'], cluster.kubeconfig);
  expect(result.status).toBe(0);
  expect(result.stdout).toMatch(/Rollback was a success/);
  expect(workerReplicas()).toBe(2);
  expect(rolloutFailures(cluster, rendered)).toEqual([]);
  expect(history().map((r) => [r.revision, r.status])).toEqual([[1, 'superseded'], [2, 'superseded'], [3, 'deployed']]);
});
