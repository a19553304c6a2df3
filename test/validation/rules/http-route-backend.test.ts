import { httpRouteBackend } from '../../../lib/validation/rules/http-route-backend';
import { KubeObject } from '../../../lib/manifest/types';
import { runRule, service, summarize } from '../helpers';

function route(backendRefs: Record<string, unknown>[], apiVersion = 'gateway.networking.k8s.io/v1'): KubeObject {
  return {
    apiVersion, kind: 'HTTPRoute', metadata: { name: 'web-route', namespace: 'shop' },
    spec: { parentRefs: [{ name: 'public' }], rules: [{ backendRefs }] },
  };
}

function grant(namespace: string, from: Record<string, unknown>, to: Record<string, unknown>): KubeObject {
  return { apiVersion: 'gateway.networking.k8s.io/v1beta1', kind: 'ReferenceGrant', metadata: { name: 'allow', namespace }, spec: { from: [from], to: [to] } };
}

const blue = service({ name: 'web-blue', namespace: 'shop', ports: [{ name: 'http', port: 80, targetPort: 8080 }] });
const green = service({ name: 'web-green', namespace: 'shop', ports: [{ name: 'http', port: 80, targetPort: 8080 }] });
const legacy = service({ name: 'legacy', namespace: 'old', ports: [{ port: 8080 }] });
const FROM_SHOP = { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'shop' };

describe('http-route-backend', () => {
  it('passes for weighted backends naming Services of the namespace and their ports', () => {
    expect(runRule(httpRouteBackend, [blue, green, route([{ name: 'web-blue', port: 80, weight: 90 }, { name: 'web-green', port: 80, weight: 10 }])])).toEqual([]);
  });

  it('passes for an explicit kind Service and for the route namespace given as namespace', () => {
    expect(runRule(httpRouteBackend, [blue, route([{ group: '', kind: 'Service', name: 'web-blue', namespace: 'shop', port: 80 }])])).toEqual([]);
  });

  it('leaves backends that are not core Services, and other API versions, alone', () => {
    expect(runRule(httpRouteBackend, [route([{ group: 'example.com', kind: 'Bucket', name: 'x' }, { kind: 'ServiceImport', name: 'y', port: 80 }])])).toEqual([]);
    expect(runRule(httpRouteBackend, [route([{ name: 'missing', port: 80 }], 'gateway.networking.k8s.io/v1beta1')])).toEqual([]);
  });

  it('accepts a Service declared external, in the namespace of the route or another one', () => {
    expect(runRule(httpRouteBackend, [route([{ name: 'elsewhere', port: 80 }])], [{ kind: 'Service', namespace: 'shop', name: 'elsewhere' }])).toEqual([]);
    expect(runRule(httpRouteBackend, [route([{ name: 'api', namespace: 'infra', port: 80 }])], [{ kind: 'Service', namespace: 'infra', name: 'api' }])).toEqual([]);
  });

  it('reports a missing Service, also one that exists only in another namespace', () => {
    const elsewhere = service({ name: 'web-purple', namespace: 'other' });
    const findings = runRule(httpRouteBackend, [blue, elsewhere, route([{ name: 'web-blue', port: 80 }, { name: 'web-purple', port: 80 }])]);
    expect(summarize(findings)).toEqual([{ rule: 'http-route-backend', path: 'spec.rules[0].backendRefs[1].name', severity: 'error' }]);
    expect(findings[0].apiServer).toBe('accepts');
    expect(findings[0].message).toMatch(/Service web-purple, which is not in namespace shop; the API server accepts it, but .*HTTP 500/);
  });

  it('reports a port the Service does not expose, and leaves a missing port to http-route-fields', () => {
    const findings = runRule(httpRouteBackend, [blue, route([{ name: 'web-blue', port: 8080 }, { name: 'web-blue' }])]);
    expect(summarize(findings)).toEqual([{ rule: 'http-route-backend', path: 'spec.rules[0].backendRefs[0].port', severity: 'error' }]);
    expect(findings[0].message).toMatch(/port is 8080, but Service web-blue exposes 80 \(http\)/);
  });

  it('does not check the port of an ExternalName Service', () => {
    const external: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'ext', namespace: 'shop' }, spec: { type: 'ExternalName', externalName: 'example.com' } };
    expect(runRule(httpRouteBackend, [external, route([{ name: 'ext', port: 443 }])])).toEqual([]);
  });

  it('reports a Service of another namespace without a ReferenceGrant that allows it', () => {
    const findings = runRule(httpRouteBackend, [legacy, route([{ name: 'legacy', namespace: 'old', port: 8080 }])]);
    expect(summarize(findings)).toEqual([{ rule: 'http-route-backend', path: 'spec.rules[0].backendRefs[0].namespace', severity: 'error' }]);
    expect(findings[0].message).toMatch(/Service old\/legacy in another namespace, and no ReferenceGrant in old allows HTTPRoutes of shop/);
  });

  it('accepts a Service of another namespace with a ReferenceGrant for all its Services or for it by name', () => {
    const backends = [{ name: 'legacy', namespace: 'old', port: 8080 }];
    expect(runRule(httpRouteBackend, [legacy, grant('old', FROM_SHOP, { group: '', kind: 'Service' }), route(backends)])).toEqual([]);
    expect(runRule(httpRouteBackend, [legacy, grant('old', FROM_SHOP, { group: '', kind: 'Service', name: 'legacy' }), route(backends)])).toEqual([]);
  });

  it('does not count a ReferenceGrant for another namespace, route namespace, kind or Service name', () => {
    const backends = [{ name: 'legacy', namespace: 'old', port: 8080 }];
    const wrongGrants = [
      grant('shop', FROM_SHOP, { group: '', kind: 'Service' }),
      grant('old', { ...FROM_SHOP, namespace: 'other' }, { group: '', kind: 'Service' }),
      grant('old', { ...FROM_SHOP, kind: 'GRPCRoute' }, { group: '', kind: 'Service' }),
      grant('old', FROM_SHOP, { group: '', kind: 'Secret' }),
      grant('old', FROM_SHOP, { group: '', kind: 'Service', name: 'other' }),
    ];
    for (const wrong of wrongGrants) {
      expect(summarize(runRule(httpRouteBackend, [legacy, wrong, route(backends)]))).toEqual([
        { rule: 'http-route-backend', path: 'spec.rules[0].backendRefs[0].namespace', severity: 'error' },
      ]);
    }
  });

  it('skips a backendRef without a name (the schema check reports it)', () => {
    expect(runRule(httpRouteBackend, [route([{ port: 80 }])])).toEqual([]);
  });
});
