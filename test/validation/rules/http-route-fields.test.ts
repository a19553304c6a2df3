import { httpRouteFields } from '../../../lib/validation/rules/http-route-fields';
import { KubeObject } from '../../../lib/manifest/types';
import { runRule, summarize } from '../helpers';

function route(spec: Record<string, unknown>, apiVersion = 'gateway.networking.k8s.io/v1'): KubeObject {
  return { apiVersion, kind: 'HTTPRoute', metadata: { name: 'web-route', namespace: 'shop' }, spec: { parentRefs: [{ name: 'public' }], ...spec } };
}

function withPath(type: string | undefined, value: string): KubeObject {
  return route({ rules: [{ matches: [{ path: { ...(type ? { type } : {}), value } }], backendRefs: [{ name: 'web', port: 80 }] }] });
}

describe('http-route-fields', () => {
  it('passes for normalized paths, any RegularExpression, and Service backends with ports', () => {
    for (const [type, value] of [['PathPrefix', '/'], ['Exact', '/api/v1'], ['PathPrefix', '/a%20b'], [undefined, '/x'], ['RegularExpression', '^/a//b#$']]) {
      expect(runRule(httpRouteFields, [withPath(type, value as string)])).toEqual([]);
    }
    expect(runRule(httpRouteFields, [route({ rules: [{ backendRefs: [{ group: 'example.com', kind: 'Bucket', name: 'b' }] }] })])).toEqual([]);
  });

  it('reports Exact and PathPrefix values the CRD CEL rules refuse (PathPrefix when type is left out)', () => {
    for (const [type, value, reason] of [
      ['PathPrefix', 'api', 'must start with "/"'],
      ['Exact', '/a//b', 'must not contain "//"'],
      [undefined, '/a/./b', 'must not contain "/./"'],
      ['PathPrefix', '/a#b', 'must not contain "#"'],
      ['PathPrefix', '/a/..', 'must not end with'],
      ['Exact', '/a b', 'may contain only'],
    ]) {
      const findings = runRule(httpRouteFields, [withPath(type, value as string)]);
      expect(summarize(findings)).toEqual([{ rule: 'http-route-fields', path: 'spec.rules[0].matches[0].path.value', severity: 'error' }]);
      expect(findings[0].apiServer).toBe('rejects');
      expect(findings[0].message).toContain(reason);
    }
  });

  it('reports a Service backendRef without a port', () => {
    const findings = runRule(httpRouteFields, [route({ rules: [{ backendRefs: [{ name: 'web', port: 80 }, { kind: 'Service', name: 'web' }] }] })]);
    expect(summarize(findings)).toEqual([{ rule: 'http-route-fields', path: 'spec.rules[0].backendRefs[1].port', severity: 'error' }]);
    expect(findings[0].message).toMatch(/Must have port for Service reference/);
  });

  it('reports a parent named twice, and a parent with and without sectionName', () => {
    const twice = runRule(httpRouteFields, [route({ parentRefs: [{ name: 'public' }, { name: 'public' }] })]);
    expect(summarize(twice)).toEqual([{ rule: 'http-route-fields', path: 'spec.parentRefs[1]', severity: 'error' }]);
    expect(twice[0].message).toMatch(/names parent public twice/);
    const sameSection = runRule(httpRouteFields, [route({ parentRefs: [{ name: 'public', sectionName: 'http' }, { name: 'public', sectionName: 'http' }] })]);
    expect(sameSection[0].message).toMatch(/names parent public section http twice/);
    const mixed = runRule(httpRouteFields, [route({ parentRefs: [{ name: 'public', sectionName: 'http' }, { name: 'public' }] })]);
    expect(summarize(mixed)).toEqual([{ rule: 'http-route-fields', path: 'spec.parentRefs[1]', severity: 'error' }]);
    expect(mixed[0].message).toMatch(/only some of its entries set a sectionName/);
  });

  it('passes for one Gateway with two sections, and for same-named Gateways of two namespaces', () => {
    expect(runRule(httpRouteFields, [route({ parentRefs: [{ name: 'public', sectionName: 'http' }, { name: 'public', sectionName: 'https' }] })])).toEqual([]);
    expect(runRule(httpRouteFields, [route({ parentRefs: [{ name: 'public', namespace: 'a' }, { name: 'public', namespace: 'b' }] })])).toEqual([]);
  });

  it('leaves other API versions alone', () => {
    expect(runRule(httpRouteFields, [{ ...withPath('PathPrefix', 'api'), apiVersion: 'gateway.networking.k8s.io/v1beta1' }])).toEqual([]);
  });
});
