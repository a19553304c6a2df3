import { checkSchema } from '../../lib/validation/schema';
import { checkCrdValue, crdSchemaAt, CrdSchema, customResource, customResources } from '../../lib/validation/schema/crd';
import { KubeObject } from '../../lib/manifest/types';

function findingsOf(object: KubeObject) {
  return checkSchema([{ object, source: 'route.yaml', order: 0 }]).map(({ rule, path, severity, apiServer }) => ({ rule, path, severity, apiServer }));
}

const ROUTE: KubeObject = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: { name: 'web-route', namespace: 'shop' },
  spec: {
    parentRefs: [{ name: 'public', sectionName: 'http' }],
    hostnames: ['shop.example.com'],
    rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 'web', port: 80, weight: 90 }] }],
  },
};

function routeWith(mutate: (spec: Record<string, any>) => void): KubeObject {
  const copy = JSON.parse(JSON.stringify(ROUTE));
  mutate(copy.spec);
  return copy;
}

describe('the shipped CRDs in the schema check', () => {
  it('serves every version of the four Gateway API kinds we ship, with their scope', () => {
    expect([...customResources().keys()].sort()).toEqual([
      'gateway.networking.k8s.io/v1/Gateway',
      'gateway.networking.k8s.io/v1/GatewayClass',
      'gateway.networking.k8s.io/v1/HTTPRoute',
      'gateway.networking.k8s.io/v1/ReferenceGrant',
      'gateway.networking.k8s.io/v1beta1/Gateway',
      'gateway.networking.k8s.io/v1beta1/GatewayClass',
      'gateway.networking.k8s.io/v1beta1/HTTPRoute',
      'gateway.networking.k8s.io/v1beta1/ReferenceGrant',
    ]);
    expect(customResource('gateway.networking.k8s.io/v1', 'GatewayClass')?.scope).toBe('Cluster');
    expect(customResource('gateway.networking.k8s.io/v1', 'HTTPRoute')).toMatchObject({ scope: 'Namespaced', source: 'sigs.k8s.io/gateway-api v1.6.3' });
  });

  it('a valid HTTPRoute has no finding (no schema-unknown-kind warning either); other custom kinds still warn', () => {
    expect(findingsOf(ROUTE)).toEqual([]);
    expect(findingsOf({ apiVersion: 'gateway.networking.k8s.io/v1alpha2', kind: 'TCPRoute', metadata: { name: 'x' } })).toEqual([
      { rule: 'schema-unknown-kind', path: 'apiVersion', severity: 'warning', apiServer: 'accepts' },
    ]);
  });

  it('reports what the CRD schema refuses, as errors the API server rejects', () => {
    expect(findingsOf(routeWith((s) => (s.rules[0].backendRefs[0].weight = 1_000_001)))).toEqual([
      { rule: 'schema-value', path: 'spec.rules[0].backendRefs[0].weight', severity: 'error', apiServer: 'rejects' },
    ]);
    expect(findingsOf(routeWith((s) => (s.rules[0].backendRefs[0].wieght = 1)))).toEqual([
      { rule: 'schema-unknown-field', path: 'spec.rules[0].backendRefs[0].wieght', severity: 'error', apiServer: 'rejects' },
    ]);
    expect(findingsOf(routeWith((s) => delete s.parentRefs[0].name))).toEqual([
      { rule: 'schema-required', path: 'spec.parentRefs[0].name', severity: 'error', apiServer: 'rejects' },
    ]);
    expect(findingsOf(routeWith((s) => (s.hostnames = 'shop.example.com')))).toEqual([
      { rule: 'schema-type', path: 'spec.hostnames', severity: 'error', apiServer: 'rejects' },
    ]);
    const [finding] = checkSchema([{ object: routeWith((s) => (s.rules[0].matches[0].path.type = 'Prefix')), source: 'r.yaml', order: 0 }]);
    expect(finding.message).toBe('spec.rules[0].matches[0].path.type is the string "Prefix"; allowed: "Exact", "PathPrefix", "RegularExpression" '
      + '(HTTPRoute CRD of sigs.k8s.io/gateway-api v1.6.3, imports/crds/gateway.networking.k8s.io_httproutes.yaml)');
    expect(finding.object).toBe('HTTPRoute shop/web-route');
  });

  it('needs metadata.name; labels a cluster-scoped kind without namespace', () => {
    const findings = checkSchema([{ object: { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: {}, spec: { controllerName: 'example.com/gateway' } }, source: 'c.yaml', order: 0 }]);
    expect(findings.map(({ rule, path, object }) => ({ rule, path, object }))).toEqual([{ rule: 'schema-required', path: 'metadata.name', object: 'GatewayClass (unnamed)' }]);
  });
});

