/**
 * Releases on a fresh control plane, as a user's `kubectl apply --server-side` sees them: a
 * blue/green app is switched to green and back by changing one prop, synthesizing (through the
 * library, into a temporary folder) and applying; the Service's EndpointSlices are watched during
 * the switch. Canaries by ingress-nginx, by a Gateway API HTTPRoute (its CRDs installed first, as
 * on a cluster with a Gateway controller) and by replica ratio are applied beside it.
 */
import { App, Chart } from 'cdk8s';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { declareExternalObject, Peer, ReleasedWebApp, ReleaseStrategy, RestrictedNamespace } from '../../lib';
import { renderApp } from '../../lib/render/synthesize';
import { LocalCluster } from '../../tools/cluster/local-cluster';
import {
  applyFolder, endpointProblems, eventually, expectCleanApply, getJson, installShippedCrds, Json, objectsIn, rolloutFailures, startCluster,
  stopCluster, temporaryFolder,
} from './cluster';

const NAMESPACE = 'releases';
const VERSION_LABEL = 'release.habr-k8s.io/version';
let cluster: LocalCluster;

/** The test stack with the blue/green app's `active` version set to `active`, synthesized into a new folder. */
function synthRelease(active: 'blue' | 'green'): string {
  const app = new App();
  const platform = new Chart(app, 'platform');
  new RestrictedNamespace(platform, 'Namespace', { name: NAMESPACE });
  const chart = new Chart(app, 'apps', { namespace: NAMESPACE, disableResourceNameHashes: true });
  chart.addDependency(platform);
  const twoVersions = (image: string) => ({ v1: { image: `${image}:1.0` }, v2: { image: `${image}:1.1` } });
  new ReleasedWebApp(chart, 'Web', {
    name: 'web',
    port: 8080,
    replicas: 2,
    readiness: { tcpSocket: {}, periodSeconds: 2 },
    versions: { blue: { image: 'registry.example.com/web:1.0' }, green: { image: 'registry.example.com/web:1.1' } },
    release: { strategy: 'blue-green', active },
  });
  new ReleasedWebApp(chart, 'Shop', {
    name: 'shop',
    port: 8080,
    versions: twoVersions('registry.example.com/shop'),
    ingress: { controller: Peer.ingressController(), host: 'shop.example.com', ingressClassName: 'nginx' },
    release: { strategy: 'canary', stable: 'v1', canary: 'v2', weight: 10, router: { kind: 'ingress-nginx' } },
  });
  new ReleasedWebApp(chart, 'Edge', {
    name: 'edge',
    port: 8080,
    versions: twoVersions('registry.example.com/edge'),
    release: {
      strategy: 'canary', stable: 'v1', canary: 'v2', weight: 10,
      router: { kind: 'http-route', dataPlane: Peer.gatewayDataPlane({ namespace: 'gateways' }), gateways: [{ name: 'public', namespace: 'gateways', sectionName: 'http' }], hostnames: ['edge.example.com'] },
    },
  });
  const ratio: ReleaseStrategy = { strategy: 'canary', stable: 'v1', canary: 'v2', weight: 25 };
  new ReleasedWebApp(chart, 'Ratio', { name: 'ratio', port: 8080, replicas: 4, versions: twoVersions('registry.example.com/ratio'), release: ratio });
  // The platform's Gateway the edge route attaches to (not on this cluster: no Gateway controller runs here).
  declareExternalObject(app, { kind: 'Gateway', name: 'public', namespace: 'gateways' });
  const rendered = renderApp(app);
  expect(rendered.report.errors).toBe(0);
  const folder = temporaryFolder(`releases-${active}-`);
  for (const file of rendered.files) fs.writeFileSync(path.join(folder, file.file), file.content);
  return folder;
}

/** The version label of each ready endpoint of a Service's EndpointSlices, sorted. */
function endpointVersions(service: string): string[] {
  const slices = getJson(cluster, ['endpointslices', '-n', NAMESPACE, '-l', `kubernetes.io/service-name=${service}`]).items as Json[];
  const names = new Set(slices.flatMap((slice) => ((slice.endpoints ?? []) as Json[])
    .filter((e) => e.conditions?.ready !== false && e.targetRef?.kind === 'Pod').map((e) => e.targetRef.name as string)));
  const pods = getJson(cluster, ['pods', '-n', NAMESPACE]).items as Json[];
  return pods.filter((pod) => names.has(pod.metadata.name)).map((pod) => pod.metadata.labels[VERSION_LABEL] as string).sort();
}

/** Waits until `service`'s endpoints are `expected` (versions, sorted); returns what it saw last when they never were. */
async function expectEndpointVersions(service: string, expected: string[]): Promise<void> {
  let seen: string[] = [];
  const problems = await eventually(() => {
    seen = endpointVersions(service);
    return JSON.stringify(seen) === JSON.stringify(expected) ? [] : [`${service}: endpoints of versions [${seen.join(', ')}]`];
  }, 90);
  expect(problems).toEqual([]);
}

interface SliceWatch {
  /** Resolves once the watch has listed the slices that exist. */
  readonly started: Promise<void>;
  /** Stops the watch; resolves with the ready endpoints (pod names) after every event, in order. */
  stop(): Promise<string[][]>;
}

/**
 * `kubectl get endpointslices --watch` of a Service in a child process, so that it keeps
 * recording while the test runs kubectl apply: every change of every slice, as it happened.
 */
