import { ApiError } from '../../lib/deploy/cluster-api';
import { APPLYSET_PART_OF_LABEL, applySetId, parentObject } from '../../lib/deploy/applyset';
import { planChanges, planDeploy } from '../../lib/deploy/plan';
import { formatPlan } from '../../lib/deploy/deploy';
import type { KubeObject } from '../../lib/manifest/types';
import { FakeCluster } from './fake-cluster';
import { configMap, deployment, sourced } from './objects';

const parent = { name: 'habr-k8s-dev', namespace: 'default' };
const id = applySetId(parent);

function member(object: KubeObject): KubeObject {
  return { ...object, metadata: { ...object.metadata, labels: { ...object.metadata?.labels, [APPLYSET_PART_OF_LABEL]: id } } };
}

/** A cluster holding a previous deploy of `objects`, its parent recording their kinds. */
function deployedCluster(objects: readonly KubeObject[]): FakeCluster {
  const cluster = new FakeCluster();
  cluster.defaults.set('Deployment', { spec: { strategy: { type: 'RollingUpdate' }, progressDeadlineSeconds: 600 } });
  for (const object of objects) cluster.put({ ...merge(cluster.defaults.get(object.kind) ?? {}, member(object)), metadata: { ...member(object).metadata, generation: 1, managedFields: [{ manager: 'habr-k8s' }] } });
  cluster.put(parentObject(parent, { groupKinds: new Set(objects.map((o) => (o.apiVersion === 'v1' ? o.kind : `${o.kind}.${o.apiVersion.split('/')[0]}`))), namespaces: new Set(['default']) }, '0.1.0'));
  return cluster;
}

function merge(defaults: Record<string, unknown>, object: KubeObject): KubeObject {
  const spec = { ...(defaults.spec as object | undefined), ...(object.spec as object | undefined) };
  return defaults.spec ? { ...object, spec } : object;
}

