import { App, Chart } from 'cdk8s';
import { ServiceType } from 'cdk8s-plus-27';
import { BatchJob, intendedConnections, Peer, ReleasedWebApp, ScheduledJob, StatefulApp, WebApp } from '../../lib';

const show = (app: App) => intendedConnections(app).map((c) => `${c.src} => ${c.dst} : ${c.ports.join(',')}`);
const DNS = 'kube-system/[pod with {k8s-app=kube-dns}] : TCP 53,UDP 53';

function shop() {
  const app = new App();
  const chart = new Chart(app, 'shop', { namespace: 'shop', disableResourceNameHashes: true });
  const db = new StatefulApp(chart, 'Db', { name: 'db', image: 'postgres:16.4', port: 5432 });
  const api = new WebApp(chart, 'Api', {
    name: 'api', image: 'api:1', port: 8080, ingress: { host: 'shop.example.com', controller: Peer.ingressController('ingress', { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' }) },
  });
  return { app, chart, db, api };
}

describe('intendedConnections', () => {
  test('declared edges from each client workload to each server workload, the front\'s controller, and DNS from every workload', () => {
    const { app, chart, db, api } = shop();
    const cleanup = new ScheduledJob(chart, 'Cleanup', { name: 'cleanup', image: 'api:1', schedule: '0 3 * * *' });
    const migrate = new BatchJob(chart, 'Migrate', { name: 'migrate', image: 'api:1' });
    for (const client of [api, cleanup, migrate]) client.connections.allowTo(db);
    expect(show(app)).toEqual([
      // Pod labels sorted by key, as a label selector prints them.
      'ingress/[pod with {app.kubernetes.io/component=controller,app.kubernetes.io/name=ingress-nginx}] => shop/api-deployment[Deployment] : TCP 8080',
      `shop/api-deployment[Deployment] => ${DNS}`,
      'shop/api-deployment[Deployment] => shop/db-statefulset[StatefulSet] : TCP 5432',
      `shop/cleanup-cronjob[CronJob] => ${DNS}`,
      'shop/cleanup-cronjob[CronJob] => shop/db-statefulset[StatefulSet] : TCP 5432',
      `shop/db-statefulset[StatefulSet] => ${DNS}`,
      `shop/migrate-job[Job] => ${DNS}`,
      'shop/migrate-job[Job] => shop/db-statefulset[StatefulSet] : TCP 5432',
    ]);
  });

  test('a released app: every version\'s Deployment is an end; two edges between the same ends are one entry', () => {
    const { app, chart, api } = shop();
    const web = new ReleasedWebApp(chart, 'Web', {
      name: 'web', port: 3000, versions: { blue: { image: 'web:1' }, green: { image: 'web:2' } }, release: { strategy: 'blue-green', active: 'blue' },
    });
    api.connections.allowFrom(web);
    api.connections.allowFrom(web);
    expect(show(app).filter((line) => line.startsWith('shop/web'))).toEqual([
      `shop/web-blue-deployment[Deployment] => ${DNS}`,
      'shop/web-blue-deployment[Deployment] => shop/api-deployment[Deployment] : TCP 8080',
      `shop/web-green-deployment[Deployment] => ${DNS}`,
      'shop/web-green-deployment[Deployment] => shop/api-deployment[Deployment] : TCP 8080',
    ]);
  });

  test('a NodePort or LoadBalancer front lists every address on its ports, for each version of a released app', () => {
    const { app, chart } = shop();
    new WebApp(chart, 'Admin', { name: 'admin', image: 'admin:1', port: 9000, serviceType: ServiceType.NODE_PORT });
    new ReleasedWebApp(chart, 'Web', {
      name: 'web', port: 3000, serviceType: ServiceType.LOAD_BALANCER, versions: { blue: { image: 'web:1' }, green: { image: 'web:2' } }, release: { strategy: 'blue-green', active: 'blue' },
    });
    new StatefulApp(chart, 'Cache', { name: 'cache', image: 'redis:7.2.5', port: 6379 });
    expect(show(app).filter((line) => line.startsWith('0.0.0.0'))).toEqual([
      '0.0.0.0-255.255.255.255 => shop/admin-deployment[Deployment] : TCP 9000',
      '0.0.0.0-255.255.255.255 => shop/web-blue-deployment[Deployment] : TCP 3000',
      '0.0.0.0-255.255.255.255 => shop/web-green-deployment[Deployment] : TCP 3000',
    ]);
  });

  test('a client in another namespace, and a namespace peer', () => {
    const { app, api } = shop();
    const worker = new WebApp(new Chart(app, 'jobs', { namespace: 'jobs' }), 'Worker', { name: 'worker', image: 'w:1' });
    api.connections.allowFrom(worker);
    api.connections.allowFrom(Peer.namespace('monitoring'), 8080);
    expect(show(app)).toEqual(expect.arrayContaining([
      'jobs/worker-deployment[Deployment] => shop/api-deployment[Deployment] : TCP 8080',
      'monitoring/[all pods] => shop/api-deployment[Deployment] : TCP 8080',
    ]));
  });

  test('an IPv4 ipBlock peer is the address range the analyzer names; IPv6 is refused', () => {
    const { app, api } = shop();
    api.connections.allowFrom(Peer.ipBlock('0.0.0.0/0'), 8080);
    api.connections.allowFrom(Peer.ipBlock('10.1.2.3/8'), 8080);
    expect(show(app)).toEqual(expect.arrayContaining([
      '0.0.0.0-255.255.255.255 => shop/api-deployment[Deployment] : TCP 8080',
      '10.0.0.0-10.255.255.255 => shop/api-deployment[Deployment] : TCP 8080',
    ]));
    api.connections.allowFrom(Peer.ipBlock('::/0'), 8080);
    expect(() => intendedConnections(app)).toThrow('intendedConnections: only an IPv4 ipBlock without except is named here: {"cidr":"::/0"}');
  });

  test('restrictEgress: false: every destination, in the cluster and outside it, instead of DNS', () => {
    const app = new App();
    new WebApp(new Chart(app, 'c', { namespace: 'shop' }), 'Crawler', { name: 'crawler', image: 'c:1', restrictEgress: false });
    expect(show(app)).toEqual([
      'shop/crawler-deployment[Deployment] => 0.0.0.0-255.255.255.255 : All Connections',
      'shop/crawler-deployment[Deployment] => entire-cluster : All Connections',
    ]);
  });

  test('a workload without a NetworkPolicy is refused: nothing declares what may reach it', () => {
    const { app, chart } = shop();
    new WebApp(chart, 'Open', { name: 'open', image: 'o:1', port: 80, networkPolicy: false });
    expect(() => intendedConnections(app)).toThrow('intendedConnections: shop/Open has no NetworkPolicy (networkPolicy: false), so no declared edge says what may reach it');
  });
});
