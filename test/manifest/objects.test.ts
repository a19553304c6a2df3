import { customResources } from '../../lib/validation/schema/crd';
import { resourceScope, SCHEMA_VERSIONS } from '../../lib/validation/schema';
import {
  apiGroupOf, asArray, compareText, asRecord, asString, effectiveNamespace, field, isClusterScoped, isRecord, joinPath, matchesLabelMap, matchesLabelSelector, objectLabel,
  records, stringMap,
} from '../../lib/manifest/objects';
import { loadSchema } from '../../lib/manifest/api/load';
import { diffManifests } from '../../lib/diff/diff';
import { labelOf } from '../../lib/validation/rule';

describe('cluster scope comes from the generated schemas', () => {
  test('every kind a supported release serves is cluster-scoped exactly when its schema says so', () => {
    for (const version of SCHEMA_VERSIONS) {
      for (const resource of loadSchema(version).resources.values()) {
        expect([resource.kind, isClusterScoped(resource.kind)]).toEqual([resource.kind, resourceScope(resource.apiVersion, resource.kind, version) === 'Cluster']);
      }
    }
  });

  test('the kinds the hand-written lists had, and the known cluster-scoped custom resources', () => {
    for (const kind of ['Namespace', 'Node', 'PersistentVolume', 'StorageClass', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition',
      'PriorityClass', 'IngressClass', 'RuntimeClass', 'CSIDriver', 'CSINode', 'APIService', 'ValidatingWebhookConfiguration',
      'MutatingWebhookConfiguration', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'VolumeAttachment',
      'CertificateSigningRequest', 'FlowSchema', 'PriorityLevelConfiguration', 'ClusterIssuer', 'VolumeSnapshotClass']) {
      expect([kind, isClusterScoped(kind)]).toEqual([kind, true]);
    }
    for (const kind of ['Deployment', 'Service', 'Secret', 'PersistentVolumeClaim', 'Role', 'RoleBinding', 'Issuer', 'Widget']) {
      expect([kind, isClusterScoped(kind)]).toEqual([kind, false]);
    }
  });

  test('the custom resources shipped in imports/crds have the scope their CRD gives', () => {
    for (const resource of customResources().values()) {
      expect([resource.kind, isClusterScoped(resource.kind)]).toEqual([resource.kind, resource.scope === 'Cluster']);
    }
  });

  test('findings and diffs name cluster-scoped objects without a namespace, namespaced ones with default', () => {
    const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', namespace: 'ignored' } };
    const runtime = { apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass', metadata: { name: 'gvisor' } };
    const config = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } };
    expect([node, runtime, config].map(labelOf)).toEqual(['Node n1', 'RuntimeClass gvisor', 'ConfigMap default/c']);
    expect(effectiveNamespace(node)).toBeUndefined();
    expect(effectiveNamespace({ ...config, metadata: { name: 'c', namespace: '' } })).toBe('default');
    const diff = diffManifests([], [node, runtime, config].map((object, order) => ({ object, source: 'a.yaml', order })));
    expect(diff.added.map((identity) => [identity.id, identity.namespace])).toEqual([
      ['ConfigMap default/c', 'default'], ['Node n1', undefined], ['RuntimeClass gvisor', undefined],
    ]);
  });
});

describe('the plain-object toolkit', () => {
  test('record guards and field access', () => {
    expect([isRecord({}), isRecord([]), isRecord(null), isRecord('x')]).toEqual([true, false, false, false]);
    expect(asRecord([1])).toBeUndefined();
    expect(asArray('x')).toEqual([]);
    expect(asString(1)).toBeUndefined();
    expect(field({ a: { b: [1] } }, 'a', 'b')).toEqual([1]);
    expect(field({ a: [{ b: 1 }] }, 'a', 'b')).toBeUndefined();
    expect(records([{ a: 1 }, 2, null, [3]])).toEqual([{ a: 1 }]);
    expect(stringMap({ a: 'x', b: 1 })).toEqual({ a: 'x' });
    expect(stringMap(['a'])).toEqual({});
  });

  test('key paths quote keys that are not identifiers', () => {
    expect(joinPath('', 'spec')).toBe('spec');
    expect(joinPath('metadata.labels', 'tier')).toBe('metadata.labels.tier');
    expect(joinPath('metadata.labels', 'app.kubernetes.io/name')).toBe('metadata.labels["app.kubernetes.io/name"]');
    expect(joinPath('data', 'my key')).toBe('data["my key"]');
  });

  test('label selectors: maps, expressions, an empty selector matches everything', () => {
    const labels = { app: 'web', tier: 'front' };
    expect(matchesLabelMap({ app: 'web' }, labels)).toBe(true);
    expect(matchesLabelMap({ app: 'api' }, labels)).toBe(false);
    expect(matchesLabelSelector({}, labels)).toBe(true);
    expect(matchesLabelSelector({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['front'] }, { key: 'x', operator: 'DoesNotExist' }] }, labels)).toBe(true);
    expect(matchesLabelSelector({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['front'] }] }, labels)).toBe(false);
    expect(matchesLabelSelector({ matchExpressions: [{ key: 'app', operator: 'Equals', values: ['web'] }] }, labels)).toBe(false);
  });

  test('object labels', () => {
    expect(objectLabel('Namespace', undefined, 'shop')).toBe('Namespace shop');
    expect(objectLabel('Service', 'shop', 'api')).toBe('Service shop/api');
  });
});

test('apiGroupOf: the group before the first slash, the core group of v1, and no group of a missing apiVersion', () => {
  expect(['apps/v1', 'networking.k8s.io/v1', 'v1', 'apps/v1/extra', undefined].map(apiGroupOf)).toEqual(['apps', 'networking.k8s.io', '', 'apps', '']);
});

test('compareText: code-unit order, whatever the locale (upper case before "_" before lower case)', () => {
  expect(['b', 'a', '_', 'B', 'a'].sort(compareText)).toEqual(['B', '_', 'a', 'a', 'b']);
});
