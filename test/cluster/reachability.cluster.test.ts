/**
 * Reachability, proven by an independent reader of NetworkPolicies: np-guard's netpol-analyzer
 * (tools/netpol-analyzer, built from its pinned Go module like the cluster's binaries, hence in this
 * suite) lists the connections the written policies allow, and each app's list must equal the
 * connections its constructs declared (`intendedConnections`): nothing declared is blocked, nothing
 * else is open. No control plane is started: kwok enforces no policy, the analyzer reads them.
 *
 * One difference is how the analyzer models an Ingress, not a disagreement: it stands for the
 * controller by `{ingress-controller}`, an arbitrary pod, and since our policies admit only the
 * controller's own pods it lists no such route and warns instead. Those routes are compared as the
 * exposure edges from the controller's pods (`ingress-nginx/[all pods] => …`), and every warned
 * workload must be one the controller is admitted to.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { HabrStack } from '../../apps/habr/stack';
import { DEV, PROD } from '../../apps/habr/stages';
import { ComposeExampleStack } from '../../apps/compose-example/stack';
import { DEV as COMPOSE_EXAMPLE_DEV } from '../../apps/compose-example/stages';
import { ServiceType } from 'cdk8s-plus-27';
import { BatchJob, IngressedService, Peer, ReleasedWebApp, RestrictedNamespace, ScheduledJob, StatefulApp, WebApp } from '../../lib';
import { importCompose } from '../../lib/compose/import';
import { IntendedConnection, intendedConnections } from '../../lib/constructs/intended-connections';
import { synthesize } from '../../lib/render/synthesize';
import { analyzeFolder, ensureNetpolAnalyzer, FolderAnalysis } from '../../tools/netpol-analyzer/analyzer';
import { DEV_DIST, PROD_DIST, REPO, temporaryFolder } from './cluster';

jest.mock('habr-k8s', () => jest.requireActual('../../lib'), { virtual: true });

const CONTROLLER = 'ingress-nginx/[all pods]';
/** How the analyzer names every address outside the cluster. */
const EVERY_ADDRESS = '0.0.0.0-255.255.255.255';
let analyzer: string;

beforeAll(() => {
  analyzer = ensureNetpolAnalyzer();
});

/** The top-level YAML files of a committed output folder (dist/ also holds prod/ and helm/, which the analyzer would read too). */
function copyOfFolder(folder: string): string {
  const copy = temporaryFolder('reachability-');
  for (const file of fs.readdirSync(folder).filter((f) => f.endsWith('.yaml'))) fs.copyFileSync(path.join(folder, file), path.join(copy, file));
  return copy;
}

/** The app written by `synthesize` (validated, as `habr-k8s synth` writes it) into a fresh folder. */
function synthesized(app: App): string {
  const folder = path.join(temporaryFolder('reachability-'), 'out');
  synthesize(app, folder);
  return folder;
}

/** The App an entry point (`main.ts` ending in `app.synth()`) builds, caught at its `synth()`; each entry is loaded once. */
function appOfEntry(entry: string): App {
  let caught: App | undefined;
  const synth = jest.spyOn(App.prototype, 'synth').mockImplementation(function (this: App) {
    caught = this;
  });
  try {
    require(entry);
  } finally {
    synth.mockRestore();
  }
  if (!caught) throw new Error(`${entry} did not call app.synth()`);
  return caught;
}

const show = (connections: readonly { src: string; dst: string; ports: readonly string[] }[]) =>
  connections.map((c) => `${c.src} => ${c.dst} : ${c.ports.join(',')}`);

/** The analyzer's list equals the intended one; the Ingress routes it leaves out are ones the controller is admitted to. */
function expectIntended(analysis: FolderAnalysis, intended: readonly IntendedConnection[]): void {
  expect(show(analysis.connections)).toEqual(show(intended));
  const admitted = intended.filter((c) => c.src === CONTROLLER).map((c) => c.dst);
  expect(analysis.ingressBackendsClosedToAnyPod.filter((workload) => !admitted.includes(workload))).toEqual([]);
  expect(analysis.otherWarnings).toEqual([]);
}

