import { ingressBackend } from '../../../lib/validation/rules/ingress-backend';
import { KubeObject } from '../../../lib/manifest/types';
import { runRule, service, summarize } from '../helpers';

function ingress(backends: Record<string, unknown>[], defaultBackend?: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'shop' },
    spec: {
      ...(defaultBackend ? { defaultBackend: { service: defaultBackend } } : {}),
      rules: [{ host: 'shop.example.com', http: { paths: backends.map((backend, i) => ({ path: `/${i}`, pathType: 'Prefix', backend: { service: backend } })) } }],
    },
  };
}

const web = service({ namespace: 'shop', ports: [{ name: 'http', port: 80, targetPort: 8080 }] });

describe('ingress-backend', () => {
  it('passes for backends naming an existing Service port by number or name, including defaultBackend', () => {
    const objects = [web, ingress([{ name: 'web', port: { number: 80 } }, { name: 'web', port: { name: 'http' } }], { name: 'web', port: { number: 80 } })];
    expect(runRule(ingressBackend, objects)).toEqual([]);
  });

  it('accepts a Service declared external', () => {
    expect(runRule(ingressBackend, [ingress([{ name: 'legacy', port: { number: 80 } }])], [{ kind: 'Service', namespace: 'shop', name: 'legacy' }])).toEqual([]);
  });

  it('reports a missing Service, also one that only exists in another namespace', () => {
    const elsewhere = service({ name: 'api', namespace: 'other' });
    const findings = runRule(ingressBackend, [elsewhere, ingress([{ name: 'api', port: { number: 80 } }])]);
    expect(summarize(findings)).toEqual([{ rule: 'ingress-backend', path: 'spec.rules[0].http.paths[0].backend.service.name', severity: 'error' }]);
    expect(findings[0].message).toMatch(/Service api, which is not in namespace shop.*503/);
  });

  it('reports ports the Service does not expose, by number and by name, in defaultBackend too', () => {
    const findings = runRule(ingressBackend, [web, ingress([{ name: 'web', port: { number: 8080 } }], { name: 'web', port: { name: 'https' } })]);
    expect(summarize(findings)).toEqual([
      { rule: 'ingress-backend', path: 'spec.defaultBackend.service.port', severity: 'error' },
      { rule: 'ingress-backend', path: 'spec.rules[0].http.paths[0].backend.service.port', severity: 'error' },
    ]);
    expect(findings[0].message).toMatch(/"https", but Service web exposes 80 \(http\)/);
    expect(findings[1].message).toMatch(/is 8080, but Service web exposes 80 \(http\).*503/);
  });
});
