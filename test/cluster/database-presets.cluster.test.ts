/**
 * PostgresStatefulSet and MysqlStatefulSet (both flavours) applied to a real control plane, in a
 * namespace that enforces the restricted Pod Security Standard, with a WebApp client. kwok runs no
 * container, so what this shows is what the server decides: it admits the pods under *restricted*
 * (no warning), schedules them, binds their claims, and selects the objects by their labels.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { declareExternalObject, MysqlStatefulSet, PostgresStatefulSet, RestrictedNamespace, WebApp } from '../../lib';
import { PART_OF_LABEL } from '../../lib/constructs/labels';
import { KubeObject } from '../../lib/manifest/types';
import { renderApp } from '../../lib/render/synthesize';
import { LocalCluster } from '../../tools/cluster/local-cluster';
import {
  applyFolder, createPersistentVolumes, endpointProblems, eventually, expectCleanApply, getJson, Json, rolloutFailures, startCluster,
  stopCluster, temporaryFolder,
} from './cluster';

const NAMESPACE = 'shop';
const SECRETS = ['postgres-secret', 'mysql-secret', 'mariadb-secret'];
const manifests = temporaryFolder('database-presets-');
let cluster: LocalCluster;

/** A shop whose api talks to a PostgreSQL, a MySQL and a MariaDB server. */
function shopApp(): KubeObject[] {
  const app = new App();
  const labels = { [PART_OF_LABEL]: 'shop' };
  const platform = new Chart(app, 'platform', { labels });
  new RestrictedNamespace(platform, 'Namespace', { name: NAMESPACE });
  const chart = new Chart(app, 'databases', { namespace: NAMESPACE, labels, disableResourceNameHashes: true });
  chart.addDependency(platform);
  const postgres = new PostgresStatefulSet(chart, 'Postgres', { database: 'orders', storage: '1Gi' });
  const mysql = new MysqlStatefulSet(chart, 'Mysql', { database: 'catalog' });
  const mariadb = new MysqlStatefulSet(chart, 'Mariadb', { flavour: 'mariadb', database: 'reviews' });
  const api = new WebApp(chart, 'Api', { name: 'api', image: 'registry.example.com/shop/api:2.0.1', port: 8080, secretMounts: [postgres.passwordSecretMount] });
  for (const server of [postgres, mysql, mariadb]) api.connections.allowTo(server);
  for (const secretName of SECRETS) declareExternalObject(app, { kind: 'Secret', name: secretName, namespace: NAMESPACE });
  const rendered = renderApp(app);
  expect(rendered.report.errors).toBe(0);
  for (const file of rendered.files) fs.writeFileSync(path.join(manifests, file.file), file.content);
  return rendered.objects.map((o) => o.object);
}

let objects: KubeObject[];

beforeAll(async () => {
  objects = shopApp();
  cluster = await startCluster();
  createPersistentVolumes(cluster, 4);
});
afterAll(() => stopCluster(cluster, 'database presets'));

test('the namespace first, then the password Secrets by hand, as for the Mongo preset', () => {
  const platform = applyFolder(cluster, path.join(manifests, '00-platform.yaml'));
  expect(platform.stderr).toBe('');
  expect(getJson(cluster, ['namespace', NAMESPACE]).metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  for (const secretName of SECRETS) {
    cluster.kubectlOk(['create', 'secret', 'generic', secretName, '-n', NAMESPACE, '--from-literal=password=cluster-suite-only']);
  }
});

test('kubectl apply --server-side accepts every object, with no PodSecurity warning', () => {
  expectCleanApply(applyFolder(cluster, manifests), objects.length);
});

test('the three StatefulSets and the client roll out: their pods are admitted under restricted and scheduled', () => {
  expect(objects.filter((o) => o.kind === 'StatefulSet').map((o) => o.metadata?.name)).toEqual(['postgres-statefulset', 'mysql-statefulset', 'mariadb-statefulset']);
  expect(rolloutFailures(cluster, objects)).toEqual([]);
  const pods = getJson(cluster, ['pods', '-n', NAMESPACE]).items as Json[];
  expect(pods.map((p) => `${p.metadata.name} ${p.status.phase} ${p.spec.nodeName ? 'scheduled' : 'pending'}`).sort()).toEqual([
    expect.stringMatching(/^api-deployment-\S+ Running scheduled$/),
    'mariadb-statefulset-0 Running scheduled',
    'mysql-statefulset-0 Running scheduled',
    'postgres-statefulset-0 Running scheduled',
  ]);
  const runAs = Object.fromEntries(pods.map((p) => [p.metadata.labels['app.kubernetes.io/name'], p.spec.securityContext.runAsUser]));
  expect(runAs).toEqual({ api: 10001, mariadb: 999, mysql: 999, postgres: 999 });
});

test('each claim is bound, and carries the name label the StatefulSet controller copies from the selector', () => {
  const claims = getJson(cluster, ['pvc', '-n', NAMESPACE, '-l', 'app.kubernetes.io/name in (mariadb,mysql,postgres)']).items as Json[];
  expect(claims.map((c) => `${c.metadata.name}=${c.status.phase}`).sort()).toEqual([
    'data-mariadb-statefulset-0=Bound', 'data-mysql-statefulset-0=Bound', 'data-postgres-statefulset-0=Bound',
  ]);
});

test('the headless Services list their pods', async () => {
  const services = objects.filter((o) => o.kind === 'Service' && o.metadata?.name !== 'api-service');
  expect(services.map((s) => (s.spec as Json).clusterIP)).toEqual(['None', 'None', 'None']);
  expect(await eventually(() => services.flatMap((service) => endpointProblems(cluster, service, objects)))).toEqual([]);
});

test('kubectl get pdb,hpa,netpol -l app.kubernetes.io/name=postgres finds its NetworkPolicy', () => {
  const found = getJson(cluster, ['pdb,hpa,netpol', '-n', NAMESPACE, '-l', 'app.kubernetes.io/name=postgres']).items as Json[];
  expect(found.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['NetworkPolicy/postgres-network-policy']);
});

test('a StatefulSet applied before the recommended labels takes them: its claim templates do not change', () => {
  const set = objects.find((o) => o.kind === 'StatefulSet' && o.metadata?.name === 'postgres-statefulset')!;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const spec = set.spec as any;
  const nameOnly = { 'app.kubernetes.io/name': 'postgres' };
  const labelled = { ...set, metadata: { ...set.metadata, namespace: 'legacy' } };
  const before = {
    ...labelled,
    metadata: { ...labelled.metadata, labels: nameOnly },
    spec: { ...spec, template: { ...spec.template, metadata: { ...spec.template.metadata, labels: nameOnly } } },
  };
  cluster.kubectlOk(['create', 'namespace', 'legacy']);
  cluster.kubectlOk(['apply', '--server-side', '-f', '-'], JSON.stringify(before));
  const upgrade = cluster.kubectl(['apply', '--server-side', '-f', '-'], JSON.stringify(labelled));
  expect(upgrade.stderr).toBe('');
  expect(upgrade.status).toBe(0);
});
