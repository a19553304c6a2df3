import * as path from 'path';
import { checkSchema, checkSchemaReleases } from '../../lib/validation/schema';
import { mayBeRejected, upgradeCompatibility } from '../../lib/validation/schema/compatibility';
import { loadSchema, parseFieldType, Schema } from '../../lib/manifest/api/load';
import { loadManifestFolder } from '../../lib/manifest/load';
import type { KubeObject, SourcedObject } from '../../lib/manifest/types';

const ROOT = path.join(__dirname, '../..');

function sourced(...objects: KubeObject[]): SourcedObject[] {
  return objects.map((object, order) => ({ object, source: 'test.yaml', order }));
}

/** A schema from `model: { field: descriptor }` tables, every kind served as `v1/<Kind>` → model `<Kind>`. */
function schemaOf(version: string, models: Record<string, Record<string, string>>, required: Record<string, string[]> = {}): Schema {
  return {
    kubernetesVersion: version,
    models: new Map(Object.entries(models).map(([name, fields]) => [name, {
      name,
      fields: new Map(Object.entries(fields).map(([field, type]) => [field, parseFieldType(type)])),
      required: required[name] ?? [],
    }])),
    resources: new Map(Object.keys(models).filter((name) => /^[A-Z][a-z]+$/.test(name)).map((name) => [
      `v1/${name}`, { apiVersion: 'v1', kind: name, model: name, scope: 'Namespaced' as const },
    ])),
  };
}

function deploymentWith(podSpec: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'web', image: 'nginx:1.25', resources: { requests: { cpu: '100m' } } }], ...podSpec },
      },
    },
  };
}

const networkPolicy: KubeObject = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'deny' },
  spec: { podSelector: {}, policyTypes: ['Ingress'] },
};

const statefulSetWithClaim = (resources: Record<string, unknown>): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name: 'db' },
  spec: {
    serviceName: 'db',
    selector: { matchLabels: { app: 'db' } },
    template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'mongo:6.0.6' }] } },
    volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources } }],
  },
});

describe('upgradeCompatibility', () => {
  it('finds where Kubernetes 1.33 is narrower than 1.27, per pair of models at the same place', () => {
    const { narrowing, servedByBoth } = upgradeCompatibility(loadSchema('1.27'), loadSchema('1.33'));
    expect(servedByBoth.has('apps/v1/Deployment')).toBe(true);
    // Removed in 1.29: not served by both.
    expect(servedByBoth.has('flowcontrol.apiserver.k8s.io/v1beta2/FlowSchema')).toBe(false);
    expect(narrowing('V1HostAlias', 'V1HostAlias')).toEqual({ fields: [], required: ['ip'] });
    expect(narrowing('V1NetworkPolicy', 'V1NetworkPolicy')).toEqual({ fields: ['status'], required: [] });
    // Container resources keep the same model; a PVC's became VolumeResourceRequirements, without `claims`.
    expect(narrowing('V1ResourceRequirements', 'V1ResourceRequirements')).toBeUndefined();
    expect(narrowing('V1ResourceRequirements', 'V1VolumeResourceRequirements')).toEqual({ fields: ['claims'], required: [] });
  });

  it('treats narrower scalars, changed shapes, removed fields and new required fields as narrowing', () => {
    const older = schemaOf('1.0', {
      Thing: { count: 'number', tags: '[]string', spec: 'Spec', note: 'string', data: 'any' },
      Spec: { size: 'quantity', extra: 'string' },
    });
    const newer = schemaOf('2.0', {
      Thing: { count: 'integer', tags: 'string', spec: 'SpecV2', note: 'string', data: 'any', owner: 'string' },
      SpecV2: { size: 'quantity' },
    }, { Thing: ['owner'] });
    const { narrowing } = upgradeCompatibility(older, newer);
    expect(narrowing('Thing', 'Thing')).toEqual({ fields: ['count', 'tags'], required: ['owner'] });
    expect(narrowing('Spec', 'SpecV2')).toEqual({ fields: ['extra'], required: [] });
  });

  it('accepts widening: new optional fields and `any`', () => {
    const older = schemaOf('1.0', { Thing: { count: 'integer', list: '[]Item' }, Item: { name: 'string' } });
    const newer = schemaOf('2.0', { Thing: { count: 'any', list: '[]Item', more: 'string' }, Item: { name: 'string', age: 'integer' } });
    const { narrowing } = upgradeCompatibility(older, newer);
    expect(narrowing('Thing', 'Thing')).toBeUndefined();
    expect(narrowing('Item', 'Item')).toBeUndefined();
  });

  it('follows models that refer to themselves without looping', () => {
    const older = schemaOf('1.0', { Node: { child: 'Node', gone: 'string' } });
    const newer = schemaOf('2.0', { Node: { child: 'Node' } });
    expect(upgradeCompatibility(older, newer).narrowing('Node', 'Node')).toEqual({ fields: ['gone'], required: [] });
  });

  it('says a value may be rejected only when it sets a narrowed field or lacks a newly required one', () => {
    const compatibility = upgradeCompatibility(loadSchema('1.27'), loadSchema('1.33'));
    expect(mayBeRejected(compatibility, 'V1HostAlias', 'V1HostAlias', { hostnames: ['a'] })).toBe(true);
    expect(mayBeRejected(compatibility, 'V1HostAlias', 'V1HostAlias', { ip: '10.0.0.1', hostnames: ['a'] })).toBe(false);
    expect(mayBeRejected(compatibility, 'V1NetworkPolicy', 'V1NetworkPolicy', { spec: {} })).toBe(false);
    expect(mayBeRejected(compatibility, 'V1NetworkPolicy', 'V1NetworkPolicy', { spec: {}, status: {} })).toBe(true);
    expect(mayBeRejected(compatibility, 'V1NetworkPolicy', 'V1NetworkPolicy', { spec: {}, status: null })).toBe(true);
    expect(mayBeRejected(compatibility, 'V1PodSpec', 'V1PodSpec', { containers: [] })).toBe(false);
  });
});

