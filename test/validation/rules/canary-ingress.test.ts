import { canaryIngress } from '../../../lib/validation/rules/canary-ingress';
import { KubeObject } from '../../../lib/manifest/types';
import { runRule, summarize } from '../helpers';

interface IngressOptions {
  name: string;
  host?: string;
  path?: string;
  className?: string;
  canary?: boolean;
  annotations?: Record<string, string>;
}

function ingress(options: IngressOptions): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1', kind: 'Ingress',
    metadata: {
      name: options.name, namespace: 'shop',
      annotations: { ...(options.canary ? { 'nginx.ingress.kubernetes.io/canary': 'true', 'nginx.ingress.kubernetes.io/canary-weight': '10' } : {}), ...options.annotations },
    },
    spec: {
      ingressClassName: options.className ?? 'nginx',
      rules: [{ host: options.host ?? 'shop.example.com', http: { paths: [{ path: options.path ?? '/', pathType: 'Prefix', backend: { service: { name: options.name, port: { number: 80 } } } }] } }],
    },
  };
}

const primary = ingress({ name: 'web' });

describe('canary-ingress', () => {
  it('passes for a canary on its primary\'s class, host and path, and ignores Ingresses without canaries', () => {
    expect(runRule(canaryIngress, [primary, ingress({ name: 'web-canary', canary: true }), ingress({ name: 'other', host: 'other.example.com' })])).toEqual([]);
  });

  it.each([
    ['host', { host: 'www.shop.example.com' }, /host www\.shop\.example\.com path \/ \(class nginx\)/],
    ['path', { path: '/shop' }, /host shop\.example\.com path \/shop/],
    ['class', { className: 'traefik' }, /\(class traefik\)/],
  ])('reports a canary whose %s no primary Ingress serves', (_, change, description) => {
    const findings = runRule(canaryIngress, [primary, ingress({ name: 'web-canary', canary: true, ...change })]);
    expect(summarize(findings)).toEqual([{ rule: 'canary-ingress', path: 'spec.rules[0].http.paths[0]', severity: 'error' }]);
    expect(findings[0].object).toBe('Ingress shop/web-canary');
    expect(findings[0].apiServer).toBe('accepts');
    expect(findings[0].message).toMatch(description);
    expect(findings[0].message).toMatch(/no primary \(non-canary\) Ingress of namespace shop serves that class, host and path/);
  });

  it('does not count another canary as the primary', () => {
    const findings = runRule(canaryIngress, [ingress({ name: 'web-canary', canary: true })]);
    expect(findings).toHaveLength(1);
  });

  it('reports a second canary on the same host and path', () => {
    const findings = runRule(canaryIngress, [primary, ingress({ name: 'web-canary', canary: true }), ingress({ name: 'web-canary-2', canary: true })]);
    expect(findings.map((f) => f.object)).toEqual(['Ingress shop/web-canary-2']);
    expect(findings[0].message).toMatch(/second canary for host shop\.example\.com path \/ \(class nginx\), after Ingress web-canary.*at most one canary/);
  });

  it.each([['ten'], ['-1'], ['101'], ['2.5']])('reports a canary-weight of %s', (weight) => {
    const findings = runRule(canaryIngress, [primary, ingress({ name: 'web-canary', canary: true, annotations: { 'nginx.ingress.kubernetes.io/canary-weight': weight } })]);
    expect(summarize(findings)).toEqual([{ rule: 'canary-ingress', path: 'metadata.annotations["nginx.ingress.kubernetes.io/canary-weight"]', severity: 'error' }]);
    expect(findings[0].message).toMatch(/an integer from 0 to 100/);
  });

  it('reads the weight against canary-weight-total', () => {
    const canary = (weight: string) => ingress({ name: 'web-canary', canary: true, annotations: { 'nginx.ingress.kubernetes.io/canary-weight': weight, 'nginx.ingress.kubernetes.io/canary-weight-total': '1000' } });
    expect(runRule(canaryIngress, [primary, canary('250')])).toEqual([]);
    expect(runRule(canaryIngress, [primary, canary('1001')])[0].message).toMatch(/from 0 to 1000/);
  });
});
