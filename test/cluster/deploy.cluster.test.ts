/**
 * `habr-k8s deploy` on a fresh control plane: dev and prod from an empty cluster, again with no
 * change, `diff --live` against the deployed stage, pruning as an ApplySet that kubectl's own `--applyset` prune agrees with, refusals
 * before anything is applied, a Deployment that cannot be scheduled, a deploy killed half-way,
 * two deploys at once, the API server restarted while a deploy waits, and blue → green → rollback with the Service's EndpointSlices following.
 * The commands run through the bin (bin/habr-k8s.js), in a process of their own: the client they use
 * is an ES module, which jest's module loader cannot load.
 */
import { App, Chart } from 'cdk8s';
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ReleasedWebApp, RestrictedNamespace } from '../../lib';
import { renderApp } from '../../lib/render/synthesize';
import { LocalCluster } from '../../tools/cluster/local-cluster';
import { DEV_DIST, eventually, getJson, installShippedCrds, Json, objectsIn, PROD_DIST, REPO, startStackCluster, stopCluster, temporaryFolder } from './cluster';

const BIN = ['bin/habr-k8s.js'];
const RELEASE_NAMESPACE = 'releases';

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function habr(cluster: LocalCluster, args: readonly string[]): Run {
  const result = spawnSync(process.execPath, [...BIN, ...args], { cwd: REPO, env: { ...process.env, KUBECONFIG: cluster.kubeconfig }, encoding: 'utf8', timeout: 400_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function habrAsync(cluster: LocalCluster, args: readonly string[], onLine?: (line: string, kill: () => void) => void): Promise<Run> {
  const child = spawn(process.execPath, [...BIN, ...args], { cwd: REPO, env: { ...process.env, KUBECONFIG: cluster.kubeconfig } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    const before = stdout.length;
    stdout += chunk.toString();
    for (const line of stdout.slice(before).split('\n')) onLine?.(line, () => child.kill('SIGKILL'));
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

/** Generation of every Deployment and StatefulSet in the namespace. */
function generations(cluster: LocalCluster, namespace = 'default'): Record<string, number> {
  const items = getJson(cluster, ['deployments,statefulsets', '-n', namespace]).items as Json[];
  return Object.fromEntries(items.map((item) => [`${item.kind}/${item.metadata.name}`, item.metadata.generation as number]));
}

/** A copy of a synthesized folder with `edit` applied to its objects (one file per object, in order), its output header kept. */
function editedCopy(from: string, edit: (objects: Json[]) => Json[]): string {
  const folder = temporaryFolder('deploy-edited-');
  const firstFile = fs.readdirSync(from).filter((file) => file.endsWith('.yaml')).sort()[0];
  const lines = fs.readFileSync(path.join(from, firstFile), 'utf8').split('\n');
  const header = lines.slice(0, lines.findIndex((line) => !line.startsWith('#'))).join('\n');
  edit(objectsIn(from) as Json[]).forEach((object, index) => {
    fs.writeFileSync(path.join(folder, `${String(index).padStart(3, '0')}.yaml`), `${index === 0 ? `${header}\n` : ''}${JSON.stringify(object)}\n`);
  });
  return folder;
}

/** A Deployment of one pod that only nodes matching `nodeSelector` can run. */
function deploymentOnNodes(name: string, nodeSelector: Record<string, string>): Json {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'default' },
    spec: {
      replicas: 1, selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          nodeSelector,
          securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [{ name, image: `registry.example.com/${name}:1.0`, resources: { limits: { cpu: '100m', memory: '64Mi' } }, securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
        },
      },
    },
  };
}

describe('dev stage', () => {
  let cluster: LocalCluster;
  beforeAll(async () => {
    cluster = await startStackCluster();
  }, 240_000);
  afterAll(() => stopCluster(cluster, 'deploy dev'));

  test('from an empty cluster every object is applied and ready; deploying again changes nothing', () => {
    const first = habr(cluster, ['deploy', '--timeout', '3m']);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    const objects = objectsIn(DEV_DIST);
    expect(first.stdout).toContain(`deployed stage dev as revision 1: ${objects.length - 1} created, 1 updated, 0 pruned, ${objects.length} ready`);
    const job = getJson(cluster, ['job/seed-job']);
    expect(job.status.succeeded).toBe(1);
    const before = generations(cluster);
    const again = habr(cluster, ['deploy', '--timings']);
    expect(again.status).toBe(0);
    expect(again.stderr).toMatch(/^timings: lease [\d.]+ s, plan [\d.]+ s, parent [\d.]+ s, apply [\d.]+ s, wait [\d.]+ s, prune [\d.]+ s, revision [\d.]+ s\n$/);
    expect(again.stdout).toBe(`no changes\ndeployed stage dev: 0 created, 0 updated, 0 pruned, ${objects.length} ready\n`);
    expect(generations(cluster)).toEqual(before);
  });

  test('diff --live: an unchanged cluster says so; an edited replica count is named by its field, a removed object as pruned; nothing changes', () => {
    expect(habr(cluster, ['diff', '--live'])).toEqual({ status: 0, stdout: 'no changes\n', stderr: '' });
    const folder = editedCopy(DEV_DIST, (objects) => objects
      .filter((o) => !(o.kind === 'NetworkPolicy' && o.metadata.name === 'seed-network-policy'))
      .map((o) => (o.kind === 'Deployment' && o.metadata.name === 'worker-deployment' ? { ...o, spec: { ...o.spec, replicas: 3 } } : o)));
    const before = generations(cluster);
    const changed = habr(cluster, ['diff', '--live', folder]);
    expect(changed.stderr).toBe('');
    expect(changed.status).toBe(0);
    const lines = changed.stdout.trimEnd().split('\n');
    expect(lines.filter((line) => /^([-+~>] | {4})/.test(line))).toEqual([
      '- NetworkPolicy default/seed-network-policy (removed)',
      '~ Deployment default/worker-deployment',
      '    spec.replicas: 2 → 3',
    ]);
    expect(lines.at(-1)).toMatch(/^0 added, 1 removed, 1 changed, \d+ unchanged$/);
    expect(generations(cluster)).toEqual(before);
    expect(getJson(cluster, ['networkpolicy/seed-network-policy']).metadata.name).toBe('seed-network-policy');
  });

  test('the parent and every member carry the ApplySet labels kubectl uses', () => {
    const parent = getJson(cluster, ['secret/habr-k8s-dev']);
    const id = parent.metadata.labels['applyset.kubernetes.io/id'];
    expect(id).toMatch(/^applyset-[A-Za-z0-9_-]{43}-v1$/);
    expect(parent.metadata.annotations['applyset.kubernetes.io/tooling']).toMatch(/^habr-k8s\/v\d/);
    const members = getJson(cluster, ['deployments,services,configmaps', '-l', `applyset.kubernetes.io/part-of=${id}`]).items as Json[];
    expect(members.map((item) => `${item.kind}/${item.metadata.name}`).sort()).toEqual(
      objectsIn(DEV_DIST).filter((o) => ['Deployment', 'Service', 'ConfigMap'].includes(o.kind)).map((o) => `${o.kind}/${o.metadata?.name}`).sort());
  });

  test('an object removed from the stage is pruned, a hand-made ConfigMap stays, and kubectl --applyset prunes exactly what we do', () => {
    cluster.kubectlOk(['create', 'configmap', 'made-by-hand', '--from-literal=a=b']);
    const folder = editedCopy(DEV_DIST, (objects) => objects.filter((o) => !(o.kind === 'NetworkPolicy' && o.metadata.name === 'seed-network-policy')));
    const ours = habr(cluster, ['deploy', folder, '--dry-run']);
    expect(ours.status).toBe(0);
    expect(ours.stdout.split('\n').filter((line) => line.startsWith('- '))).toEqual(['- NetworkPolicy default/seed-network-policy (removed)']);
    // kubectl touches only a set its own tooling manages: the parent says kubectl for its server-side dry-run, then ours again.
    cluster.kubectlOk(['annotate', '--overwrite', 'secret/habr-k8s-dev', 'applyset.kubernetes.io/tooling=kubectl/v1.34.4']);
    const theirs = spawnSync(cluster.binaries.kubectl, ['--kubeconfig', cluster.kubeconfig, 'apply', '--server-side', '--force-conflicts', '--prune', '--applyset=secret/habr-k8s-dev', '-n', 'default', '--dry-run=server', '-f', folder],
      { env: { ...process.env, KUBECTL_APPLYSET: 'true' }, encoding: 'utf8' });
    cluster.kubectlOk(['annotate', '--overwrite', 'secret/habr-k8s-dev', 'applyset.kubernetes.io/tooling=habr-k8s/v0.1.0']);
    expect(theirs.stderr).toBe('');
    expect(theirs.stdout.split('\n').filter((line) => line.includes('pruned'))).toEqual(['networkpolicy.networking.k8s.io/seed-network-policy pruned (server dry run)']);
    const deployed = habr(cluster, ['deploy', folder]);
    expect(deployed.status).toBe(0);
    expect(deployed.stdout).toContain('pruned NetworkPolicy default/seed-network-policy');
    expect(cluster.kubectl(['get', 'networkpolicy/seed-network-policy']).status).not.toBe(0);
    expect(getJson(cluster, ['configmap/made-by-hand']).data).toEqual({ a: 'b' });
  });

  test('objects the server refuses: nothing applied, each refusal named on its line', () => {
    cluster.kubectlOk(['apply', '--server-side', '--field-manager=someone-else', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'taken', namespace: 'default' }, data: { key: 'theirs' } }));
    const before = generations(cluster);
    const folder = editedCopy(DEV_DIST, (objects) => [
      ...objects.map((o) => (o.kind === 'Deployment' && o.metadata.name === 'worker-deployment' ? { ...o, spec: { ...o.spec, replicas: 5 } } : o)),
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'taken', namespace: 'default' }, data: { key: 'ours' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'lost', namespace: 'no-such-namespace' }, data: { key: 'x' } },
    ]);
    const result = habr(cluster, ['deploy', folder]);
    expect(result.status).toBe(1);
    const lines = result.stdout.trim().split('\n');
    expect(lines.filter((line) => line.startsWith('refused: '))).toEqual([
      expect.stringMatching(/^refused: ConfigMap default\/taken \(\d+\.yaml\): field-manager conflict: \.data\.key \(owned by "someone-else"\); --force-conflicts takes them over$/),
      expect.stringMatching(/^refused: ConfigMap no-such-namespace\/lost \(\d+\.yaml\): namespaces "no-such-namespace" not found$/),
    ]);
    expect(lines.at(-1)).toMatch(/^nothing applied: the API server refuses 2 of \d+ objects$/);
    expect(generations(cluster)).toEqual(before);
    expect(getJson(cluster, ['configmap/taken']).data).toEqual({ key: 'theirs' });
  });

  test('a Deployment whose pods can never be scheduled fails within its timeout, naming it and Unschedulable', () => {
    const folder = editedCopy(DEV_DIST, (objects) => [...objects.filter((o) => o.kind !== 'NetworkPolicy' || o.metadata.name !== 'seed-network-policy'), deploymentOnNodes('stuck', { 'no-node-has': 'this-label' })]);
    const result = habr(cluster, ['deploy', folder, '--timeout', '20s']);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^Deployment default\/stuck: \w+: not ready after 20s: /m);
    expect(result.stdout).toMatch(/^ {4}pod stuck-[a-z0-9-]+: Unschedulable: 0\/3 nodes are available/m);
    expect(result.stdout).toContain('deploy of stage dev failed: 1 objects not ready; nothing pruned');
    cluster.kubectlOk(['delete', 'deployment/stuck']);
  });

  test('a deploy killed during the apply, then deployed again, converges; two deploys at once: one waits for the other', async () => {
    // Annotations on every object's own metadata: every object changes, no pod has to be replaced.
    const folder = editedCopy(DEV_DIST, (objects) => objects.map((o) => ({ ...o, metadata: { ...o.metadata, annotations: { ...o.metadata.annotations, deployed: 'after-kill' } } })));
    const killed = await habrAsync(cluster, ['deploy', folder], (line, kill) => {
      if (/ changed, \d+ unchanged$/.test(line)) kill();
    });
    expect(killed.status).toBeNull();
    const [a, b] = await Promise.all([habrAsync(cluster, ['deploy', folder, '--lock-timeout', '3m']), habrAsync(cluster, ['deploy', folder, '--lock-timeout', '3m'])]);
    expect([a, b].map((run) => ({ status: run.status, stderr: run.stderr }))).toEqual([{ status: 0, stderr: '' }, { status: 0, stderr: '' }]);
    // Both waited for the killed deploy's Lease to expire, or one for the other.
    expect([a.stdout, b.stdout].filter((out) => /^stage dev is being deployed by \S+; waiting up to 180s$/m.test(out)).length).toBeGreaterThanOrEqual(1);
    expect([a.stdout, b.stdout].filter((out) => /^no changes$/m.test(out))).toHaveLength(1);
    for (const kind of ['deployments', 'services', 'configmaps']) {
      const items = (getJson(cluster, [kind, '-l', 'applyset.kubernetes.io/part-of']).items as Json[]);
      expect(items.filter((item) => item.metadata.annotations?.deployed !== 'after-kill').map((item) => item.metadata.name)).toEqual([]);
    }
    expect(habr(cluster, ['deploy', folder]).stdout).toMatch(/^no changes$/m);
  });

  test('the API server restarted while a deploy waits: the deploy says so, reads again once it is back, and completes', async () => {
    // Its pods fit only on a node labelled gate=open, which no node is yet: the deploy waits until the test labels one.
    const gated = deploymentOnNodes('gated', { gate: 'open' });
    const folder = editedCopy(DEV_DIST, () => [gated]);
    const deploying = habrAsync(cluster, ['deploy', folder, '--stage', 'restart', '--timeout', '3m']);
    // Applied and its pod found unschedulable: the deploy is in its wait.
    expect(await eventually(() => {
      const pods = getJson(cluster, ['pods', '-l', 'app=gated']).items as Json[];
      return pods.some((pod) => (pod.status.conditions ?? []).some((c: Json) => c.type === 'PodScheduled' && c.reason === 'Unschedulable')) ? [] : ['no unschedulable pod of gated yet'];
    }, 120)).toEqual([]);
    // Down longer than the Lease's renewal period (10 s): a renewal fails too, and must not stop the deploy.
    await cluster.restartApiServer(12);
    cluster.kubectlOk(['label', 'node', 'kwok-node-0', 'gate=open']);
    const result = await deploying;
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^1 of 1 awaited objects: cannot read it: .*ECONNREFUSED.*; trying again until the timeout$/m);
    expect(result.stdout).toMatch(/^the awaited objects can be read again; waiting for 1$/m);
    expect(result.stdout).toMatch(/^deployed stage restart as revision 1: 1 created, 0 updated, 0 pruned, 1 ready$/m);
    expect(getJson(cluster, ['deployment/gated']).status.readyReplicas).toBe(1);
    cluster.kubectlOk(['label', 'node', 'kwok-node-0', 'gate-']);
  });

  test('history lists the revisions', () => {
    const result = habr(cluster, ['history']);
    expect(result.status).toBe(0);
    expect(result.stdout.trim().split('\n').map((line) => line.split('\t')[0])).toEqual(['1', '2', '3']);
  });
});