describe('checkSchemaReleases', () => {
  const upgradeProne: Record<string, KubeObject> = {
    'a host alias without ip (required since 1.33)': deploymentWith({ hostAliases: [{ hostnames: ['db.local'] }] }),
    'a host alias with ip': deploymentWith({ hostAliases: [{ ip: '10.0.0.1', hostnames: ['db.local'] }] }),
    'a pod resource claim with the removed `source`': deploymentWith({ resourceClaims: [{ name: 'gpu', source: { resourceClaimName: 'gpu' } }] }),
    'a NetworkPolicy with the removed `status`': { ...networkPolicy, status: { conditions: [] } },
    'a NetworkPolicy without status': networkPolicy,
    'a NetworkPolicy with status: null (still an unknown field on 1.33)': { ...networkPolicy, status: null },
    'a pod resource claim with source: null': deploymentWith({ resourceClaims: [{ name: 'gpu', source: null }] }),
    'a PVC template with claims: null': statefulSetWithClaim({ requests: { storage: '1Gi' }, claims: null }),
    'a PVC template with `claims` (gone from VolumeResourceRequirements)': statefulSetWithClaim({ requests: { storage: '1Gi' }, claims: [{ name: 'x' }] }),
    'a PVC template without claims': statefulSetWithClaim({ requests: { storage: '1Gi' } }),
    'a kind 1.33 no longer serves': { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta2', kind: 'FlowSchema', metadata: { name: 'f' }, spec: { priorityLevelConfiguration: { name: 'p' } } },
    'an object with a 1.27 finding': deploymentWith({ hostNetwrk: true }),
  };

  it.each(Object.entries(upgradeProne))('reports on 1.33 exactly what a full 1.33 walk reports: %s', (_, object) => {
    const objects = sourced(object);
    const { target, newer } = checkSchemaReleases(objects, '1.27', ['1.33']);
    expect(target).toEqual(checkSchema(objects, '1.27'));
    expect(newer).toEqual([{ version: '1.33', findings: checkSchema(objects, '1.33') }]);
  });

  it('still reports the upgrade findings of the prone objects', () => {
    const { newer } = checkSchemaReleases(sourced(upgradeProne['a host alias without ip (required since 1.33)']), '1.27', ['1.33']);
    expect(newer[0].findings).toMatchObject([{ rule: 'schema-required', path: 'spec.template.spec.hostAliases[0].ip' }]);
  });

  it.each([
    ['the dev stack', 'dist'],
    ['the prod stack', 'dist/prod'],
    ['the valid example app', 'test/fixtures/valid/app'],
    ['the broken example', 'test/fixtures/broken/mixed'],
  ])('matches full walks of every release on %s', (_, folder) => {
    const objects = loadManifestFolder(path.join(ROOT, folder));
    const { target, newer } = checkSchemaReleases(objects, '1.27', ['1.33']);
    expect(target).toEqual(checkSchema(objects, '1.27'));
    expect(newer).toEqual([{ version: '1.33', findings: checkSchema(objects, '1.33') }]);
  });

  it('walks further newer releases in full, and none when there are none', () => {
    const objects = sourced(upgradeProne['a host alias without ip (required since 1.33)']);
    expect(checkSchemaReleases(objects, '1.27', []).newer).toEqual([]);
    const both = checkSchemaReleases(objects, '1.27', ['1.33', '1.27']);
    expect(both.newer.map((r) => r.version)).toEqual(['1.33', '1.27']);
    expect(both.newer[1].findings).toEqual(checkSchema(objects, '1.27'));
  });
});