describe('checkCrdValue', () => {
  const schema: CrdSchema = {
    type: 'object',
    required: ['name'],
    properties: {
      name: { type: 'string', minLength: 2, maxLength: 4, pattern: '^[a-z]+$' },
      count: { type: 'integer', minimum: 1, maximum: 3 },
      ratio: { type: 'number' },
      on: { type: 'boolean' },
      mode: { type: 'string', enum: ['A', 'B'] },
      tags: { type: 'array', minItems: 1, maxItems: 2, items: { type: 'string' } },
      labels: { type: 'object', additionalProperties: { type: 'string' } },
      free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { known: { type: 'string' } } },
      port: { 'x-kubernetes-int-or-string': true },
      open: { type: 'object' },
    },
  };
  const rules = (value: unknown) => checkCrdValue(value, schema).map(({ rule, path }) => `${rule} ${path}`);

  it('accepts a valid value, null fields and fields of open objects', () => {
    expect(rules({ name: 'abc', count: 2, ratio: 0.5, on: true, mode: 'A', tags: ['x'], labels: { a: 'b' }, free: { any: 1 }, port: 'http', open: { x: [1] } })).toEqual([]);
    expect(rules({ name: 'ab', count: null, port: 8080 })).toEqual([]);
  });

  it('reports every kind of violation with its path', () => {
    expect(rules({ count: 0, tags: [], mode: 'C', extra: 1 })).toEqual([
      'schema-value count', 'schema-value tags', 'schema-value mode', 'schema-unknown-field extra', 'schema-required name',
    ]);
    expect(rules({ name: 'a', count: 4, tags: ['a', 'b', 3], labels: { a: 1 }, port: 1.5, ratio: Infinity, on: 'yes' })).toEqual([
      'schema-value name', 'schema-value count', 'schema-value tags', 'schema-type tags[2]', 'schema-type labels.a', 'schema-type port', 'schema-type ratio', 'schema-type on',
    ]);
    expect(rules({ name: 'abcde' })).toEqual(['schema-value name']);
    expect(rules({ name: 'AB' })).toEqual(['schema-value name']);
    expect(rules('text')).toEqual(['schema-type ']);
    expect(checkCrdValue({ name: 'ab', 'odd key': 1 }, schema)[0].path).toBe('["odd key"]');
  });
});

describe('crdSchemaAt', () => {
  it('finds fields and list items of a shipped CRD', () => {
    expect(crdSchemaAt('gateway.networking.k8s.io/v1', 'HTTPRoute', 'spec.rules[].backendRefs[].weight')).toMatchObject({ type: 'integer', minimum: 0, maximum: 1000000 });
    expect(crdSchemaAt('gateway.networking.k8s.io/v1', 'HTTPRoute', 'spec.rules[].backendRefs').maxItems).toBe(16);
  });

  it('throws for a kind we do not ship and a field the CRD lacks', () => {
    expect(() => crdSchemaAt('example.com/v1', 'Widget', 'spec')).toThrow('no shipped CRD serves example.com/v1 Widget');
    expect(() => crdSchemaAt('gateway.networking.k8s.io/v1', 'HTTPRoute', 'spec.rulez')).toThrow(/has no field spec\.rulez/);
  });
});
