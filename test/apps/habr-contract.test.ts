import { Testing } from 'cdk8s';
import { externalObjectsOf } from '../../lib/constructs/external-objects';
import { expectContract, HABR_IMAGE_CONTRACT } from '../../apps/habr/contract';
import { HabrStack } from '../../apps/habr/stack';
import { DEV, StageConfig } from '../../apps/habr/stages';
import { allOf, container, envOf, find, mountAt, Obj, podSpec, synth } from '../helpers';

/**
 * The `dev` stage against the habr demo's app contract (what the images hard-code). The facts
 * are written out here, not read from the contract document.
 */
function synthStage(stage: StageConfig): { stack: HabrStack; objects: Obj[] } {
  const stack = new HabrStack(Testing.app(), stage);
  return { stack, objects: synth(...stack.charts) };
}

const { stack, objects } = synthStage(DEV);
const mongo = find(objects, 'StatefulSet', 'mongodb-statefulset');
const redis = find(objects, 'StatefulSet', 'redis-statefulset');
const backend = find(objects, 'Deployment', 'backend-deployment');
const worker = find(objects, 'Deployment', 'worker-deployment');
// The dev stage releases the frontend by an ingress-nginx canary: v1 is the stable version
// frontend-service selects, v2 the canary; both must meet the contract.
const frontend = find(objects, 'Deployment', 'frontend-v1-deployment');
const frontendCanary = find(objects, 'Deployment', 'frontend-v2-deployment');
const workloads = { mongo, redis, backend, worker, frontend };
const appImages = { backend, worker, frontend };

describe('names and namespace', () => {
  test('every object is in namespace default', () => {
    const namespaced = objects.filter((o) => o.kind !== 'Namespace');
    expect(namespaced.length).toBeGreaterThan(0);
    for (const object of namespaced) expect([object.kind, object.metadata.name, object.metadata.namespace]).toEqual([object.kind, object.metadata.name, 'default']);
  });
  test('namespace default enforces the restricted Pod Security Standard, so every pod must meet it', () => {
    const namespace = find(objects, 'Namespace', 'default');
    expect(namespace.metadata.namespace).toBeUndefined();
    expect(namespace.metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'v1.27',
    });
  });
  test('Mongo: mongodb-statefulset governed by the headless mongodb-service on 27017', () => {
    expect(mongo.spec.serviceName).toBe('mongodb-service');
    const service = find(objects, 'Service', 'mongodb-service');
    expect(service.spec.clusterIP).toBe('None');
    expect(service.spec.ports.map((p: Obj) => p.port)).toEqual([27017]);
    expect(service.spec.selector).toEqual({ 'app.kubernetes.io/name': 'mongodb' });
    expect(mongo.spec.template.metadata.labels).toMatchObject(service.spec.selector);
    expect(container(mongo).ports.map((p: Obj) => p.containerPort)).toEqual([27017]);
    expect(stack.mongo.podDnsName(0)).toBe('mongodb-statefulset-0.mongodb-service.default.svc.cluster.local');
  });
  test('Redis: redis-statefulset governed by the headless redis-service on 6379', () => {
    expect(redis.spec.serviceName).toBe('redis-service');
    const service = find(objects, 'Service', 'redis-service');
    expect(service.spec.clusterIP).toBe('None');
    expect(service.spec.ports.map((p: Obj) => p.port)).toEqual([6379]);
    expect(service.spec.selector).toEqual({ 'app.kubernetes.io/name': 'redis' });
    expect(redis.spec.template.metadata.labels).toMatchObject(service.spec.selector);
    expect(stack.redis.podAddress(0)).toBe('redis-statefulset-0.redis-service.default.svc.cluster.local:6379');
  });
  test('backend-service exposes 40001 and frontend-service 40002, on the ports the containers listen on', () => {
    for (const [name, workload, port] of [['backend-service', backend, 40001], ['frontend-service', frontend, 40002]] as const) {
      const service = find(objects, 'Service', name);
      expect(service.spec.ports).toHaveLength(1);
      expect(service.spec.ports[0].port).toBe(port);
      const target = container(workload).ports.find((p: Obj) => p.name === service.spec.ports[0].targetPort);
      expect(target.containerPort).toBe(port);
      expect(service.spec.selector).toEqual(workload.spec.selector.matchLabels);
    }
  });
  test('the worker has no port and no Service', () => {
    expect(container(worker).ports).toBeUndefined();
    const services = allOf(objects, 'Service');
    expect(services.map((s) => s.metadata.name).sort()).toEqual(['backend-service', 'frontend-canary-service', 'frontend-service', 'mongodb-service', 'redis-service']);
    expect(services.some((s) => s.spec.selector['app.kubernetes.io/name'] === 'worker')).toBe(false);
  });
});

