// The stack imported from docker-compose.yml: one chart per service, applied after the services it depends on.
// Written once by `habr-k8s import compose` from docker-compose.yml; the code is yours now.

import { App, Chart } from 'cdk8s';
import { ServiceType } from 'cdk8s-plus-27';
import { declareExternalObject, MongoStatefulSet, RedisStatefulSet, RestrictedNamespace, WebApp } from '../../lib';
import { StageConfig } from './stages';

/**
 * The services of docker-compose.yml, after a platform chart (the namespace, which enforces the restricted Pod
 * Security Standard, and a default-deny ingress policy). Every Service is named as its compose service, so compose
 * host names such as `db:27017` keep working; `depends_on`, `links` and host names in env values became
 * connections (NetworkPolicy edges), and `depends_on` chart dependencies (the apply order).
 */
export class ComposeExampleStack {
  public readonly charts: readonly Chart[];
  public readonly db: MongoStatefulSet;
  public readonly cache: RedisStatefulSet;
  public readonly api: WebApp;
  public readonly web: WebApp;
  public readonly queue: WebApp;

  constructor(app: App, stage: StageConfig) {
    const platform = new Chart(app, 'platform');
    new RestrictedNamespace(platform, 'Namespace', { name: stage.namespace });
    const chart = (id: string, ...dependencies: Chart[]) => {
      const c = new Chart(app, id, { namespace: stage.namespace, disableResourceNameHashes: true });
      c.addDependency(platform, ...dependencies);
      return c;
    };
    const dbChart = chart('db');
    const cacheChart = chart('cache');
    const apiChart = chart('api', dbChart, cacheChart);
    const webChart = chart('web', apiChart);
    const queueChart = chart('queue', dbChart, cacheChart);
    this.charts = [platform, dbChart, cacheChart, apiChart, webChart, queueChart];

    this.db = new MongoStatefulSet(dbChart, 'Db', {
      name: 'db',
      serviceName: 'db',
      image: stage.images.db,
      storage: stage.storage.db,
      storageClassName: stage.storageClassName,
    });
    this.cache = new RedisStatefulSet(cacheChart, 'Cache', { name: 'cache', serviceName: 'cache', image: stage.images.cache });
    this.api = new WebApp(apiChart, 'Api', {
      name: 'api',
      serviceName: 'api',
      image: stage.images.api,
      imagePullPolicy: stage.builtImagePullPolicy,
      replicas: stage.replicas.api,
      port: 8000,
      serviceType: stage.publishPorts ? ServiceType.NODE_PORT : ServiceType.CLUSTER_IP,
      env: { SHOP_ENV: 'dev', SHOP_DB: 'db:27017' },
      readiness: { tcpSocket: {}, periodSeconds: 5 },
      security: { runAsUser: stage.runAsUser },
    });
    this.web = new WebApp(webChart, 'Web', {
      name: 'web',
      serviceName: 'web',
      image: stage.images.web,
      imagePullPolicy: stage.builtImagePullPolicy,
      replicas: stage.replicas.web,
      port: 3000,
      serviceType: stage.publishPorts ? ServiceType.NODE_PORT : ServiceType.CLUSTER_IP,
      env: { SHOP_API_URL: 'http://api:8000', PORT: '3000' },
      readiness: { tcpSocket: {}, periodSeconds: 5 },
      security: { runAsUser: stage.runAsUser },
    });
    this.queue = new WebApp(queueChart, 'Queue', {
      name: 'queue',
      image: stage.images.queue,
      imagePullPolicy: stage.builtImagePullPolicy,
      replicas: stage.replicas.queue,
      env: { SHOP_ENV: 'dev' },
      security: { runAsUser: stage.runAsUser },
    });

    // depends_on, links and host names in env values: each client may connect to those services, and nothing else can.
    this.api.connections.allowTo(this.db);
    this.api.connections.allowTo(this.cache);
    this.web.connections.allowTo(this.api);
    this.queue.connections.allowTo(this.db);
    this.queue.connections.allowTo(this.cache);

    // The root password: kubectl create secret generic mongodb-secret -n <namespace> --from-file=password.txt
    declareExternalObject(app, { kind: 'Secret', name: this.db.passwordSecretMount.secretName, namespace: stage.namespace });
  }
}