describe('planDeploy', () => {
  test('on an empty cluster every object is created, nothing pruned, nothing written', async () => {
    const cluster = new FakeCluster();
    const plan = await planDeploy(sourced([configMap('a'), deployment('web')]), cluster, { parent });
    expect(plan.objects.map((item) => [item.label, item.action])).toEqual([['ConfigMap default/a', 'create'], ['Deployment default/web', 'create']]);
    expect(plan.diff.added.map((item) => item.id)).toEqual(['ConfigMap default/a', 'Deployment default/web']);
    expect(plan.prune).toEqual([]);
    expect(cluster.changes).toEqual([]);
    expect(plan.objects[0].object.metadata?.labels).toEqual({ [APPLYSET_PART_OF_LABEL]: id });
  });

  test('the same objects again: no changes, though the server defaults fields the manifests leave out and managed fields differ', async () => {
    const objects = [configMap('a'), deployment('web')];
    const cluster = deployedCluster(objects);
    const plan = await planDeploy(sourced(objects), cluster, { parent });
    expect(planChanges(plan)).toBe(false);
    expect(plan.objects.map((item) => item.action)).toEqual(['unchanged', 'unchanged']);
    expect(formatPlan(plan)).toEqual(['no changes']);
  });

  test('the live side of many objects of a kind in a namespace is read by one list, not one get each; the diff is the same', async () => {
    const objects = [...Array.from({ length: 12 }, (_, i) => configMap(`c-${i}`)), deployment('web')];
    const cluster = deployedCluster(objects);
    const reads: string[] = [];
    const list = cluster.list.bind(cluster);
    const get = cluster.get.bind(cluster);
    cluster.list = async (...args) => {
      reads.push(`list ${args[1]}${args[3] ? ` -l ${args[3].split('=')[0]}` : ''}`);
      return list(...args);
    };
    cluster.get = async (ref) => {
      reads.push(`get ${ref.kind} ${ref.name}`);
      return get(ref);
    };
    const changed = objects.map((object) => (object.metadata?.name === 'c-3' ? { ...object, data: { key: 'new' } } : object));
    const plan = await planDeploy(sourced(changed), cluster, { parent });
    // The parent, the ConfigMaps by one list, the lone Deployment by a get, then the prune set's lists by the member label.
    expect(reads.filter((read) => !read.includes(' -l '))).toEqual(['get Secret habr-k8s-dev', 'list ConfigMap', 'get Deployment web']);
    expect(plan.objects.filter((item) => item.action !== 'unchanged').map((item) => `${item.action} ${item.label}`)).toEqual(['update ConfigMap default/c-3']);
  });

  test('a changed field is shown per object and field; an object the app lost is pruned; a hand-made object is not touched', async () => {
    const cluster = deployedCluster([configMap('a'), configMap('gone'), deployment('web')]);
    cluster.put(configMap('by-hand'));
    const plan = await planDeploy(sourced([configMap('a'), deployment('web', 'nginx:1.28')]), cluster, { parent });
    expect(plan.diff.changed).toEqual([{
      id: 'Deployment default/web', source: '00-app.yaml',
      changes: [{ path: 'spec.template.spec.containers[name=web].image', before: 'nginx:1.27', after: 'nginx:1.28' }],
    }]);
    expect(plan.prune.map((target) => target.label)).toEqual(['ConfigMap default/gone']);
    expect(formatPlan(plan)).toEqual([
      '- ConfigMap default/gone (removed)',
      '~ Deployment default/web',
      '    spec.template.spec.containers[name=web].image: nginx:1.27 → nginx:1.28',
      '0 added, 1 removed, 1 changed, 1 unchanged',
    ]);
  });

  test('a Namespace or PersistentVolumeClaim that left the app is kept without its flag, pruned with it', async () => {
    const claim: KubeObject = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'default' }, spec: { resources: { requests: { storage: '1Gi' } } } };
    const namespace: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'old' } };
    const cluster = deployedCluster([configMap('a'), claim, namespace]);
    const kept = await planDeploy(sourced([configMap('a')]), cluster, { parent });
    expect(kept.prune).toEqual([
      { ref: { apiVersion: 'v1', kind: 'Namespace', name: 'old' }, label: 'Namespace old', keptBecause: 'a Namespace is pruned only with --prune-namespaces' },
      { ref: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', name: 'data', namespace: 'default' }, label: 'PersistentVolumeClaim default/data', keptBecause: 'a PersistentVolumeClaim is pruned only with --prune-claims' },
    ]);
    expect(kept.diff.removed).toEqual([]);
    expect(formatPlan(kept)).toContain('kept PersistentVolumeClaim default/data: it left the app, but a PersistentVolumeClaim is pruned only with --prune-claims');
    const pruned = await planDeploy(sourced([configMap('a')]), cluster, { parent, pruneProtected: new Set(['Namespace', 'PersistentVolumeClaim']) });
    expect(pruned.diff.removed.map((item) => item.id)).toEqual(['Namespace old', 'PersistentVolumeClaim default/data']);
  });

  test('every refusal is reported, one per object, and a field-manager conflict names the fields and the other manager', async () => {
    const cluster = new FakeCluster();
    cluster.refusals.set('bad', new ApiError(422, 'Invalid', 'Deployment.apps "bad" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0'));
    cluster.refusals.set('taken', new ApiError(409, 'Conflict', 'Apply failed with 1 conflict', [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl-edit" using v1', field: '.data.key' }]));
    const plan = await planDeploy(sourced([deployment('bad'), configMap('taken'), configMap('fine')]), cluster, { parent });
    expect(plan.refusals).toEqual([
      { label: 'Deployment default/bad', source: '00-app.yaml', message: 'Deployment.apps "bad" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0' },
      { label: 'ConfigMap default/taken', source: '00-app.yaml', message: 'field-manager conflict: .data.key (owned by "kubectl-edit" using v1); --force-conflicts takes them over' },
    ]);
  });

  test('objects in a namespace the deploy creates are not dry-run, and say so', async () => {
    const cluster = new FakeCluster();
    const plan = await planDeploy(sourced([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }, configMap('a', {}, 'shop')]), cluster, { parent });
    expect(plan.refusals).toEqual([]);
    expect(plan.unchecked).toEqual(['ConfigMap shop/a']);
    expect(plan.contents.namespaces).toEqual(new Set(['default', 'shop']));
  });

  test('Secret values are masked in the diff', async () => {
    const secret = (value: string): KubeObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'default' }, data: { password: value, same: 'eA==' } });
    const cluster = deployedCluster([secret('b2xk')]);
    const plan = await planDeploy(sourced([secret('bmV3')]), cluster, { parent });
    expect(plan.diff.changed[0].changes).toEqual([{ path: 'data.password', before: '*** (before)', after: '*** (after)' }]);
  });
});
