import { deploy, DeployOptions } from '../../lib/deploy/deploy';
import { APPLYSET_GROUP_KINDS_ANNOTATION, APPLYSET_PART_OF_LABEL } from '../../lib/deploy/applyset';
import { listRevisions, readRevision } from '../../lib/deploy/history';
import { acquireLease } from '../../lib/deploy/lease';
import { applyGroups } from '../../lib/deploy/apply';
import { planDeploy } from '../../lib/deploy/plan';
import { waitForReady } from '../../lib/deploy/wait';
import { ApiError } from '../../lib/deploy/cluster-api';
import type { KubeObject, SourcedObject } from '../../lib/manifest/types';
import { FakeCluster, FakeClock, StoppedClock } from './fake-cluster';
import { configMap, deployment, rolledOut, sourced } from './objects';

const parent = { name: 'habr-k8s-dev', namespace: 'default' };

/** A cluster whose "controllers" roll a Deployment out as soon as it is applied. */
function healthyCluster(): FakeCluster {
  const cluster = new FakeCluster();
  cluster.onApplied = (object) => {
    if (object.kind === 'Deployment') cluster.put(rolledOut(object));
  };
  return cluster;
}

function run(cluster: FakeCluster, objects: readonly SourcedObject[], options: Partial<DeployOptions> = {}) {
  const lines: string[] = [];
  const clock = new FakeClock();
  const outcome = deploy(objects, cluster, {
    stage: 'dev', parent, timeoutSeconds: 30, lockWaitSeconds: 10, description: 'dist', toolingVersion: '0.1.0', clock, log: (line) => lines.push(line), ...options,
  });
  return outcome.then((result) => ({ ...result, lines, clock }));
}

const app = () => sourced([configMap('settings'), deployment('web')]);