describe('images', () => {
  test.each([
    ['backend', 'docker.io/habr-app-demo/backend:latest'],
    ['worker', 'docker.io/habr-app-demo/worker:latest'],
    ['frontend', 'docker.io/habr-app-demo/frontend:latest'],
  ] as const)('%s runs %s with imagePullPolicy Never', (name, image) => {
    expect(container(appImages[name])).toMatchObject({ image, imagePullPolicy: 'Never' });
  });
  test('mongo:6.0.6 and redis:7.0.11-alpine', () => {
    expect(container(mongo).image).toBe('mongo:6.0.6');
    expect(container(redis).image).toBe('redis:7.0.11-alpine');
  });
});

describe('env', () => {
  const values = (workload: Obj) => Object.fromEntries(Object.entries(envOf(workload)).map(([k, v]) => [k, v.value]));
  test('backend and worker: APP_ENV=k8s_secrets', () => {
    expect(values(backend)).toEqual({ APP_ENV: 'k8s_secrets' });
    expect(values(worker)).toEqual({ APP_ENV: 'k8s_secrets' });
  });
  test('frontend: APP_ENV=k8s, APP_FRONTEND_PORT="40002", APP_BACKEND_URL host:port without scheme', () => {
    expect(values(frontend)).toEqual({
      APP_ENV: 'k8s',
      APP_FRONTEND_PORT: '40002',
      APP_BACKEND_URL: 'backend-service.default.svc.cluster.local:40001',
    });
  });
  test('mongo: root user and the password file', () => {
    expect(values(mongo)).toEqual({
      MONGO_INITDB_ROOT_USERNAME: 'root',
      MONGO_INITDB_ROOT_PASSWORD_FILE: '/run/secrets/mongodb/password.txt',
    });
  });
});

describe('the mongodb-secret', () => {
  test.each(['mongo', 'backend', 'worker'] as const)('is mounted read-only at /run/secrets/mongodb in %s', (name) => {
    const { mount, volume } = mountAt(workloads[name], '/run/secrets/mongodb');
    expect(mount.readOnly).toBe(true);
    expect(volume!.secret.secretName).toBe('mongodb-secret');
    expect(volume!.secret.items).toBeUndefined();
  });
  test('is not mounted in the frontend or redis', () => {
    for (const workload of [frontend, redis]) {
      expect((podSpec(workload).volumes ?? []).some((v: Obj) => v.secret)).toBe(false);
    }
  });
  test('is not part of the output (created out of band) but listed as external', () => {
    expect(allOf(objects, 'Secret')).toEqual([]);
    expect(externalObjectsOf(stack.mongo)).toEqual([{ kind: 'Secret', name: 'mongodb-secret', namespace: 'default' }]);
  });
});

test('Mongo keeps /data/db on a 100Mi ReadWriteOnce claim', () => {
  const { mount, volume } = mountAt(mongo, '/data/db');
  expect(volume).toBeUndefined();
  const claim = mongo.spec.volumeClaimTemplates.find((c: Obj) => c.metadata.name === mount.name);
  expect(claim.spec.accessModes).toEqual(['ReadWriteOnce']);
  expect(claim.spec.resources.requests.storage).toBe('100Mi');
});

