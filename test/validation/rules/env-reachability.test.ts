import { envReachability, hostsIn, serviceNamed } from '../../../lib/validation/rules/env-reachability';
import { buildIndex } from '../../../lib/validation/rule';
import { KubeObject } from '../../../lib/manifest/types';
import { container, deployment, networkPolicy, runRule, service, sourced, summarize, workload } from '../helpers';

describe('hostsIn', () => {
  it('reads host and port words, lists and URL authorities', () => {
    expect(hostsIn('db:5432', false)).toEqual([{ host: 'db', port: 5432 }]);
    expect(hostsIn('db.default.svc.cluster.local', false)).toEqual([{ host: 'db.default.svc.cluster.local', port: undefined }]);
    expect(hostsIn('kafka-0:9092,kafka-1:9092', false)).toEqual([{ host: 'kafka-0', port: 9092 }, { host: 'kafka-1', port: 9092 }]);
    expect(hostsIn('mongodb://root:s3cret@mongo:27017,mongo-1.mongo:27017/app?replicaSet=rs0', false))
      .toEqual([{ host: 'mongo', port: 27017 }, { host: 'mongo-1.mongo', port: 27017 }]);
    expect(hostsIn('redis://redis:6379', false)).toEqual([{ host: 'redis', port: 6379 }]);
    expect(hostsIn('http://backend:8080/api', false)).toEqual([{ host: 'backend', port: 8080 }]);
    expect(hostsIn('jdbc:postgresql://db/app', false)).toEqual([{ host: 'db', port: undefined }]);
    expect(hostsIn('-Dspring.datasource.url=jdbc:mysql://MySQL:3306/x -Xmx512m', false)).toEqual([{ host: 'mysql', port: 3306 }]);
  });

  it('takes a bare name only where the variable says it is an address', () => {
    expect(hostsIn('db', true)).toEqual([{ host: 'db', port: undefined }]);
    expect(hostsIn('db', false)).toEqual([]);
    expect(hostsIn('hello world', false)).toEqual([]);
    expect(hostsIn('', true)).toEqual([]);
    expect(hostsIn('/var/lib/data', true)).toEqual([]);
    expect(hostsIn('$(DB_HOST):5432', true)).toEqual([]);
    expect(hostsIn('connect to db now', true)).toEqual([]);
    expect(hostsIn('db, cache', true)).toEqual([{ host: 'db', port: undefined }, { host: 'cache', port: undefined }]);
    expect(hostsIn('root:pw@tcp(db:3306)/app', true)).toEqual([{ host: 'db', port: 3306 }]);
  });
});

describe('serviceNamed', () => {
  const index = buildIndex(sourced(
    service({ name: 'db', namespace: 'shop' }),
    service({ name: 'mongo', namespace: 'data', clusterIP: 'None' }),
    service({ name: 'cache', namespace: 'data' }),
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'data' } },
  ));
  it('resolves names as the pod\'s DNS search path and the cluster DNS do', () => {
    const named = (host: string, namespace = 'shop') => serviceNamed(index, host, namespace)?.label;
    expect(named('db')).toBe('Service shop/db');
    expect(named('db', 'data')).toBeUndefined();
    expect(named('db.shop')).toBe('Service shop/db');
    expect(named('db.shop.svc')).toBe('Service shop/db');
    expect(named('db.shop.svc.cluster.local')).toBe('Service shop/db');
    expect(named('db.shop.example.com')).toBeUndefined();
    expect(named('mongo-0.mongo', 'data')).toBe('Service data/mongo');
    expect(named('mongo-0.mongo.data.svc.cluster.local')).toBe('Service data/mongo');
    // Only a headless Service has pod names.
    expect(named('cache-0.cache.data')).toBeUndefined();
    expect(named('example.com')).toBeUndefined();
  });
});

const NS = 'shop';
const DENY = networkPolicy('default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }, NS);
const APP = { matchLabels: { 'app.kubernetes.io/name': 'app' } };
const DB = { matchLabels: { 'app.kubernetes.io/name': 'db' } };
/** The app's egress to the database and the database's ingress from the app, each on `port` (all ports when absent). */
const appOut = (port?: number) => networkPolicy('app', { podSelector: APP, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: DB }], ...(port ? { ports: [{ port }] } : {}) }] }, NS);
const dbIn = (port?: number) => networkPolicy('db', { podSelector: DB, ingress: [{ from: [{ podSelector: APP }], ...(port ? { ports: [{ port }] } : {}) }] }, NS);