describe('the habr demo: the committed dist/ against the stack\'s declared connections', () => {
  test('dev (dist/): the ingress controller reaches frontend (both canary versions) and backend, and so does every address through their NodePort Services', () => {
    const app = new App();
    new HabrStack(app, DEV);
    const intended = intendedConnections(app);
    const analysis = analyzeFolder(analyzer, copyOfFolder(DEV_DIST));
    expectIntended(analysis, intended);
    expect(show(analysis.connections.filter((c) => c.src === CONTROLLER))).toEqual([
      'ingress-nginx/[all pods] => default/backend-deployment[Deployment] : TCP 40001',
      'ingress-nginx/[all pods] => default/frontend-v1-deployment[Deployment] : TCP 40002',
      'ingress-nginx/[all pods] => default/frontend-v2-deployment[Deployment] : TCP 40002',
    ]);
    expect(analysis.ingressBackendsClosedToAnyPod).toEqual([
      'default/backend-deployment[Deployment]', 'default/frontend-v1-deployment[Deployment]', 'default/frontend-v2-deployment[Deployment]',
    ]);
    // The dev stage's Services are NodePorts (minikube): their pods admit every address, and nothing else outside the cluster reaches in.
    expect(show(analysis.connections.filter((c) => c.src === EVERY_ADDRESS))).toEqual([
      `${EVERY_ADDRESS} => default/backend-deployment[Deployment] : TCP 40001`,
      `${EVERY_ADDRESS} => default/frontend-v1-deployment[Deployment] : TCP 40002`,
      `${EVERY_ADDRESS} => default/frontend-v2-deployment[Deployment] : TCP 40002`,
    ]);
  });

  test('prod (dist/prod): the Gateway\'s data plane reaches both versions of frontend and backend', () => {
    const app = new App();
    new HabrStack(app, PROD);
    const analysis = analyzeFolder(analyzer, copyOfFolder(PROD_DIST));
    expectIntended(analysis, intendedConnections(app));
    expect(show(analysis.connections.filter((c) => c.src.startsWith('gateway-system/')))).toEqual([
      'gateway-system/[pod with {gateway.networking.k8s.io/gateway-name=public}] => default/backend-blue-deployment[Deployment] : TCP 40001',
      'gateway-system/[pod with {gateway.networking.k8s.io/gateway-name=public}] => default/backend-green-deployment[Deployment] : TCP 40001',
      'gateway-system/[pod with {gateway.networking.k8s.io/gateway-name=public}] => default/frontend-blue-deployment[Deployment] : TCP 40002',
      'gateway-system/[pod with {gateway.networking.k8s.io/gateway-name=public}] => default/frontend-green-deployment[Deployment] : TCP 40002',
    ]);
    // HTTPRoutes are not read by the analyzer (it skips them): the data plane's edges come from the policies alone.
    expect(analysis.ingressBackendsClosedToAnyPod).toEqual([]);
  });

  test('the oracle sees the policies: without the controller\'s rule in backend\'s policy, its route is gone from the list', () => {
    const folder = copyOfFolder(DEV_DIST);
    const backend = path.join(folder, '04-backend.yaml');
    const text = fs.readFileSync(backend, 'utf8');
    const controllerRule = '    - from:\n        - namespaceSelector:\n            matchLabels:\n              kubernetes.io/metadata.name: ingress-nginx\n      ports:\n        - port: 40001\n          protocol: TCP\n';
    expect(text).toContain(controllerRule);
    fs.writeFileSync(backend, text.replace(controllerRule, ''));
    const connections = show(analyzeFolder(analyzer, folder).connections);
    expect(connections).not.toContain('ingress-nginx/[all pods] => default/backend-deployment[Deployment] : TCP 40001');
    expect(connections).toContain('default/frontend-v1-deployment[Deployment] => default/backend-deployment[Deployment] : TCP 40001');
  });
});

test('every kind of edge intendedConnections models: across namespaces, labelled peers, an IngressedService, open egress, jobs', () => {
  const app = new App();
  const platform = new Chart(app, 'platform');
  new RestrictedNamespace(platform, 'Shop', { name: 'shop' });
  new RestrictedNamespace(platform, 'Batch', { name: 'batch' });
  const shop = new Chart(app, 'shop', { namespace: 'shop', disableResourceNameHashes: true });
  const batch = new Chart(app, 'batch', { namespace: 'batch', disableResourceNameHashes: true });
  const db = new StatefulApp(shop, 'Db', { name: 'db', image: 'postgres:16.4', port: 5432 });
  const api = new WebApp(shop, 'Api', { name: 'api', image: 'api:1', port: 8080 });
  new IngressedService(shop, 'Public', {
    name: 'public', target: api, host: 'shop.example.com', controller: Peer.ingressController('ingress-nginx', { 'app.kubernetes.io/component': 'controller' }),
  });
  const crawler = new WebApp(shop, 'Crawler', { name: 'crawler', image: 'crawler:1', restrictEgress: false });
  const report = new ScheduledJob(batch, 'Report', { name: 'report', image: 'report:1', schedule: '0 3 * * *' });
  const migrate = new BatchJob(batch, 'Migrate', { name: 'migrate', image: 'api:1' });
  for (const client of [api, report, migrate]) client.connections.allowTo(db);
  api.connections.allowFrom(crawler);
  db.connections.allowFrom(Peer.namespace('monitoring'), 5432);
  const intended = intendedConnections(app);
  expect(show(intended).filter((line) => line.startsWith('shop/crawler'))).toEqual([
    'shop/crawler-deployment[Deployment] => 0.0.0.0-255.255.255.255 : All Connections',
    'shop/crawler-deployment[Deployment] => entire-cluster : All Connections',
    'shop/crawler-deployment[Deployment] => shop/api-deployment[Deployment] : TCP 8080',
  ]);
  const analysis = analyzeFolder(analyzer, synthesized(app));
  expect(show(analysis.connections)).toEqual(show(intended));
  expect(analysis.ingressBackendsClosedToAnyPod).toEqual(['shop/api-deployment[Deployment]']);
  expect(analysis.otherWarnings).toEqual([]);
});

