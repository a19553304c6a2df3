/**
 * The dev stage on a real control plane, applied as docs/demo.md tells a user: the Secret by hand,
 * then `kubectl apply --server-side -f dist`. Pods run on kwok's simulated nodes: no image is
 * pulled and no container runs, but admission (PodSecurity enforce), scheduling, controllers,
 * rollouts and EndpointSlices are Kubernetes' own.
 */
import { ApiObject, App, JsonPatch } from 'cdk8s';
import * as fs from 'fs';
import * as path from 'path';
import { WebApp } from '../../lib';
import { renderApp } from '../../lib/render/synthesize';
import { HabrStack } from '../../apps/habr/stack';
import { DEV } from '../../apps/habr/stages';
import { KubeObject } from '../../lib/manifest/types';
import { LocalCluster } from '../../tools/cluster/local-cluster';
import {
  applyFolder, expectCleanApply, DEV_DIST, endpointProblems, eventually, getJson, Json,
  installShippedCrds, objectsIn, PROD_DIST, ref, rolloutFailures, startStackCluster, stopCluster, temporaryFolder,
} from './cluster';

let cluster: LocalCluster;
const dev = objectsIn(DEV_DIST);
const frontendRelease = DEV.releases!.frontend!;

beforeAll(async () => {
  cluster = await startStackCluster();
});
afterAll(() => stopCluster(cluster, 'dev stage'));

/** Generation and spec of every object of the manifests, as the server holds them. */
function liveState(objects: readonly KubeObject[]): Record<string, string> {
  return Object.fromEntries(
    objects.map((o) => {
      const live = getJson(cluster, [ref(o), ...(o.metadata?.namespace ? ['-n', o.metadata.namespace] : [])]);
      return [ref(o), JSON.stringify({ generation: live.metadata.generation, labels: live.metadata.labels, spec: live.spec })];
    }),
  );
}

test('kubectl apply --server-side -f dist succeeds with no error and no warning', () => {
  expectCleanApply(applyFolder(cluster, DEV_DIST), dev.length);
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
  expect(services.map((s) => s.metadata?.name)).toEqual(['mongodb-service', 'redis-service', 'backend-service', 'frontend-service', 'frontend-canary-service']);
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

/** The dev stack with `change` applied to its stage config, written to a temporary folder. */
function synthChanged(stageChange: Partial<typeof DEV>, patch?: (stack: HabrStack) => void): string {
  const app = new App();
  const stack = new HabrStack(app, { ...DEV, ...stageChange });
  patch?.(stack);
  const rendered = renderApp(app);
  expect(rendered.report.errors).toBe(0);
  const folder = temporaryFolder('habr-dev-changed-');
  for (const file of rendered.files) fs.writeFileSync(path.join(folder, file.file), file.content);
  return folder;
}

test('a realistic change (replicas, image tag, env) applies without immutable-field errors and rolls out', async () => {
  const changed = synthChanged(
    {
      // The frontend is released by a canary: the new image goes to its canary version v2.
      releases: { frontend: { ...frontendRelease, versions: { ...frontendRelease.versions, v2: { ...frontendRelease.versions.v2, image: 'docker.io/habr-app-demo/frontend:1.1.0' } } } },
      replicas: { ...DEV.replicas, backend: 3 },
    },
    (stack) => ApiObject.of((stack.backend as WebApp).deployment).addJsonPatch(
      JsonPatch.add('/spec/template/spec/containers/0/env/-', { name: 'LOG_LEVEL', value: 'debug' }),
    ),
  );
  const result = applyFolder(cluster, changed);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  const objects = objectsIn(changed);
  expect(rolloutFailures(cluster, objects)).toEqual([]);
  const backend = getJson(cluster, ['deployment/backend-deployment', '-n', 'default']);
  expect(backend.spec.replicas).toBe(3);
  expect(backend.status.updatedReplicas).toBe(3);
  expect(backend.spec.template.spec.containers[0].env).toContainEqual({ name: 'LOG_LEVEL', value: 'debug' });
  const frontend = getJson(cluster, ['deployment/frontend-v2-deployment', '-n', 'default']);
  expect(frontend.spec.template.spec.containers[0].image).toBe('docker.io/habr-app-demo/frontend:1.1.0');
  const services = objects.filter((o) => o.kind === 'Service');
  expect(await eventually(() => services.flatMap((service) => endpointProblems(cluster, service, objects)))).toEqual([]);
});

test("a new backend image also changes the seed Job's pod template, which is immutable: that one object is refused", () => {
  // The seed Job runs the backend image. A Job's template cannot change, so docs/demo.md says to
  // delete the finished Job before applying a new backend image (it is dev-only test content).
  const changed = synthChanged({ images: { ...DEV.images, backend: 'docker.io/habr-app-demo/backend:1.1.0' } });
  const refused = applyFolder(cluster, changed);
  expect(refused.status).not.toBe(0);
  expect(refused.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^The Job "seed-job" is invalid: spec.template: .*field is immutable$/)]);
  expect(refused.stdout.trim().split('\n')).toHaveLength(objectsIn(changed).length - 1);

  cluster.kubectlOk(['delete', 'job', 'seed-job', '-n', 'default']);
  const applied = applyFolder(cluster, changed);
  expect(applied.stderr).toBe('');
  expect(applied.status).toBe(0);
  expect(rolloutFailures(cluster, objectsIn(changed))).toEqual([]);
});

test('dist/prod applied over a running dev stage: what a user sees', () => {
  // Prod routes through the Gateway API: its CRDs are installed first (a Gateway controller would run too).
  installShippedCrds(cluster);
  const result = applyFolder(cluster, PROD_DIST);
  // Prod asks for bigger Mongo storage (10Gi, dev 100Mi) and puts Redis on a volume claim; a
  // StatefulSet's volumeClaimTemplates are immutable, so the server refuses those two objects
  // and applies every other one. Moving a cluster from dev to prod means deleting the two
  // StatefulSets first (their claims stay; Mongo's keeps its 100Mi size).
  const refused = result.stderr.trim().split('\n');
  expect(refused).toEqual([
    expect.stringMatching(/^Error from server \(Invalid\): StatefulSet.apps "mongodb-statefulset" is invalid: spec: Forbidden: updates to statefulset spec for fields other than/),
    expect.stringMatching(/^Error from server \(Invalid\): StatefulSet.apps "redis-statefulset" is invalid: spec: Forbidden: updates to statefulset spec for fields other than/),
  ]);
  expect(result.status).not.toBe(0);
  expect(result.stdout.trim().split('\n')).toHaveLength(objectsIn(PROD_DIST).length - 2);

  cluster.kubectlOk(['delete', 'statefulset', 'mongodb-statefulset', 'redis-statefulset', '-n', 'default']);
  const retried = applyFolder(cluster, PROD_DIST);
  expect(retried.stderr).toBe('');
  expect(retried.status).toBe(0);
});
