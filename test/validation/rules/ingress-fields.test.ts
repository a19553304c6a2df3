import { ingressFields } from '../../../lib/validation/rules/ingress-fields';
import { KubeObject } from '../../../lib/manifest/types';
import { runRule } from '../helpers';

function ingress(path: Record<string, unknown>, host = 'shop.example.com'): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web' },
    spec: { rules: [{ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } }, ...path }] } }] },
  };
}

describe('ingress-fields', () => {
  it('passes for Prefix and ImplementationSpecific paths, wildcard hosts and named ports', () => {
    expect(runRule(ingressFields, [
      ingress({}, '*.example.com'),
      ingress({ pathType: 'ImplementationSpecific', path: undefined }),
      ingress({ backend: { service: { name: 'web', port: { name: 'http' } } } }),
    ])).toEqual([]);
  });

  it('rejects a Prefix path without a leading /, a missing pathType and unnormalized paths', () => {
    const findings = runRule(ingressFields, [ingress({ path: 'api' }), ingress({ pathType: undefined }), ingress({ path: '/a//b' })]);
    expect(findings.map((f) => f.path)).toEqual(Array(3).fill('spec.rules[0].http.paths[0].path').map((p, i) => (i === 1 ? p + 'Type' : p)));
    expect(findings[0].message).toBe('spec.rules[0].http.paths[0].path "api" does not start with "/", which a Prefix path must; the API server rejects it. Write it as "/api".');
  });

  it('rejects IP hosts, ports with both name and number, and an Ingress that routes nothing', () => {
    const empty: KubeObject = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'none' }, spec: {} };
    const findings = runRule(ingressFields, [ingress({}, '10.0.0.1'), ingress({ backend: { service: { name: 'web', port: { name: 'http', number: 80 } } } }), empty]);
    expect(findings.map((f) => f.path)).toEqual(['spec.rules[0].host', 'spec.rules[0].http.paths[0].backend', 'spec']);
  });
});