describe('deploy', () => {
  test('from an empty cluster: applies, waits, records revision 1 and the set, releases the Lease', async () => {
    const cluster = healthyCluster();
    const result = await run(cluster, app());
    expect(result.exitCode).toBe(0);
    expect(result.lines.at(-1)).toBe('deployed stage dev as revision 1: 2 created, 0 updated, 0 pruned, 2 ready');
    const parentSecret = await cluster.get({ apiVersion: 'v1', kind: 'Secret', ...parent });
    expect(parentSecret?.metadata?.annotations?.[APPLYSET_GROUP_KINDS_ANNOTATION]).toBe('ConfigMap,Deployment.apps');
    expect((await cluster.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'settings', namespace: 'default' }))?.metadata?.labels?.[APPLYSET_PART_OF_LABEL]).toMatch(/^applyset-.*-v1$/);
    expect(await listRevisions(cluster, parent, 'dev')).toEqual([{ number: 1, deployedAt: '2026-01-01T00:00:00.000Z', description: 'dist', objectCount: 2 }]);
    expect(await cluster.get({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', name: 'habr-k8s-deploy-dev', namespace: 'default' })).toBeUndefined();
  });

  test('deploying the same objects again changes nothing: no object applied, no generation moved, no revision', async () => {
    const cluster = healthyCluster();
    await run(cluster, app());
    const generation = (await cluster.get({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'default' }))?.metadata?.generation;
    cluster.changes.length = 0;
    const again = await run(cluster, app());
    expect(again.exitCode).toBe(0);
    expect(again.lines).toEqual(['no changes', 'deployed stage dev: 0 created, 0 updated, 0 pruned, 2 ready']);
    expect(cluster.changes.filter((change) => !/^(Lease|Secret) /.test(change.label))).toEqual([]);
    expect((await cluster.get({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'default' }))?.metadata?.generation).toBe(generation);
    expect((await listRevisions(cluster, parent, 'dev')).map((revision) => revision.number)).toEqual([1]);
  });

  test('an object removed from the app is pruned after the rest is ready; a ConfigMap made by hand stays', async () => {
    const cluster = healthyCluster();
    await run(cluster, sourced([configMap('settings'), configMap('old'), deployment('web')]));
    cluster.put(configMap('by-hand'));
    const result = await run(cluster, app());
    expect(result.exitCode).toBe(0);
    expect(result.lines).toContain('pruned ConfigMap default/old');
    expect(await cluster.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'old', namespace: 'default' })).toBeUndefined();
    expect(await cluster.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'by-hand', namespace: 'default' })).toBeDefined();
  });

  test('the tail: the prune, then the parent\'s final contents, then the revision; the timings name each step', async () => {
    const cluster = healthyCluster();
    await run(cluster, sourced([configMap('settings'), configMap('old-a'), configMap('old-b'), deployment('web')]));
    cluster.changes.length = 0;
    let steps: string[] = [];
    const result = await run(cluster, app(), { timings: (times) => (steps = times.map((time) => time.step)) });
    expect(result.exitCode).toBe(0);
    expect(cluster.changes.map((change) => `${change.verb} ${change.label}`)).toEqual([
      'create Lease default/habr-k8s-deploy-dev',
      'apply Secret default/habr-k8s-dev',
      'delete ConfigMap default/old-a',
      'delete ConfigMap default/old-b',
      'apply Secret default/habr-k8s-dev',
      'create Secret default/habr-k8s-dev-r2',
      'delete Lease default/habr-k8s-deploy-dev',
    ]);
    expect(steps).toEqual(['lease', 'plan', 'parent', 'apply', 'wait', 'prune', 'revision']);
  });

  test('a kind the app no longer has is pruned and leaves the parent\'s kinds', async () => {
    const cluster = healthyCluster();
    await run(cluster, app());
    await run(cluster, sourced([configMap('settings')]));
    expect(await cluster.get({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'default' })).toBeUndefined();
    expect((await cluster.get({ apiVersion: 'v1', kind: 'Secret', ...parent }))?.metadata?.annotations?.[APPLYSET_GROUP_KINDS_ANNOTATION]).toBe('ConfigMap');
  });

  test('an object the server refuses: nothing applied, every refusal named on its line, exit 1', async () => {
    const cluster = healthyCluster();
    cluster.refusals.set('web', new ApiError(422, 'Invalid', 'Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1'));
    const result = await run(cluster, app());
    expect(result.exitCode).toBe(1);
    expect(result.lines).toEqual([
      'refused: Deployment default/web (00-app.yaml): Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1',
      'nothing applied: the API server refuses 1 of 2 objects',
    ]);
    expect(cluster.changes.filter((change) => change.verb === 'apply')).toEqual([]);
  });

  test('--dry-run plans and changes nothing, not even the Lease', async () => {
    const cluster = healthyCluster();
    const result = await run(cluster, app(), { dryRun: true });
    expect(result.exitCode).toBe(0);
    expect(result.lines).toEqual(['+ ConfigMap default/settings (added)', '+ Deployment default/web (added)', '2 added, 0 removed, 0 changed, 0 unchanged']);
    expect(cluster.changes).toEqual([]);
  });

  test('a Deployment whose pods cannot be scheduled fails at the timeout, naming it, Unschedulable and the events; nothing pruned', async () => {
    const cluster = new FakeCluster();
    cluster.put({
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-abc', namespace: 'default', labels: { app: 'web' } },
      status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available: 3 Insufficient cpu.' }] },
    });
    cluster.eventsByName.set('web-abc', [{ apiVersion: 'v1', kind: 'Event', metadata: { name: 'e' }, type: 'Warning', reason: 'FailedScheduling', message: '0/3 nodes are available: 3 Insufficient cpu.', count: 4 } as KubeObject]);
    const result = await run(cluster, app(), { timeoutSeconds: 20 });
    expect(result.exitCode).toBe(1);
    expect(result.clock.time - Date.parse('2026-01-01T00:00:00Z')).toBe(20_000);
    expect(result.lines.slice(-2)).toEqual([
      [
        'Deployment default/web: LessReplicas: not ready after 20s: 0/2 replicas',
        '    pod web-abc: Unschedulable: 0/3 nodes are available: 3 Insufficient cpu.',
        '    pod web-abc: event Warning FailedScheduling: 0/3 nodes are available: 3 Insufficient cpu. (×4)',
      ].join('\n'),
      'deploy of stage dev failed: 1 objects not ready; nothing pruned',
    ]);
    expect(await listRevisions(cluster, parent, 'dev')).toEqual([]);
  });

  test('progress lines say what is awaited', async () => {
    const cluster = new FakeCluster();
    const progress: string[] = [];
    cluster.onApplied = (object) => {
      if (object.kind === 'Deployment') cluster.put({ ...object, status: { observedGeneration: 1, replicas: 2, updatedReplicas: 1 } });
    };
    const clock = new FakeClock();
    clock.onSleep = (elapsed) => {
      if (elapsed === 3000) cluster.put(rolledOut(cluster.objects.get(JSON.stringify(['apps', 'Deployment', 'default', 'web']))!));
    };
    const result = await run(cluster, app(), { clock, progress: (line) => progress.push(line) });
    expect(result.exitCode).toBe(0);
    expect(progress).toEqual(['waiting for 1: web 1/2 updated', 'waiting for 1: web 1/2 updated', 'waiting for 1: web 1/2 updated']);
  });

  test('a revision is kept per changed deploy, at most keepRevisions; rollback reads the one before the latest', async () => {
    const cluster = healthyCluster();
    for (const image of ['nginx:1', 'nginx:2', 'nginx:3']) await run(cluster, sourced([deployment('web', image)]), { keepRevisions: 2, description: image });
    expect((await listRevisions(cluster, parent, 'dev')).map((revision) => [revision.number, revision.description])).toEqual([[2, 'nginx:2'], [3, 'nginx:3']]);
    const previous = await readRevision(cluster, parent, 'dev');
    expect(previous.revision.number).toBe(2);
    expect(previous.objects).toEqual(sourced([deployment('web', 'nginx:2')]));
    const rolledBack = await run(cluster, previous.objects, { keepRevisions: 2, description: 'rollback to 2' });
    expect(rolledBack.lines[1]).toBe('    spec.template.spec.containers[name=web].image: nginx:3 → nginx:2');
    expect((await listRevisions(cluster, parent, 'dev')).map((revision) => revision.number)).toEqual([3, 4]);
    await expect(readRevision(cluster, parent, 'dev', 1)).rejects.toThrow('stage dev has no revision 1; kept: 3, 4');
  });

  test('a revision can only be read when there is one', async () => {
    await expect(readRevision(new FakeCluster(), parent, 'dev')).rejects.toThrow('stage dev has no recorded revision in namespace default: deploy it first');
  });
});

