/**
 * The chart in dist/helm/habr under the real helm, without a cluster: `helm lint`, `helm template`
 * compared object by object with the stage it renders (prod by default, dev with values-dev.yaml;
 * each with one Deployment per component, as the chart has no release versions), what
 * a `--set` changes, what values.schema.json refuses, and the whole-app validation of what helm
 * renders.
 */
import * as path from 'path';
import { readManifestFolder } from '../../lib/manifest/load';
import { validateObjects } from '../../lib/validation';
import { KubeObject } from '../../lib/manifest/types';
import { renderStage } from '../../apps/habr/helm-chart';
import { DEV_DIST, PROD_DIST } from './cluster';
import { DEV, PROD } from '../../apps/habr/stages';
import { byKey, CHART, differences, helm, helmOk, helmTemplate, objectKey } from './helm';

const DEV_VALUES = path.join(CHART, 'values-dev.yaml');
/**
 * What synth writes for the stage the chart renders (the stage without its release versions), but
 * the Namespace `default`, which the chart leaves to the user (see docs/helm.md).
 */
const chartPart = (objects: readonly KubeObject[]) => objects.filter((o) => o.kind !== 'Namespace');
const stageObjects = (stage: typeof PROD) => renderStage(stage).objects.map((o) => o.object);

test('helm lint passes with the default values and with values-dev.yaml', () => {
  expect(helmOk(['lint', '--strict', CHART])).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
  expect(helmOk(['lint', '--strict', CHART, '-f', DEV_VALUES])).toMatch(/0 chart\(s\) failed/);
});

test('helm template with the default values renders exactly the objects of the prod stage, one Deployment per component', () => {
  expect(byKey(helmTemplate())).toEqual(byKey(chartPart(stageObjects(PROD))));
});

test('helm template -f values-dev.yaml renders exactly the objects of the dev stage, one Deployment per component', () => {
  expect(byKey(helmTemplate(['-f', DEV_VALUES]))).toEqual(byKey(chartPart(stageObjects(DEV))));
});

test('the release name changes no object: the names the images hard-code stay fixed', () => {
  expect(helmTemplate([], 'another-release')).toEqual(helmTemplate());
});

test.each([
  ['replicas.worker=5', ['Deployment/default/worker-deployment spec.replicas']],
  ['release=1.2.3', [
    // The images' tag, which is also the app.kubernetes.io/version label of each app's objects and pods.
    ...['backend', 'frontend', 'worker'].flatMap((app) => [
      `Deployment/default/${app}-deployment spec.template.spec.containers.0.image`,
      `Deployment/default/${app}-deployment metadata.labels.app.kubernetes.io/version`,
      `Deployment/default/${app}-deployment spec.template.metadata.labels.app.kubernetes.io/version`,
      `NetworkPolicy/default/${app}-network-policy metadata.labels.app.kubernetes.io/version`,
      `PodDisruptionBudget/default/${app}-pdb metadata.labels.app.kubernetes.io/version`,
    ]),
    ...['backend', 'frontend'].flatMap((app) => [
      `HTTPRoute/default/${app}-route metadata.labels.app.kubernetes.io/version`,
      `HorizontalPodAutoscaler/default/${app}-hpa metadata.labels.app.kubernetes.io/version`,
      `Service/default/${app}-service metadata.labels.app.kubernetes.io/version`,
    ]),
  ]],
  ['hosts.frontend=shop.example.org', ['HTTPRoute/default/frontend-route spec.hostnames.0']],
  ['autoscaling.backend.maxReplicas=40', ['HorizontalPodAutoscaler/default/backend-hpa spec.maxReplicas']],
  ['resources.worker.requests.cpu=200m', ['Deployment/default/worker-deployment spec.template.spec.containers.0.resources.requests.cpu']],
  ['storage.mongo=20Gi', ['StatefulSet/default/mongodb-statefulset spec.volumeClaimTemplates.0.spec.resources.requests.storage']],
  ['storage.className=fast', [
    'StatefulSet/default/mongodb-statefulset spec.volumeClaimTemplates.0.spec.storageClassName',
    'StatefulSet/default/redis-statefulset spec.volumeClaimTemplates.0.spec.storageClassName',
  ]],
])('--set %s changes exactly the fields it should', (set, fields) => {
  const before = byKey(helmTemplate());
  const after = byKey(helmTemplate(['--set', set]));
  expect(Object.keys(after)).toEqual(Object.keys(before));
  const changed = Object.keys(before).flatMap((k) => differences(before[k], after[k]).map((field) => `${k} ${field}`));
  expect(changed.sort()).toEqual([...fields].sort());
});

test('--set replicas.worker=5 sets the number itself, an integer', () => {
  const worker = helmTemplate(['--set', 'replicas.worker=5']).find((o) => objectKey(o) === 'Deployment/default/worker-deployment')!;
  expect((worker.spec as { replicas: unknown }).replicas).toBe(5);
});

test.each([
  ['negative replicas', ['--set', 'replicas.worker=-1'], /replicas\/worker|minimum/],
  ['an unpinned image in prod', ['--set', 'release=latest'], /release/],
  ['an unpinned mongo image in prod', ['--set', 'images.mongo.tag=latest'], /tag/],
  ['a host that is not a DNS name', ['--set', 'hosts.frontend=Not_A_Host'], /hosts\/frontend|pattern/],
  ['a knob the chart does not have', ['--set', 'replicas.mongo=3'], /additional propert|mongo/],
  ['an unknown profile', ['--set', 'profile=staging'], /profile/],
])('values.schema.json refuses %s before anything renders', (_what, args, message) => {
  const result = helm(['template', 'habr', CHART, ...args]);
  expect(result.status).not.toBe(0);
  expect(result.stderr).toMatch(/values don't meet the specifications of the schema/);
  expect(result.stderr).toMatch(message);
  expect(result.stdout).toBe('');
});

test('the dev profile takes latest images', () => {
  expect(helm(['template', 'habr', CHART, '-f', DEV_VALUES, '--set', 'release=latest']).status).toBe(0);
});

test.each([
  ['the defaults', [], PROD_DIST],
  ['values-dev.yaml', ['-f', DEV_VALUES], DEV_DIST],
  ['the defaults with knobs set', ['--set', 'replicas.worker=4,release=1.2.3,hosts.backend=api.example.org,storage.className=fast'], PROD_DIST],
])('what helm renders with %s passes the whole-app validation synth runs', (_what, args, dist) => {
  const folder = readManifestFolder(dist, { recursive: false });
  const namespace = folder.objects.filter((s) => s.object.kind === 'Namespace').map((s) => s.object);
  const objects = [...namespace, ...helmTemplate(args)].map((object, order) => ({ object, source: 'helm template', order }));
  const report = validateObjects(objects, { externalObjects: folder.externalObjects });
  expect(report.findings).toEqual([]);
});
