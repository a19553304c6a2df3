/**
 * A habr-like compose file imported, its main.ts synthesized by `habr-k8s synth`, and applied as a user
 * would: `kubectl apply --server-side -f`, after the Mongo password Secret. Pods run on kwok's
 * simulated nodes, admitted by the restricted PodSecurity namespace the stack creates. So does the
 * `published` fixture: nginx on port 80 (its pod lowers net.ipv4.ip_unprivileged_port_start) and the
 * published ports of two StatefulSets, on NodePort Services of their own.
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
const PUBLISHED = 'published';
const publishedApp = path.join(REPO, 'apps', `.tmp-compose-cluster-published-${process.pid}`);
const publishedManifests = temporaryFolder('compose-import-published-');
let cluster: LocalCluster;

/** Imports a compose fixture into `out` and synthesizes it into `manifests`, as `habr-k8s synth` does. */
function importAndSynthesize(fixture: string, out: string, namespace: string, into: string): void {
  importCompose(path.join(REPO, 'test/fixtures/compose', fixture, 'docker-compose.yml'), { out, namespace });
  const run = runBin(REPO, ['synth', '--app', path.join(out, 'main.ts')], { OUTDIR: into });
  if (run.status !== 0) throw new Error(`the imported app ${fixture} did not synthesize:\n${run.stdout}${run.stderr}`);
}

beforeAll(async () => {
  importAndSynthesize('shop', app, NAMESPACE, manifests);
  importAndSynthesize(PUBLISHED, publishedApp, PUBLISHED, publishedManifests);
  cluster = await startCluster();
  // shop claims one volume, published two (app's and db's).
  createPersistentVolumes(cluster, 4);
});
afterAll(async () => {
  fs.rmSync(app, { recursive: true, force: true });
  fs.rmSync(publishedApp, { recursive: true, force: true });
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

describe('the published fixture: port 80 and StatefulSets\' published ports under the restricted level', () => {
  test('it applies with no error and no warning, after the platform file and the database password', () => {
    expect(applyFolder(cluster, path.join(publishedManifests, '00-platform.yaml')).stderr).toBe('');
    expect(getJson(cluster, ['namespace', PUBLISHED]).metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    cluster.kubectlOk(['create', 'secret', 'generic', 'db-secret', '-n', PUBLISHED, '--from-literal=password=cluster-suite-only']);
    const result = applyFolder(cluster, publishedManifests);
    expect(result.stderr).toBe('');
    expect(result.warnings).toEqual([]);
    expect(result.status).toBe(0);
  });

  test('the API server admits the pods, nginx\'s on port 80 with the sysctl net.ipv4.ip_unprivileged_port_start among them, and they roll out', () => {
    const objects = objectsIn(publishedManifests);
    expect(rolloutFailures(cluster, objects)).toEqual([]);
    const pods = getJson(cluster, ['pods', '-n', PUBLISHED]).items as Json[];
    const sysctls = Object.fromEntries(pods.map((pod) => [pod.metadata.labels['app.kubernetes.io/name'], pod.spec.securityContext.sysctls]));
    expect(sysctls).toEqual({
      proxy: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '80' }],
      app: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '22' }],
      db: undefined,
    });
    expect(pods.map((pod) => pod.spec.securityContext.runAsNonRoot)).toEqual([true, true, true]);
  });

  test('the control: the proxy\'s pod with a sysctl Pod Security does not allow (net.ipv4.ip_forward) is refused in that namespace', () => {
    const proxy = objectsIn(publishedManifests).find((o) => o.kind === 'Deployment' && o.metadata?.name === 'proxy-deployment')!;
    const template = (proxy.spec as Json).template;
    const spec = { ...template.spec, securityContext: { ...template.spec.securityContext, sysctls: [{ name: 'net.ipv4.ip_forward', value: '1' }] } };
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'forbidden-sysctl', namespace: PUBLISHED }, spec };
    const result = cluster.kubectl(['apply', '--server-side', '-f', '-'], JSON.stringify(pod));
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/pods "forbidden-sysctl" is forbidden: violates PodSecurity "restricted:[^"]+": forbidden sysctls \(net\.ipv4\.ip_forward\)/);
  });

  test('every published port is on a NodePort Service: the proxy\'s own, and app-nodeport and db-nodeport beside the headless ones', async () => {
    const objects = objectsIn(publishedManifests);
    const services = objects.filter((o) => o.kind === 'Service');
    const types = Object.fromEntries(services.map((s) => {
      const live = getJson(cluster, ['service', s.metadata!.name!, '-n', PUBLISHED]);
      return [s.metadata!.name!, `${live.spec.type}${live.spec.clusterIP === 'None' ? ' headless' : ''} ${live.spec.ports.map((p: Json) => `${p.port}${p.nodePort ? '/node' : ''}`).join(',')}`];
    }));
    expect(types).toEqual({
      'proxy': 'NodePort 80/node',
      'app': 'ClusterIP headless 3000,22',
      'app-nodeport': 'NodePort 3000/node,22/node',
      'db': 'ClusterIP headless 5432',
      'db-nodeport': 'NodePort 5432/node',
    });
    expect(await eventually(() => services.flatMap((service) => endpointProblems(cluster, service, objects)))).toEqual([]);
  });
});