describe('ingress', () => {
  test.each([
    ['frontend-ingress', 'frontend.localhost', 'frontend-service', 40002],
    ['backend-ingress', 'backend.localhost', 'backend-service', 40001],
  ] as const)('%s routes %s to %s:%d with the www redirect', (name, host, service, port) => {
    const ingress = find(objects, 'Ingress', name);
    expect(ingress.metadata.annotations['nginx.ingress.kubernetes.io/from-to-www-redirect']).toBe('true');
    expect(ingress.spec.ingressClassName).toBe('nginx');
    expect(ingress.spec.rules).toHaveLength(1);
    expect(ingress.spec.rules[0].host).toBe(host);
    expect(ingress.spec.rules[0].http.paths).toEqual([{ path: '/', pathType: 'Prefix', backend: { service: { name: service, port: { number: port } } } }]);
    expect(ingress.spec.tls).toBeUndefined();
  });
  test('the two Ingresses of the article, and the frontend canary on frontend.localhost', () => {
    expect(allOf(objects, 'Ingress').map((i) => i.metadata.name).sort()).toEqual(['backend-ingress', 'frontend-canary-ingress', 'frontend-ingress']);
    const canary = find(objects, 'Ingress', 'frontend-canary-ingress');
    expect(canary.metadata.annotations).toEqual({ 'nginx.ingress.kubernetes.io/canary': 'true', 'nginx.ingress.kubernetes.io/canary-weight': '20' });
    expect(canary.spec.ingressClassName).toBe('nginx');
    expect(canary.spec.rules).toEqual([{ host: 'frontend.localhost', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'frontend-canary-service', port: { number: 40002 } } } }] } }]);
    const service = find(objects, 'Service', 'frontend-canary-service');
    expect(service.spec.selector).toEqual(frontendCanary.spec.selector.matchLabels);
    expect(service.spec.ports).toEqual([{ name: 'http', port: 40002, protocol: 'TCP', targetPort: 'http' }]);
  });
  test('the canary version runs the same container as the stable one (the same contract) but its own image, with 1 replica', () => {
    expect(container(frontendCanary).image).toBe('docker.io/habr-app-demo/frontend:v2');
    expect({ ...container(frontendCanary), image: undefined }).toEqual({ ...container(frontend), image: undefined });
    expect(container(frontendCanary).imagePullPolicy).toBe('Never');
    expect(frontendCanary.spec.replicas).toBe(1);
  });
  test('frontend and backend Services are NodePort', () => {
    expect(find(objects, 'Service', 'frontend-service').spec.type).toBe('NodePort');
    expect(find(objects, 'Service', 'backend-service').spec.type).toBe('NodePort');
  });
  test('the network policies admit any address to both NodePorts, the ingress controller to both, and the frontend to the backend', () => {
    const froms = (name: string) => find(objects, 'NetworkPolicy', name).spec.ingress.map((rule: Obj) => rule.from[0]);
    const controller = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } };
    // `minikube service frontend --url` goes through the node port: from outside the cluster, or from a node after kube-proxy's rewrite.
    const anyAddress = { ipBlock: { cidr: '0.0.0.0/0' } };
    expect(froms('frontend-network-policy')).toEqual([anyAddress, controller]);
    expect(froms('backend-network-policy')).toEqual([anyAddress, controller, { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'frontend' } } }]);
    const clients = ['backend', 'worker', 'seed'].map((name) => ({ podSelector: { matchLabels: { 'app.kubernetes.io/name': name } } }));
    expect(froms('mongodb-network-policy')).toEqual(clients);
    expect(froms('redis-network-policy')).toEqual(clients);
  });
});

test('replicas: backend 2, frontend 2, worker 2, mongo 1, redis 1; no HPA', () => {
  expect([backend, frontend, worker, mongo, redis].map((w) => w.spec.replicas)).toEqual([2, 2, 2, 1, 1]);
  expect(allOf(objects, 'HorizontalPodAutoscaler')).toEqual([]);
});

describe('probes the real processes can pass', () => {
  const probes = (workload: Obj) => ['livenessProbe', 'readinessProbe', 'startupProbe'].map((p) => container(workload)[p]).filter(Boolean);
  test('backend: no httpGet probe at all (it has no health endpoint)', () => {
    expect(probes(backend).length).toBeGreaterThan(0);
    for (const probe of probes(backend)) {
      expect(probe.httpGet).toBeUndefined();
      expect(probe.tcpSocket.port).toBe('http');
    }
  });
  test('worker: no probe with a port', () => {
    for (const probe of probes(worker)) {
      expect(probe.httpGet).toBeUndefined();
      expect(probe.tcpSocket).toBeUndefined();
    }
  });
  test('frontend: liveness is not httpGet (it answers 500 while the backend is down)', () => {
    expect(container(frontend).livenessProbe).toBeDefined();
    expect(container(frontend).livenessProbe.httpGet).toBeUndefined();
  });
  test('every port-based probe names a port the container declares', () => {
    for (const workload of Object.values(workloads)) {
      const declared = (container(workload).ports ?? []).map((p: Obj) => p.name);
      for (const probe of probes(workload)) {
        const port = probe.tcpSocket?.port ?? probe.httpGet?.port;
        if (port !== undefined) expect(declared).toContain(port);
      }
    }
  });
});