function app(env: Record<string, unknown>[], extra: Record<string, unknown> = {}): KubeObject {
  return deployment({ name: 'app', namespace: NS, labels: { 'app.kubernetes.io/name': 'app' }, containers: [container({ name: 'main', env, ...extra })] });
}

const db = workload('StatefulSet', { name: 'db', namespace: NS, labels: { 'app.kubernetes.io/name': 'db' }, containers: [container({ ports: [{ containerPort: 5432, name: 'pg' }] })] });
const dbService = (options: { ports?: Record<string, unknown>[]; clusterIP?: string } = {}) =>
  service({ name: 'db', namespace: NS, selector: { 'app.kubernetes.io/name': 'db' }, ports: options.ports ?? [{ name: 'pg', port: 5432, targetPort: 'pg' }], clusterIP: options.clusterIP });
const run = (...objects: KubeObject[]) => runRule(envReachability, objects);

describe('env-reachability', () => {
  it('reports a host:port the destination\'s policies refuse, naming workload, container, variable, host, port and the missing edge', () => {
    const findings = run(app([{ name: 'DB_HOST', value: 'db:5432' }]), db, dbService(), DENY, appOut());
    expect(summarize(findings)).toEqual([{ rule: 'env-reachability', path: 'spec.template.spec.containers[0].env[0].value', severity: 'error' }]);
    expect(findings[0]).toMatchObject({ object: 'Deployment shop/app', apiServer: 'accepts' });
    expect(findings[0].message).toContain('env DB_HOST of container main names host db, Service shop/db with port 5432 (container port 5432/TCP)');
    expect(findings[0].message).toContain('the ingress NetworkPolicies selecting StatefulSet db\'s pods (shop/default-deny) admit nothing from Deployment app\'s pods on port 5432/TCP');
    expect(findings[0].message).toContain('app.connections.allowTo(db) (or db.connections.allowFrom(app))');
    expect(findings[0].message).not.toContain('egress');
  });

  it('reports the source\'s egress when it is what refuses, and both sides when both do', () => {
    const egressOnly = run(app([{ name: 'DB_HOST', value: 'db:5432' }]), db, dbService(), DENY, dbIn());
    expect(egressOnly[0].message).toContain('the egress NetworkPolicies selecting Deployment app\'s pods (shop/default-deny) allow no connection to StatefulSet db\'s pods on port 5432/TCP');
    expect(egressOnly[0].message).not.toContain('ingress NetworkPolicies');
    const both = run(app([{ name: 'DB_HOST', value: 'db:5432' }]), db, dbService(), DENY);
    expect(both[0].message).toMatch(/egress NetworkPolicies .* and the ingress NetworkPolicies/);
  });

  it('passes a connection both ends allow, and any set without policies', () => {
    expect(run(app([{ name: 'DB_HOST', value: 'db:5432' }]), db, dbService(), DENY, appOut(5432), dbIn(5432))).toEqual([]);
    expect(run(app([{ name: 'DB_HOST', value: 'db:5432' }]), db, dbService())).toEqual([]);
  });

  it('checks the Service port\'s target: a port the policies do not admit is refused', () => {
    const findings = run(app([{ name: 'DATABASE_URL', value: 'postgres://u:p@db.shop.svc.cluster.local:5432/app' }]), db, dbService(), DENY, appOut(5433), dbIn(5433));
    expect(summarize(findings)).toEqual([{ rule: 'env-reachability', path: 'spec.template.spec.containers[0].env[0].value', severity: 'error' }]);
  });

  it('without a port, reports only when every port of the Service is refused', () => {
    const twoPorts = dbService({ ports: [{ name: 'pg', port: 5432, targetPort: 'pg' }, { name: 'metrics', port: 9187, targetPort: 9187 }] });
    expect(run(app([{ name: 'DB_HOST', value: 'db' }]), db, twoPorts, DENY, appOut(5432), dbIn(5432))).toEqual([]);
    const findings = run(app([{ name: 'DB_HOST', value: 'db' }]), db, twoPorts, DENY, appOut(6000), dbIn(6000));
    expect(findings[0].message).toContain('with no port, so any of its ports (container ports 5432/TCP, 9187/TCP)');
  });

  it('takes a bare name only in a variable named as an address', () => {
    expect(run(app([{ name: 'CACHE_DRIVER', value: 'db' }]), db, dbService(), DENY)).toEqual([]);
    expect(run(app([{ name: 'WORDPRESS_DB_HOST', value: 'db' }]), db, dbService(), DENY).map((f) => f.severity)).toEqual(['error']);
  });

  it('expands $(VAR) references to earlier variables', () => {
    const findings = run(app([{ name: 'DB_NAME', value: 'db' }, { name: 'DSN', value: 'tcp($(DB_NAME):5432)/x' }, { name: 'OTHER', value: '$(UNKNOWN):5432' }]), db, dbService(), DENY);
    expect(summarize(findings).map((f) => f.path)).toEqual(['spec.template.spec.containers[0].env[1].value']);
  });

  it('reads ConfigMap values: configMapKeyRef and envFrom (with its prefix)', () => {
    const config: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'config', namespace: NS }, data: { HOST: 'db', URL: 'redis://db:5432' } };
    const findings = run(app([{ name: 'DB_ADDR', valueFrom: { configMapKeyRef: { name: 'config', key: 'HOST' } } }], { envFrom: [{ configMapRef: { name: 'config' }, prefix: 'PG_' }] }), config, db, dbService(), DENY);
    expect(findings.map((f) => f.path)).toEqual([
      'spec.template.spec.containers[0].envFrom[0].configMapRef',
      'spec.template.spec.containers[0].envFrom[0].configMapRef',
      'spec.template.spec.containers[0].env[0].valueFrom.configMapKeyRef',
    ]);
    expect(findings[0].message).toContain('env PG_HOST of container main (from ConfigMap config key HOST) names host db');
    expect(findings[1].message).toContain('env PG_URL of container main (from ConfigMap config key URL) names host db, Service shop/db with port 5432');
  });

  it('connects to a headless Service\'s pods on the port given, and to a StatefulSet pod\'s own name', () => {
    const headless = dbService({ clusterIP: 'None' });
    expect(run(app([{ name: 'PGHOST', value: 'db-0.db:5432' }]), db, headless, DENY, appOut(5432), dbIn(5432))).toEqual([]);
    const sidecarPort = workload('StatefulSet', { name: 'db', namespace: NS, labels: { 'app.kubernetes.io/name': 'db' }, containers: [container({ ports: [{ containerPort: 5432 }, { containerPort: 6000 }] })] });
    expect(run(app([{ name: 'PGHOST', value: 'db-0.db:6000' }]), sidecarPort, headless, DENY, appOut(5432), dbIn(5432)).map((f) => f.severity)).toEqual(['error']);
    // A port neither the Service nor the pods name is no connection (an image tag: `db:7`).
    expect(run(app([{ name: 'DB_IMAGE', value: 'db:7' }]), db, headless, DENY)).toEqual([]);
  });

  it('leaves alone hosts that are not Services of the set, ExternalName Services, unknown Service ports and a pod\'s own Service', () => {
    expect(run(app([{ name: 'DB_HOST', value: 'db.example.com:5432' }]), db, dbService(), DENY)).toEqual([]);
    const external: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'db', namespace: NS }, spec: { type: 'ExternalName', externalName: 'db.example.com' } };
    expect(run(app([{ name: 'DB_HOST', value: 'db:5432' }]), db, external, DENY)).toEqual([]);
    expect(run(app([{ name: 'DB_HOST', value: 'db:5439' }]), db, dbService(), DENY)).toEqual([]);
    const self = service({ name: 'app', namespace: NS, selector: { 'app.kubernetes.io/name': 'app' }, ports: [{ name: 'http', port: 80 }] });
    expect(run(app([{ name: 'PUBLIC_URL', value: 'http://app:80' }]), self, DENY)).toEqual([]);
  });
});