function watchSlices(service: string): SliceWatch {
  const child = spawn(cluster.binaries.kubectl, [
    '--kubeconfig', cluster.kubeconfig, 'get', 'endpointslices', '-n', NAMESPACE, '-l', `kubernetes.io/service-name=${service}`,
    '--watch', '--output-watch-events', '-o', 'json',
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let markStarted: () => void;
  const started = new Promise<void>((resolve, reject) => {
    markStarted = resolve;
    setTimeout(() => reject(new Error(`the watch of ${service}'s EndpointSlices printed nothing in 30 s: ${output}`)), 30_000).unref();
  });
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    if (output.includes('\n')) markStarted();
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return {
    started,
    stop: async () => {
      child.kill();
      await exited;
      const slices = new Map<string, string[]>();
      const states: string[][] = [];
      // One event per line: {"type":"ADDED","object":{…}}.
      for (const line of output.split('\n').filter((text) => text.trim() !== '')) {
        const event = JSON.parse(line) as Json;
        const slice = event.object as Json;
        if (event.type === 'DELETED') slices.delete(slice.metadata.name);
        else slices.set(slice.metadata.name, ((slice.endpoints ?? []) as Json[]).filter((e) => e.conditions?.ready !== false).map((e) => e.targetRef?.name as string));
        states.push([...slices.values()].flat().sort());
      }
      return states;
    },
  };
}

const blue = synthRelease('blue');
const green = synthRelease('green');

beforeAll(async () => {
  cluster = await startCluster();
  installShippedCrds(cluster);
}, 240_000);
afterAll(() => stopCluster(cluster, 'releases'));

test('the release with blue active applies cleanly, canary Ingress and HTTPRoute included, and every version rolls out', () => {
  const objects = objectsIn(blue);
  expect(objects.filter((o) => o.kind === 'Ingress').map((o) => o.metadata?.name)).toEqual(['shop-ingress', 'shop-canary-ingress']);
  expectCleanApply(applyFolder(cluster, blue), objects.length);
  expect(rolloutFailures(cluster, objects)).toEqual([]);
  const canary = getJson(cluster, ['ingress/shop-canary-ingress', '-n', NAMESPACE]);
  expect(canary.metadata.annotations).toEqual({ 'nginx.ingress.kubernetes.io/canary': 'true', 'nginx.ingress.kubernetes.io/canary-weight': '10' });
  expect(canary.spec.rules[0].host).toBe('shop.example.com');
  // Stored against the HTTPRoute CRD's schema and CEL rules (a clean apply: no error, no warning).
  const route = getJson(cluster, ['httproute/edge-route', '-n', NAMESPACE]);
  expect(route.spec.rules[0].backendRefs).toEqual([
    { group: '', kind: 'Service', name: 'edge-service', port: 8080, weight: 90 },
    { group: '', kind: 'Service', name: 'edge-canary-service', port: 8080, weight: 10 },
  ]);
});

test('with blue active, the Service lists only blue pods and the preview Service only green ones', async () => {
  await expectEndpointVersions('web-service', ['blue', 'blue']);
  await expectEndpointVersions('web-preview-service', ['green', 'green']);
  const objects = objectsIn(blue);
  const services = objects.filter((o) => o.kind === 'Service' && o.metadata?.name !== 'ratio-service');
  expect(await eventually(() => services.flatMap((service) => endpointProblems(cluster, service, objects)))).toEqual([]);
});

test('the canaries: the ingress-nginx and HTTPRoute canary Services list only v2, the replica-ratio Service 3 pods of v1 and 1 of v2', async () => {
  await expectEndpointVersions('shop-service', ['v1']);
  await expectEndpointVersions('shop-canary-service', ['v2']);
  await expectEndpointVersions('ratio-service', ['v1', 'v1', 'v1', 'v2']);
  await expectEndpointVersions('edge-service', ['v1']);
  await expectEndpointVersions('edge-canary-service', ['v2']);
});

test('switching to green (green Ready first): the Service never lists nothing, and ends with only green pods', async () => {
  expect(rolloutFailures(cluster, objectsIn(green).filter((o) => o.metadata?.name === 'web-green-deployment'))).toEqual([]);
  const watch = watchSlices('web-service');
  await watch.started;
  const result = applyFolder(cluster, green);
  expectCleanApply(result, objectsIn(green).length);
  await expectEndpointVersions('web-service', ['green', 'green']);
  await expectEndpointVersions('web-preview-service', ['blue', 'blue']);
  const states = await watch.stop();
  expect(states.length).toBeGreaterThan(1); // the listing, then the switch
  expect(states.filter((endpoints) => endpoints.length === 0)).toEqual([]);
  expect(states[0].every((pod) => pod.startsWith('web-blue-deployment-'))).toBe(true);
  expect(states[states.length - 1].every((pod) => pod.startsWith('web-green-deployment-'))).toBe(true);
  process.stderr.write(`[releases] web-service EndpointSlice states during the switch: ${states.map((s) => s.length).join(' → ')} ready endpoints\n`);
});

test('only the two Service selectors changed on the switch: no Deployment was touched', () => {
  for (const version of ['blue', 'green']) {
    const deployment = getJson(cluster, [`deployment/web-${version}-deployment`, '-n', NAMESPACE]);
    expect(deployment.metadata.generation).toBe(1);
  }
});

test('switching back to blue is clean too: no immutable-field error, and only blue pods again', async () => {
  const watch = watchSlices('web-service');
  await watch.started;
  const result = applyFolder(cluster, blue);
  expect(result.stderr).not.toMatch(/immutable/);
  expectCleanApply(result, objectsIn(blue).length);
  await expectEndpointVersions('web-service', ['blue', 'blue']);
  const states = await watch.stop();
  expect(states.filter((endpoints) => endpoints.length === 0)).toEqual([]);
  const diff = cluster.kubectl(['diff', '--server-side', '-f', blue]);
  expect(diff.stdout).toBe('');
  expect(diff.status).toBe(0);
});
