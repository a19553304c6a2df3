/**
 * The dev stage on a real control plane, applied as the README tells a user: the Secret by hand,
 * then `kubectl apply --server-side -f dist`. Pods run on kwok's simulated nodes: no image is
 * pulled and no container runs, but admission (PodSecurity enforce), scheduling, controllers,
 * rollouts and EndpointSlices are Kubernetes' own.
 */
import { ApiObject, App, JsonPatch } from 'cdk8s';
import * as fs from 'fs';
import * as path from 'path';
import { renderApp } from '../../lib/synth/synthesize';
import { HabrStack } from '../../apps/habr/stack';
import { DEV } from '../../apps/habr/stages';
import { LocalCluster } from '../../tools/cluster/local-cluster';
import {
  applyFolder, createOutOfBandSecret, createPersistentVolumes, DEV_DIST, endpointProblems, eventually, getJson, Json,
  objectsIn, PROD_DIST, ref, rolloutFailures, startCluster, stopCluster, temporaryFolder,
} from './cluster';

let cluster: LocalCluster;
const dev = objectsIn(DEV_DIST);

beforeAll(async () => {
  cluster = await startCluster();
  createPersistentVolumes(cluster, 4);
  createOutOfBandSecret(cluster);
});
afterAll(() => stopCluster(cluster, 'dev stage'));

/** Generation and spec of every object of the manifests, as the server holds them. */
function liveState(objects: readonly { kind: string; metadata?: { name?: string; namespace?: string } }[]): Record<string, string> {
  return Object.fromEntries(
    objects.map((o) => {
      const live = getJson(cluster, [ref(o as never), ...(o.metadata?.namespace ? ['-n', o.metadata.namespace] : [])]);
      return [ref(o as never), JSON.stringify({ generation: live.metadata.generation, labels: live.metadata.labels, spec: live.spec })];
    }),
  );
}

test('kubectl apply --server-side -f dist succeeds with no error and no warning', () => {
  const result = applyFolder(cluster, DEV_DIST);
  expect(result.stderr).toBe('');
  expect(result.warnings).toEqual([]);
  expect(result.status).toBe(0);
  // Every object of every file, in file order.
  expect(result.stdout.trim().split('\n')).toHaveLength(dev.length);
});

test('the namespace enforces the restricted Pod Security Standard', () => {
  const labels = getJson(cluster, ['namespace', 'default']).metadata.labels;
  expect(labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
});

test('every Deployment and StatefulSet rolls out: its pods were admitted under restricted and scheduled', () => {
  expect(rolloutFailures(cluster, dev)).toEqual([]);
  const pods = getJson(cluster, ['pods', '-n', 'default']).items as Json[];
  const spread = new Set(pods.map((p) => p.spec.nodeName));
  expect(spread.size).toBeGreaterThan(1);
});

test('the StatefulSet claims are bound to the volumes the setup provides', () => {
  const claims = getJson(cluster, ['pvc', '-n', 'default']).items as Json[];
  expect(claims.map((c) => `${c.metadata.name}=${c.status.phase}`)).toEqual(['data-mongodb-statefulset-0=Bound']);
});

test("the seed Job's pod is created and the Job completes on kwok", () => {
  const result = cluster.kubectl(['wait', '--for=condition=complete', 'job/seed-job', '-n', 'default', '--timeout=120s']);
  expect(result.stderr).toBe('');
  const pods = getJson(cluster, ['pods', '-n', 'default', '-l', 'batch.kubernetes.io/job-name=seed-job']).items as Json[];
  expect(pods.length).toBeGreaterThanOrEqual(1);
});

test("each Service's EndpointSlices list exactly its workload's pods, on the port its targetPort names", async () => {
  const services = dev.filter((o) => o.kind === 'Service');
  expect(services.map((s) => s.metadata?.name)).toEqual(['mongodb-service', 'redis-service', 'backend-service', 'frontend-service']);
  const problems = await eventually(() => services.flatMap((service) => endpointProblems(cluster, service, dev)));
  expect(problems).toEqual([]);
});

test('applying the same dist/ again changes nothing and raises no conflict', () => {
  const before = liveState(dev);
  const diff = cluster.kubectl(['diff', '--server-side', '-f', DEV_DIST]);
  expect(diff.stdout).toBe('');
  expect(diff.status).toBe(0);
  const again = applyFolder(cluster, DEV_DIST);
  expect(again.stderr).toBe('');
  expect(again.status).toBe(0);
  expect(liveState(dev)).toEqual(before);
});

test('a realistic change (replicas, image tag, env) applies without immutable-field errors and rolls out', async () => {
  const app = new App();
  const stack = new HabrStack(app, {
    ...DEV,
    images: { ...DEV.images, backend: 'docker.io/habr-app-demo/backend:1.1.0' },
    replicas: { ...DEV.replicas, backend: 3 },
  });
  ApiObject.of(stack.backend.deployment).addJsonPatch(
    JsonPatch.add('/spec/template/spec/containers/0/env/-', { name: 'LOG_LEVEL', value: 'debug' }),
  );
  const rendered = renderApp(app);
  expect(rendered.report.errors).toBe(0);
  const changed = temporaryFolder('habr-dev-changed-');
  for (const file of rendered.files) fs.writeFileSync(path.join(changed, file.file), file.content);

  const result = applyFolder(cluster, changed);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  expect(rolloutFailures(cluster, objectsIn(changed))).toEqual([]);
  const deployment = getJson(cluster, ['deployment/backend-deployment', '-n', 'default']);
  expect(deployment.spec.replicas).toBe(3);
  expect(deployment.status.updatedReplicas).toBe(3);
  const container = deployment.spec.template.spec.containers[0];
  expect(container.image).toBe('docker.io/habr-app-demo/backend:1.1.0');
  expect(container.env).toContainEqual({ name: 'LOG_LEVEL', value: 'debug' });
  const problems = await eventually(() => endpointProblems(cluster, objectsIn(changed).find((o) => o.metadata?.name === 'backend-service')!, objectsIn(changed)));
  expect(problems).toEqual([]);
});

test('dist/prod applied over a running dev stage: what a user sees', () => {
  const result = applyFolder(cluster, PROD_DIST);
  // Prod keeps Redis on a volume claim; a StatefulSet's volumeClaimTemplates are immutable, so the
  // server refuses that one object and applies every other one.
  const refused = result.stderr.split('\n').filter((line) => line.startsWith('Error from server'));
  expect(refused).toHaveLength(1);
  expect(refused[0]).toContain('statefulsets.apps "redis-statefulset"');
  expect(result.stderr).toContain('updates to statefulset spec for fields other than');
  expect(result.status).not.toBe(0);
  const applied = result.stdout.trim().split('\n');
  expect(applied).toHaveLength(objectsIn(PROD_DIST).length - 1);
});
