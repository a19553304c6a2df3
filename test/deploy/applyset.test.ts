import {
  APPLYSET_GROUP_KINDS_ANNOTATION, APPLYSET_ID_LABEL, APPLYSET_NAMESPACES_ANNOTATION, APPLYSET_PART_OF_LABEL, APPLYSET_TOOLING_ANNOTATION,
  applySetId, asMember, groupKindOf, parentContents, parentObject, parseGroupKind, stageParent,
} from '../../lib/deploy/applyset';
import { configMap } from './objects';

describe('ApplySet id and parent', () => {
  test('the id is kubectl\'s: Secret my-set in namespace test has the id in kubectl\'s own apply_test.go', () => {
    expect(applySetId({ name: 'my-set', namespace: 'test' })).toBe('applyset-0eFHV8ySqp7XoShsGvyWFQD3s96yqwHmzc4e0HR1dsY-v1');
  });

  test('a stage\'s parent is Secret habr-k8s-<stage>', () => {
    expect(stageParent('prod', 'default')).toEqual({ name: 'habr-k8s-prod', namespace: 'default' });
  });

  test('group kinds are written and read as schema.GroupKind writes and parses them', () => {
    expect(groupKindOf({ apiVersion: 'apps/v1', kind: 'Deployment' })).toBe('Deployment.apps');
    expect(groupKindOf({ apiVersion: 'v1', kind: 'Secret' })).toBe('Secret');
    expect(parseGroupKind('HTTPRoute.gateway.networking.k8s.io')).toEqual({ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' });
    expect(parseGroupKind('ConfigMap')).toEqual({ group: '', kind: 'ConfigMap' });
  });

  test('the parent lists kinds and other namespaces sorted, the id label and our tooling', () => {
    const parent = parentObject({ name: 'habr-k8s-dev', namespace: 'default' }, { groupKinds: new Set(['Service', 'Deployment.apps']), namespaces: new Set(['default', 'web', 'db']) }, '0.1.0');
    expect(parent.metadata?.labels).toEqual({ [APPLYSET_ID_LABEL]: applySetId({ name: 'habr-k8s-dev', namespace: 'default' }) });
    expect(parent.metadata?.annotations).toEqual({
      [APPLYSET_TOOLING_ANNOTATION]: 'habr-k8s/0.1.0',
      [APPLYSET_GROUP_KINDS_ANNOTATION]: 'Deployment.apps,Service',
      [APPLYSET_NAMESPACES_ANNOTATION]: 'db,web',
    });
  });

  test('a live parent is read back; no parent is an empty set in the parent\'s namespace', () => {
    const ref = { name: 'habr-k8s-dev', namespace: 'default' };
    const live = parentObject(ref, { groupKinds: new Set(['ConfigMap']), namespaces: new Set(['default', 'web']) }, '0.1.0');
    expect(parentContents(ref, live)).toEqual({ groupKinds: new Set(['ConfigMap']), namespaces: new Set(['default', 'web']) });
    expect(parentContents(ref, undefined)).toEqual({ groupKinds: new Set(), namespaces: new Set(['default']) });
  });

  test('a parent of another tool, without tooling, or with a wrong id is refused, as kubectl refuses it', () => {
    const ref = { name: 'habr-k8s-dev', namespace: 'default' };
    const live = parentObject(ref, { groupKinds: new Set(), namespaces: new Set() }, '0.1.0');
    const withAnnotations = (annotations: Record<string, string>, labels = live.metadata?.labels) => ({ ...live, metadata: { ...live.metadata, labels, annotations } });
    expect(() => parentContents(ref, withAnnotations({ [APPLYSET_TOOLING_ANNOTATION]: 'kubectl/v1.34.4' }))).toThrow('is managed by kubectl, not habr-k8s');
    expect(() => parentContents(ref, withAnnotations({}))).toThrow(`without the annotation ${APPLYSET_TOOLING_ANNOTATION}`);
    expect(() => parentContents(ref, withAnnotations({ [APPLYSET_TOOLING_ANNOTATION]: 'habr-k8s/0.0.1' }, { [APPLYSET_ID_LABEL]: 'applyset-x-v1' }))).toThrow('has applyset.kubernetes.io/id=applyset-x-v1, expected applyset-');
  });

  test('members get the part-of label; input that sets it is refused', () => {
    expect(asMember(configMap('a'), 'applyset-x-v1').metadata?.labels).toEqual({ [APPLYSET_PART_OF_LABEL]: 'applyset-x-v1' });
    const labelled = { ...configMap('a'), metadata: { name: 'a', labels: { [APPLYSET_PART_OF_LABEL]: 'other' } } };
    expect(() => asMember(labelled, 'applyset-x-v1')).toThrow('ConfigMap a: the label applyset.kubernetes.io/part-of is set in the manifests');
  });
});