describe('prod stage', () => {
  let cluster: LocalCluster;
  beforeAll(async () => {
    cluster = await startStackCluster();
  }, 240_000);
  afterAll(() => stopCluster(cluster, 'deploy prod'));

  test('from an empty cluster every object is applied and ready; deploying again changes nothing', async () => {
    // Prod routes its hosts with HTTPRoutes: the Gateway API CRDs come first, as on a real cluster.
    installShippedCrds(cluster);
    const first = habr(cluster, ['deploy', '--stage', 'prod', '--timeout', '3m']);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(new RegExp(`^deployed stage prod as revision 1: \\d+ created, \\d+ updated, 0 pruned, ${objectsIn(PROD_DIST).length} ready$`, 'm'));
    // The blue and green Deployments leave replicas to their HPAs, which raise them to minReplicas at
    // their next sync (every 15 s), moving the generation: the generations compared are those after it.
    expect(await eventually(() => (getJson(cluster, ['hpa']).items as Json[]).flatMap((hpa) => {
      const target = getJson(cluster, [`deployment/${hpa.spec.scaleTargetRef.name}`]);
      return target.spec.replicas >= hpa.spec.minReplicas ? [] : [`${target.metadata.name} has ${target.spec.replicas} replicas, its HPA's minimum is ${hpa.spec.minReplicas}`];
    }), 90)).toEqual([]);
    const before = generations(cluster);
    const again = habr(cluster, ['deploy', '--stage', 'prod']);
    expect(again.stdout).toMatch(/^no changes\n/);
    expect(generations(cluster)).toEqual(before);
  });
});