describe('security defaults on every pod', () => {
  test.each(Object.keys(workloads) as (keyof typeof workloads)[])('%s: non-root with an explicit non-zero uid, restricted container', (name) => {
    const workload = workloads[name];
    const pod = podSpec(workload).securityContext;
    expect(pod.runAsNonRoot).toBe(true);
    expect(pod.runAsUser).toBeGreaterThan(0);
    expect(pod.runAsGroup).toBeGreaterThan(0);
    expect(pod.fsGroup).toBeGreaterThan(0);
    expect(pod.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    expect(podSpec(workload).automountServiceAccountToken).toBe(false);
    expect(container(workload).securityContext).toEqual({
      allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] },
    });
  });
  test.each(Object.keys(appImages) as (keyof typeof appImages)[])('%s (an app image) has /tmp writable on an emptyDir', (name) => {
    expect(mountAt(appImages[name], '/tmp').volume).toEqual({ name: 'tmp', emptyDir: {} });
  });
  test('mongo runs as uid 999 and can write /tmp and /data/db', () => {
    expect(podSpec(mongo).securityContext).toMatchObject({ runAsUser: 999, runAsGroup: 999, fsGroup: 999 });
    expect(mountAt(mongo, '/tmp').volume).toEqual({ name: 'tmp', emptyDir: {} });
  });
  test('redis runs as its image user and can write /data', () => {
    expect(podSpec(redis).securityContext).toMatchObject({ runAsUser: 999, runAsGroup: 1000 });
    expect(mountAt(redis, '/data').volume).toEqual({ name: 'data', emptyDir: {} });
  });
});

describe('the stack refuses a stage that breaks the contract', () => {
  test('another namespace', () => {
    const stage = { ...DEV, namespace: 'habr' } as unknown as StageConfig;
    expect(() => new HabrStack(Testing.app(), stage)).toThrow(
      'habr stack: the namespace is "habr", but the demo images hard-code "default"; keep the names and the namespace of the app contract',
    );
  });
  test('no namespace (objects would land in whatever namespace kubectl uses)', () => {
    const stage = { ...DEV, namespace: undefined } as unknown as StageConfig;
    expect(() => new HabrStack(Testing.app(), stage)).toThrow(/^habr stack: the namespace is "undefined", but the demo images hard-code "default"/);
  });
  test('the address check names what differs', () => {
    expect(() => expectContract('the Mongo address', 'mongodb-0.mongo.default.svc.cluster.local:27017', HABR_IMAGE_CONTRACT.mongoAddress)).toThrow(
      /^habr stack: the Mongo address is "mongodb-0\.mongo\.default\.svc\.cluster\.local:27017", but the demo images hard-code "mongodb-statefulset-0\.mongodb-service\.default\.svc\.cluster\.local:27017"/,
    );
    expect(() => expectContract('x', 'a', 'a')).not.toThrow();
  });
  test('the contract constants are the facts of the app contract', () => {
    expect(HABR_IMAGE_CONTRACT).toEqual({
      namespace: 'default',
      mongoAddress: 'mongodb-statefulset-0.mongodb-service.default.svc.cluster.local:27017',
      redisAddress: 'redis-statefulset-0.redis-service.default.svc.cluster.local:6379',
      backendAddress: 'backend-service.default.svc.cluster.local:40001',
      backendPort: 40001,
      frontendPort: 40002,
      mongoRootUsername: 'root',
      passwordSecret: { secretName: 'mongodb-secret', key: 'password.txt', mountPath: '/run/secrets/mongodb' },
      appEnvWithSecrets: 'k8s_secrets',
      frontendAppEnv: 'k8s',
    });
  });
});