test('a NodePort WebApp and a LoadBalancer ReleasedWebApp are reached from every address on their Services\' ports, with no allowFrom of their own', () => {
  const app = new App();
  new RestrictedNamespace(new Chart(app, 'platform'), 'Shop', { name: 'shop' });
  const shop = new Chart(app, 'shop', { namespace: 'shop', disableResourceNameHashes: true });
  new WebApp(shop, 'Admin', { name: 'admin', image: 'admin:1', port: 9000, extraPorts: [{ name: 'metrics', port: 9090 }], serviceType: ServiceType.NODE_PORT, servicePort: 80 });
  new ReleasedWebApp(shop, 'Web', {
    name: 'web', port: 3000, serviceType: ServiceType.LOAD_BALANCER, versions: { blue: { image: 'web:1' }, green: { image: 'web:2' } }, release: { strategy: 'blue-green', active: 'blue' },
  });
  new WebApp(shop, 'Internal', { name: 'internal', image: 'internal:1', port: 8080 });
  const intended = intendedConnections(app);
  const analysis = analyzeFolder(analyzer, synthesized(app));
  expectIntended(analysis, intended);
  expect(show(analysis.connections.filter((c) => c.src === EVERY_ADDRESS))).toEqual([
    `${EVERY_ADDRESS} => shop/admin-deployment[Deployment] : TCP 9000,TCP 9090`,
    `${EVERY_ADDRESS} => shop/web-blue-deployment[Deployment] : TCP 3000`,
    `${EVERY_ADDRESS} => shop/web-green-deployment[Deployment] : TCP 3000`,
  ]);
});

test('examples/shop: the README\'s example', () => {
  const app = appOfEntry(path.join(REPO, 'examples/shop/main.ts'));
  const intended = intendedConnections(app);
  const analysis = analyzeFolder(analyzer, synthesized(app));
  expectIntended(analysis, intended);
  expect(analysis.ingressBackendsClosedToAnyPod).toEqual(['shop/api-deployment[Deployment]', 'shop/web-deployment[Deployment]']);
  // The nightly CronJob reaches the database and nothing but DNS.
  expect(show(analysis.connections.filter((c) => c.src.startsWith('shop/cart-cleanup')))).toEqual([
    'shop/cart-cleanup-cronjob[CronJob] => kube-system/[pod with {k8s-app=kube-dns}] : TCP 53,UDP 53',
    'shop/cart-cleanup-cronjob[CronJob] => shop/postgres-statefulset[StatefulSet] : TCP 5432',
  ]);
});

test('the compose example (apps/compose-example, stage dev)', () => {
  const app = new App();
  new ComposeExampleStack(app, COMPOSE_EXAMPLE_DEV);
  expectIntended(analyzeFolder(analyzer, synthesized(app)), intendedConnections(app));
});

describe.each(fs.readdirSync(path.join(REPO, 'test/fixtures/compose')).sort())('the compose fixture %s, imported', (fixture) => {
  const appDir = path.join(REPO, 'apps', `.tmp-reachability-${fixture}-${process.pid}`);
  afterAll(() => fs.rmSync(appDir, { recursive: true, force: true }));

  test('its policies allow exactly the connections its generated stack declares', () => {
    importCompose(path.join(REPO, 'test/fixtures/compose', fixture, 'docker-compose.yml'), { out: appDir, namespace: fixture });
    const app = appOfEntry(path.join(appDir, 'main.ts'));
    const intended = intendedConnections(app);
    expect(intended.length).toBeGreaterThan(0);
    expectIntended(analyzeFolder(analyzer, synthesized(app)), intended);
  });
});