describe('blue → green → rollback', () => {
  let cluster: LocalCluster;
  beforeAll(async () => {
    cluster = await startStackCluster();
  }, 240_000);
  afterAll(() => stopCluster(cluster, 'deploy releases'));

  function synthRelease(active: 'blue' | 'green'): string {
    const app = new App();
    const platform = new Chart(app, 'platform');
    new RestrictedNamespace(platform, 'Namespace', { name: RELEASE_NAMESPACE });
    const chart = new Chart(app, 'apps', { namespace: RELEASE_NAMESPACE, disableResourceNameHashes: true });
    chart.addDependency(platform);
    new ReleasedWebApp(chart, 'Web', {
      name: 'web', port: 8080, replicas: 2, readiness: { tcpSocket: {}, periodSeconds: 2 },
      versions: { blue: { image: 'registry.example.com/web:1.0' }, green: { image: 'registry.example.com/web:1.1' } },
      release: { strategy: 'blue-green', active },
    });
    const folder = temporaryFolder(`deploy-${active}-`);
    for (const file of renderApp(app).files) fs.writeFileSync(path.join(folder, file.file), file.content);
    return folder;
  }

  async function expectServedBy(version: string): Promise<void> {
    const problems = await eventually(() => {
      const slices = getJson(cluster, ['endpointslices', '-n', RELEASE_NAMESPACE, '-l', 'kubernetes.io/service-name=web-service']).items as Json[];
      const names = new Set(slices.flatMap((slice) => ((slice.endpoints ?? []) as Json[]).filter((e) => e.conditions?.ready !== false).map((e) => e.targetRef?.name as string)));
      const pods = (getJson(cluster, ['pods', '-n', RELEASE_NAMESPACE]).items as Json[]).filter((pod) => names.has(pod.metadata.name));
      const versions = pods.map((pod) => pod.metadata.labels['release.habr-k8s.io/version'] as string);
      return versions.length === 2 && versions.every((v) => v === version) ? [] : [`web-service endpoints are of versions [${versions.join(', ')}]`];
    }, 90);
    expect(problems).toEqual([]);
  }

  test('a deploy switches blue to green, rollback switches back, and the EndpointSlices follow each step', async () => {
    const stage = ['--stage', 'releases'];
    expect(habr(cluster, ['deploy', synthRelease('blue'), ...stage]).status).toBe(0);
    await expectServedBy('blue');
    const toGreen = habr(cluster, ['deploy', synthRelease('green'), ...stage]);
    expect(toGreen.status).toBe(0);
    expect(toGreen.stdout).toMatch(/^~ Service releases\/web-service$/m);
    await expectServedBy('green');
    const back = habr(cluster, ['rollback', ...stage]);
    expect(back.stderr).toBe('');
    expect(back.status).toBe(0);
    expect(back.stdout).toMatch(/^rolling stage releases back to revision 1 /);
    expect(back.stdout).toMatch(/^deployed stage releases as revision 3: 0 created, \d+ updated, 0 pruned, \d+ ready$/m);
    await expectServedBy('blue');
  });
});
