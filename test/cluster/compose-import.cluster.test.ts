/**
 * A habr-like compose file imported, its main.ts synthesized by `habr-k8s synth`, and applied as a user
 * would: `kubectl apply --server-side -f`, after the Mongo password Secret. Pods run on kwok's
 * simulated nodes, admitted by the restricted PodSecurity namespace the stack creates.
 */
import * as fs from 'fs';
import * as path from 'path';
import { importCompose } from '../../lib/compose/import';
import { LocalCluster } from '../../tools/cluster/local-cluster';
import { runBin } from '../outside-project';
import {
  applyFolder, createPersistentVolumes, endpointProblems, eventually, getJson, Json, objectsIn, REPO, rolloutFailures, startCluster,
  stopCluster, temporaryFolder,
} from './cluster';

const NAMESPACE = 'shop';
const app = path.join(REPO, 'apps', `.tmp-compose-cluster-${process.pid}`);
const manifests = temporaryFolder('compose-import-');
let cluster: LocalCluster;

beforeAll(async () => {
  importCompose(path.join(REPO, 'test/fixtures/compose/shop/docker-compose.yml'), { out: app, namespace: NAMESPACE });
  const run = runBin(REPO, ['synth', '--app', path.join(app, 'main.ts')], { OUTDIR: manifests });
  if (run.status !== 0) throw new Error(`the imported app did not synthesize:\n${run.stdout}${run.stderr}`);
  cluster = await startCluster();
  createPersistentVolumes(cluster, 2);
});
afterAll(async () => {
  fs.rmSync(app, { recursive: true, force: true });
  await stopCluster(cluster, 'compose import');
});

test('the platform file creates the restricted namespace; the Mongo Secret is created in it by hand', () => {
  const platform = applyFolder(cluster, path.join(manifests, '00-platform.yaml'));
  expect(platform.stderr).toBe('');
  expect(getJson(cluster, ['namespace', NAMESPACE]).metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  cluster.kubectlOk(['create', 'secret', 'generic', 'mongodb-secret', '-n', NAMESPACE, '--from-literal=password.txt=cluster-suite-only']);
});

test('kubectl apply --server-side -f <folder> succeeds with no error and no warning', () => {
  const result = applyFolder(cluster, manifests);
  expect(result.stderr).toBe('');
  expect(result.warnings).toEqual([]);
  expect(result.status).toBe(0);
  expect(result.stdout.trim().split('\n')).toHaveLength(objectsIn(manifests).length);
});

test('every Deployment and StatefulSet rolls out under the restricted Pod Security Standard', () => {
  const objects = objectsIn(manifests);
  expect(objects.filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet').map((o) => o.metadata?.name)).toEqual([
    'db-statefulset', 'cache-statefulset', 'api-deployment', 'web-deployment', 'queue-deployment',
  ]);
  expect(rolloutFailures(cluster, objects)).toEqual([]);
  const claims = getJson(cluster, ['pvc', '-n', NAMESPACE]).items as Json[];
  expect(claims.map((c) => `${c.metadata.name}=${c.status.phase}`)).toEqual(['data-db-statefulset-0=Bound']);
});

test('the compose host names are Services whose EndpointSlices list their workload\'s pods', async () => {
  const objects = objectsIn(manifests);
  const services = objects.filter((o) => o.kind === 'Service');
  expect(services.map((s) => s.metadata?.name)).toEqual(['db', 'cache', 'api', 'web']);
  expect(await eventually(() => services.flatMap((service) => endpointProblems(cluster, service, objects)))).toEqual([]);
});
