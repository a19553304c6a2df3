/**
 * The chart in dist/helm/habr under the real helm, without a cluster: `helm lint`, what a `--set`
 * changes, what values.schema.json refuses, and the whole-app validation of what helm renders.
 * (That `helm template` renders dist/prod and dist/ object by object, and what the release values
 * switch, is in test/apps/habr-helm.test.ts, which runs wherever a helm binary is.)
 */
import * as path from 'path';
import { readManifestFolder } from '../../lib/manifest/load';
import { validateObjects } from '../../lib/validation';
import { DEV_UNPINNED_IMAGE_WARNINGS, findingLines } from '../helpers';
import { DEV_DIST, PROD_DIST } from './cluster';
import { byKey, CHART, changedFields, expectSchemaRefuses, helm, helmOk, helmTemplate, objectKey } from './helm';

const DEV_VALUES = path.join(CHART, 'values-dev.yaml');

test('helm lint passes with the default values and with values-dev.yaml', () => {
  expect(helmOk(['lint', '--strict', CHART])).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
  expect(helmOk(['lint', '--strict', CHART, '-f', DEV_VALUES])).toMatch(/0 chart\(s\) failed/);
});

test('the release name changes no object: the names the images hard-code stay fixed', () => {
  expect(helmTemplate([], 'another-release')).toEqual(helmTemplate());
});

test.each([
  ['replicas.worker=5', ['Deployment/default/worker-deployment spec.replicas']],
  // Backend and frontend run in versions, each with its own tag (backend.release.versions.<version>.tag).
  // The tag is also the app.kubernetes.io/version label of the worker's objects and pods.
  ['release=1.2.3', [
    'Deployment/default/worker-deployment spec.template.spec.containers.0.image',
    'Deployment/default/worker-deployment metadata.labels.app.kubernetes.io/version',
    'Deployment/default/worker-deployment spec.template.metadata.labels.app.kubernetes.io/version',
    'NetworkPolicy/default/worker-network-policy metadata.labels.app.kubernetes.io/version',
    'PodDisruptionBudget/default/worker-pdb metadata.labels.app.kubernetes.io/version',
  ]],
  ['hosts.frontend=shop.example.org', [
    'HTTPRoute/default/frontend-route spec.hostnames.0',
    // The www redirect follows the host: from www.<host>, to <host>.
    'HTTPRoute/default/frontend-www-redirect-route spec.hostnames.0',
    'HTTPRoute/default/frontend-www-redirect-route spec.rules.0.filters.0.requestRedirect.hostname',
  ]],
  ['autoscaling.backend.maxReplicas=40', [
    'HorizontalPodAutoscaler/default/backend-blue-hpa spec.maxReplicas',
    'HorizontalPodAutoscaler/default/backend-green-hpa spec.maxReplicas',
  ]],
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
  expect(changedFields(before, after)).toEqual([...fields].sort());
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
])('values.schema.json refuses %s before anything renders', (_what, args, message) => expectSchemaRefuses(args, message));

test('the dev profile takes latest images', () => {
  expect(helm(['template', 'habr', CHART, '-f', DEV_VALUES, '--set', 'release=latest']).status).toBe(0);
});

test.each([
  ['the defaults', [], PROD_DIST, []],
  // The dev stage's app images are built in minikube as `:latest`: its only findings, as synth reports them.
  ['values-dev.yaml', ['-f', DEV_VALUES], DEV_DIST, DEV_UNPINNED_IMAGE_WARNINGS],
  ['the defaults with knobs set', ['--set', 'replicas.worker=4,release=1.2.3,hosts.backend=api.example.org,storage.className=fast'], PROD_DIST, []],
])('what helm renders with %s passes the whole-app validation synth runs', (_what, args, dist, expected) => {
  const folder = readManifestFolder(dist, { recursive: false });
  const namespace = folder.objects.filter((s) => s.object.kind === 'Namespace').map((s) => s.object);
  const objects = [...namespace, ...helmTemplate(args)].map((object, order) => ({ object, source: 'helm template', order }));
  const report = validateObjects(objects, { externalObjects: folder.externalObjects });
  expect(findingLines(report.findings)).toEqual(expected);
});