describe('the Lease: one deploy of a stage at a time', () => {
  test('a second deploy waits for the Lease and fails with who holds it when it is not released', async () => {
    const cluster = healthyCluster();
    const clock = new FakeClock();
    await acquireLease(cluster, parent, 'dev', { clock, waitSeconds: 0, holder: 'alice-1' });
    const waits: string[] = [];
    const second = acquireLease(cluster, parent, 'dev', { clock, waitSeconds: 10, holder: 'bob-2', onWait: (holder) => waits.push(holder) });
    await expect(second).rejects.toThrow('stage dev is being deployed by alice-1 (Lease default/habr-k8s-deploy-dev); waited 10s, run again later or raise --lock-timeout');
    expect(waits).toEqual(['alice-1']);
  });

  test('a Lease released while the second waits is taken', async () => {
    const cluster = healthyCluster();
    const clock = new FakeClock();
    const first = await acquireLease(cluster, parent, 'dev', { clock, waitSeconds: 0, holder: 'alice-1' });
    const sleep = clock.sleep.bind(clock);
    clock.sleep = async (milliseconds) => {
      await first.release();
      await sleep(milliseconds);
    };
    const second = await acquireLease(cluster, parent, 'dev', { clock, waitSeconds: 10, holder: 'bob-2' });
    expect(second.holder).toBe('bob-2');
  });

  test('the Lease of a killed deploy expires: the next deploy takes it over after 30 s', async () => {
    const cluster = healthyCluster();
    const clock = new FakeClock();
    await acquireLease(cluster, parent, 'dev', { clock, waitSeconds: 0, holder: 'killed-1' });
    const started = clock.now();
    const next = await acquireLease(cluster, parent, 'dev', { clock, waitSeconds: 60, holder: 'next-2' });
    expect(next.holder).toBe('next-2');
    expect(clock.now() - started).toBe(30_000);
    await expect(acquireLease(cluster, parent, 'dev', { clock, waitSeconds: 0, holder: 'third-3' })).rejects.toThrow('is being deployed by next-2');
  });

  test('a renewal that cannot reach the server does not stop the deploy; the next one renews', async () => {
    const cluster = healthyCluster();
    const clock = new FakeClock();
    const held = await acquireLease(cluster, parent, 'dev', { clock, waitSeconds: 0, holder: 'alice-1' });
    const get = cluster.get.bind(cluster);
    cluster.get = async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:6443');
    };
    await expect(held.renew()).rejects.toThrow('ECONNREFUSED');
    cluster.get = get;
    clock.time += 10_000;
    await held.renew();
    const lease = await cluster.get({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', name: 'habr-k8s-deploy-dev', namespace: 'default' });
    expect(lease?.spec).toMatchObject({ holderIdentity: 'alice-1', renewTime: new Date(clock.time).toISOString().replace('Z', '000Z') });
  });

  test('a renewal notices that another deploy took the Lease', async () => {
    const cluster = healthyCluster();
    const clock = new FakeClock();
    const held = await acquireLease(cluster, parent, 'dev', { clock, waitSeconds: 0, holder: 'alice-1' });
    clock.time += 31_000;
    await acquireLease(cluster, parent, 'dev', { clock, waitSeconds: 0, holder: 'bob-2' });
    await expect(held.renew()).rejects.toThrow('was taken over by bob-2; stopping');
  });
});

describe('apply order and waiting', () => {
  test('Namespaces and CRDs form the first group, then one group per output file in order', async () => {
    const crd: KubeObject = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' }, spec: { group: 'example.com', names: { kind: 'Widget' } } };
    const objects: SourcedObject[] = [
      { object: configMap('a'), source: '00-a.yaml', order: 0 },
      { object: crd, source: '00-a.yaml', order: 1 },
      { object: { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'default' } }, source: '01-b.yaml', order: 2 },
      { object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }, source: '01-b.yaml', order: 3 },
    ];
    const cluster = new FakeCluster(['ConfigMap', 'CustomResourceDefinition', 'Namespace']);
    const plan = await planDeploy(objects, cluster, { parent });
    expect(plan.unchecked).toEqual(['Widget default/w']);
    expect(applyGroups(plan.objects).map((group) => group.map((item) => item.label))).toEqual([
      ['CustomResourceDefinition widgets.example.com', 'Namespace shop'], ['ConfigMap default/a'], ['Widget default/w'],
    ]);
  });

  test('within a group the workloads are sent first, the rest in file order', async () => {
    const objects = sourced([configMap('a'), deployment('web'), { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' } }, deployment('api'), configMap('b')]);
    const plan = await planDeploy(objects, new FakeCluster(), { parent });
    expect(applyGroups(plan.objects).map((group) => group.map((item) => item.label))).toEqual([
      ['Deployment default/web', 'Deployment default/api', 'ConfigMap default/a', 'Service default/web', 'ConfigMap default/b'],
    ]);
  });

  test('an API server that cannot be reached for a while is retried; one that stays away fails with a clear message', async () => {
    const cluster = healthyCluster();
    await run(cluster, app());
    const web = await cluster.get({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'default' });
    cluster.put({ ...web!, status: { observedGeneration: 1, replicas: 2, updatedReplicas: 1 } });
    const refused = new Error('connect ECONNREFUSED 127.0.0.1:6443');
    const clock = new FakeClock();
    // Away from the 2nd to the 5th second, the Deployment rolled out meanwhile.
    clock.onSleep = (elapsed) => {
      if (elapsed === 2000) cluster.setAway(refused);
      if (elapsed === 4000) cluster.put(rolledOut(web!));
      if (elapsed === 5000) cluster.setAway(undefined);
    };
    const objects = [deployment('web')];
    const notices: string[] = [];
    expect(await waitForReady(objects, cluster, { clock, timeoutSeconds: 10, notice: (line) => notices.push(line) })).toEqual([]);
    // Told once when the reads start failing and once when they work again, not at every look.
    expect(notices).toEqual([
      '1 of 1 awaited objects: cannot read it: connect ECONNREFUSED 127.0.0.1:6443; trying again until the timeout',
      'the awaited objects can be read again; waiting for 1',
    ]);
    cluster.setAway(refused);
    expect(await waitForReady(objects, cluster, { clock: new FakeClock(), timeoutSeconds: 5 })).toEqual([{
      label: 'Deployment default/web', reason: 'Unreachable', message: 'not ready after 5s: cannot read it: connect ECONNREFUSED 127.0.0.1:6443', details: [],
    }]);
  });

  test('a server that refuses watches is polled: many objects of a kind in a namespace are read with one list per look; the progress line names five and counts the rest', async () => {
    const cluster = healthyCluster();
    cluster.watchRefusal = new ApiError(403, 'Forbidden', 'deployments.apps is forbidden: User "ci" cannot watch resource "deployments"');
    const objects = Array.from({ length: 12 }, (_, i) => deployment(`web-${i}`));
    for (const object of objects) cluster.put({ ...object, metadata: { ...object.metadata, generation: 1 }, status: { observedGeneration: 1, replicas: 2, updatedReplicas: 1 } });
    const calls: string[] = [];
    const list = cluster.list.bind(cluster);
    const get = cluster.get.bind(cluster);
    cluster.list = async (...args) => {
      calls.push(`list ${args[1]}`);
      const found = await list(...args);
      return calls.length > 2 ? found.map(rolledOut) : found;
    };
    cluster.get = async (ref) => {
      calls.push(`get ${ref.name}`);
      return get(ref);
    };
    const progress: string[] = [];
    expect(await waitForReady(objects, cluster, { clock: new FakeClock(), timeoutSeconds: 10, progress: (line) => progress.push(line) })).toEqual([]);
    // The list before the refused watch, then one list per look.
    expect(calls).toEqual(['list Deployment', 'list Deployment', 'list Deployment']);
    expect(cluster.watchRequests).toEqual(['Deployment default from 12']);
    // The second look follows the refusal at once, within the second: one progress line a second.
    expect(progress).toEqual(['waiting for 12: web-0 1/2 updated, web-1 1/2 updated, web-2 1/2 updated, web-3 1/2 updated, web-4 1/2 updated, 7 more']);
  });
});

describe('waiting by watches', () => {
  /** A cluster with `names` as Deployments half rolled out, and the object each one is. */
  function halfRolledOut(names: readonly string[]): { cluster: FakeCluster; objects: KubeObject[] } {
    const cluster = new FakeCluster();
    const objects = names.map((name) => deployment(name));
    for (const object of objects) cluster.put({ ...object, metadata: { ...object.metadata, generation: 1 }, status: { observedGeneration: 1, replicas: 2, updatedReplicas: 1 } });
    return { cluster, objects };
  }

  function counted(cluster: FakeCluster): string[] {
    const calls: string[] = [];
    const list = cluster.list.bind(cluster);
    const get = cluster.get.bind(cluster);
    cluster.list = async (...args) => {
      calls.push(`list ${args[1]}`);
      return list(...args);
    };
    cluster.get = async (ref) => {
      calls.push(`get ${ref.name}`);
      return get(ref);
    };
    return calls;
  }

  test('readiness is noticed when the watch reports it: no time passes, one list, one watch, no other read', async () => {
    const { cluster, objects } = halfRolledOut(['web-0', 'web-1', 'web-2']);
    const calls = counted(cluster);
    const clock = new StoppedClock();
    const waiting = waitForReady(objects, cluster, { clock, timeoutSeconds: 60 });
    await new Promise((resolve) => setImmediate(resolve));
    for (const object of objects) cluster.put(rolledOut({ ...object, metadata: { ...object.metadata, generation: 1 } }));
    expect(await waiting).toEqual([]);
    expect(calls).toEqual(['list Deployment']);
    expect(cluster.watchRequests).toEqual(['Deployment default from 3']);
  });

  test('a watch the server closes is started again from the last version seen: no list, no change lost', async () => {
    const { cluster, objects } = halfRolledOut(['web']);
    const calls = counted(cluster);
    const waiting = waitForReady(objects, cluster, { clock: new StoppedClock(), timeoutSeconds: 60 });
    await new Promise((resolve) => setImmediate(resolve));
    const halfway = cluster.objects.get(JSON.stringify(['apps', 'Deployment', 'default', 'web']))!;
    cluster.put({ ...halfway, status: { observedGeneration: 1, replicas: 2, updatedReplicas: 2 } });
    cluster.closeWatches();
    // Changed before the watch is started again: the new watch replays it from the version it starts at.
    cluster.put(rolledOut({ ...objects[0], metadata: { ...objects[0].metadata, generation: 1 } }));
    expect(await waiting).toEqual([]);
    expect(calls).toEqual(['list Deployment']);
    expect(cluster.watchRequests).toEqual(['Deployment default from 1', 'Deployment default from 2']);
  });

  test('410 Gone (the version is too old, e.g. after an API server restart): listed again, then watched from the new version', async () => {
    const { cluster, objects } = halfRolledOut(['web']);
    const calls = counted(cluster);
    const waiting = waitForReady(objects, cluster, { clock: new StoppedClock(), timeoutSeconds: 60 });
    await new Promise((resolve) => setImmediate(resolve));
    cluster.put({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'unrelated', namespace: 'default' } });
    cluster.compact();
    await new Promise((resolve) => setImmediate(resolve));
    cluster.put(rolledOut({ ...objects[0], metadata: { ...objects[0].metadata, generation: 1 } }));
    expect(await waiting).toEqual([]);
    expect(calls).toEqual(['list Deployment', 'list Deployment']);
    expect(cluster.watchRequests).toEqual(['Deployment default from 1', 'Deployment default from 2']);
  });

  test('a kind no longer awaited stops being watched; the wait ends with no watch left open', async () => {
    const { cluster, objects } = halfRolledOut(['web']);
    cluster.put(configMap('settings'));
    const stops: string[] = [];
    const watch = cluster.watch.bind(cluster);
    cluster.watch = async (apiVersion, kind, ...rest) => {
      const stop = await watch(apiVersion, kind, ...rest);
      return () => {
        stops.push(kind);
        stop();
      };
    };
    const waiting = waitForReady([configMap('settings'), ...objects], cluster, { clock: new StoppedClock(), timeoutSeconds: 60 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(stops).toEqual(['ConfigMap']);
    cluster.put(rolledOut({ ...objects[0], metadata: { ...objects[0].metadata, generation: 1 } }));
    expect(await waiting).toEqual([]);
    expect(stops).toEqual(['ConfigMap', 'Deployment']);
  });
});
