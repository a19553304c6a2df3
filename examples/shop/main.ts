import { App, Chart } from 'cdk8s';
import {
  chartValues, declareExternalObject, HpaPolicy, Peer, RedisStatefulSet, RestrictedNamespace, ScheduledJob, StatefulApp, WebApp,
} from 'habr-k8s';

const namespace = 'shop';
const host = 'shop.example.com';
const tlsSecret = 'shop-tls';
const databaseSecret = 'shop-db';

const app = new App();
// What `habr-k8s helm` makes the values of a Helm chart; synth builds the app from them as they are.
const values = chartValues(app, { version: '1.4.2', webReplicas: 2 }, { name: 'shop' });
const chart = new Chart(app, 'shop', { namespace, disableResourceNameHashes: true });
new RestrictedNamespace(chart, 'Namespace', { name: namespace });

// The database keeps its files on a volume per pod; the official image runs as its postgres user (uid 70).
const database = new StatefulApp(chart, 'Database', {
  name: 'postgres',
  image: 'postgres:16.4-alpine',
  port: 5432,
  env: { PGDATA: '/var/lib/postgresql/data/pgdata', POSTGRES_PASSWORD_FILE: '/etc/shop-db/password' },
  secretMounts: [{ secretName: databaseSecret, mountPath: '/etc/shop-db' }],
  volumeClaims: [{ name: 'data', mountPath: '/var/lib/postgresql/data', storage: '5Gi' }],
  security: { runAsUser: 70, writablePaths: ['/tmp', '/var/run/postgresql'] },
  resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { memory: '1Gi' } },
  readiness: { exec: { command: ['pg_isready', '-U', 'postgres'] }, periodSeconds: 5 },
});
const cache = new RedisStatefulSet(chart, 'Cache', { name: 'redis' });

const tls = { secretName: tlsSecret };
const annotations = { 'cert-manager.io/cluster-issuer': 'letsencrypt' };
// ingress-nginx's pods: each app's NetworkPolicy admits them, since it refuses every peer not declared.
const controller = Peer.ingressController('ingress-nginx');
const api = new WebApp(chart, 'Api', {
  name: 'api',
  image: `ghcr.io/example/shop-api:${values.version}`,
  port: 8080,
  replicas: 2,
  env: {
    DATABASE_HOST: database.podDnsName(0),
    DATABASE_PASSWORD_FILE: '/etc/shop-db/password',
    REDIS_URL: `redis://${cache.podAddress(0)}`,
  },
  secretMounts: [{ secretName: databaseSecret, mountPath: '/etc/shop-db' }],
  readiness: { httpGet: { path: '/healthz' } },
  resources: { requests: { cpu: '200m', memory: '256Mi' }, limits: { memory: '512Mi' } },
  ingress: { host, path: '/api', ingressClassName: 'nginx', annotations, tls, controller },
});
const web = new WebApp(chart, 'Web', {
  name: 'web',
  image: `ghcr.io/example/shop-web:${values.version}`,
  port: 3000,
  replicas: values.webReplicas,
  env: { API_URL: api.serviceAddress() },
  readiness: { httpGet: { path: '/' } },
  ingress: { host, ingressClassName: 'nginx', annotations, tls, controller },
});
new HpaPolicy(chart, 'ApiAutoscaling', { target: api, minReplicas: 2, maxReplicas: 10, cpuUtilization: 70 });

// Every night, abandoned carts are removed by the API image's own command.
const cleanup = new ScheduledJob(chart, 'CartCleanup', {
  name: 'cart-cleanup',
  schedule: '0 3 * * *',
  image: `ghcr.io/example/shop-api:${values.version}`,
  command: ['shop-api', 'cleanup-carts', '--older-than=7d'],
  env: { DATABASE_HOST: database.podDnsName(0), DATABASE_PASSWORD_FILE: '/etc/shop-db/password' },
  secretMounts: [{ secretName: databaseSecret, mountPath: '/etc/shop-db' }],
});

for (const client of [api, cleanup]) client.connections.allowTo(database);
api.connections.allowTo(cache);
api.connections.allowFrom(web);

// Created outside this app: the password with `kubectl create secret`, the certificate by cert-manager.
declareExternalObject(app, { kind: 'Secret', name: databaseSecret, namespace });
declareExternalObject(app, { kind: 'Secret', name: tlsSecret, namespace });

app.synth();
