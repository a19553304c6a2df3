import { httpRouteParent } from '../../../lib/validation/rules/http-route-parent';
import { KubeObject } from '../../../lib/manifest/types';
import { runRule, summarize } from '../helpers';

function route(parentRefs: Record<string, unknown>[], apiVersion = 'gateway.networking.k8s.io/v1'): KubeObject {
  return {
    apiVersion, kind: 'HTTPRoute', metadata: { name: 'web-route', namespace: 'shop' },
    spec: { parentRefs, rules: [{ backendRefs: [{ name: 'web-service', port: 80 }] }] },
  };
}

function gateway(namespace: string, listeners: Record<string, unknown>[]): KubeObject {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'public', namespace },
    spec: { gatewayClassName: 'envoy', listeners: listeners.map((l) => ({ protocol: 'HTTP', port: 80, ...l })) },
  };
}

const ALL_NAMESPACES = { namespaces: { from: 'All' } };

describe('http-route-parent', () => {
  it('passes for a Gateway of the manifests in the route\'s namespace, with or without a sectionName it has', () => {
    const own = gateway('shop', [{ name: 'http' }, { name: 'https', protocol: 'HTTPS', port: 443 }]);
    expect(runRule(httpRouteParent, [own, route([{ name: 'public' }])])).toEqual([]);
    expect(runRule(httpRouteParent, [own, route([{ name: 'public', sectionName: 'https' }])])).toEqual([]);
  });

  it('passes for a declared external Gateway, whatever listener it names', () => {
    const external = [{ kind: 'Gateway', namespace: 'gateway-system', name: 'public' }];
    expect(runRule(httpRouteParent, [route([{ name: 'public', namespace: 'gateway-system', sectionName: 'https' }])], external)).toEqual([]);
  });

  it('leaves parents that are not Gateways, and other API versions, alone', () => {
    expect(runRule(httpRouteParent, [route([{ group: '', kind: 'Service', name: 'mesh-service' }])])).toEqual([]);
    expect(runRule(httpRouteParent, [route([{ name: 'missing' }], 'gateway.networking.k8s.io/v1beta1')])).toEqual([]);
  });

  it('reports a Gateway neither in the manifests nor declared, also one declared in another namespace', () => {
    const findings = runRule(httpRouteParent, [route([{ name: 'public', namespace: 'gateway-system' }])], [{ kind: 'Gateway', namespace: 'shop', name: 'public' }]);
    expect(summarize(findings)).toEqual([{ rule: 'http-route-parent', path: 'spec.parentRefs[0].name', severity: 'error' }]);
    expect(findings[0].apiServer).toBe('accepts');
    expect(findings[0].message).toMatch(/^spec\.parentRefs\[0\] refers to Gateway gateway-system\/public, which is neither in the manifests nor declared as an external object; the API server accepts it, but no Gateway accepts the route/);
    expect(findings[0].message).toMatch(/--external Gateway\/gateway-system\/public\)\.$/);
  });

  it('reports a sectionName the Gateway has no listener of, naming the listeners it has', () => {
    const findings = runRule(httpRouteParent, [gateway('shop', [{ name: 'http' }]), route([{ name: 'public', sectionName: 'https' }])]);
    expect(summarize(findings)).toEqual([{ rule: 'http-route-parent', path: 'spec.parentRefs[0].sectionName', severity: 'error' }]);
    expect(findings[0].message).toMatch(/sectionName is https, but Gateway shop\/public has the listeners http;/);
  });

  it('reports a Gateway of another namespace whose listeners admit only their own namespace, and passes when they admit all', () => {
    const same = runRule(httpRouteParent, [gateway('gateway-system', [{ name: 'https' }]), route([{ name: 'public', namespace: 'gateway-system', sectionName: 'https' }])]);
    expect(summarize(same)).toEqual([{ rule: 'http-route-parent', path: 'spec.parentRefs[0]', severity: 'error' }]);
    expect(same[0].message).toMatch(/listener https, which admits only routes of its own namespace gateway-system \(allowedRoutes\.namespaces\.from: Same\)/);
    const open = gateway('gateway-system', [{ name: 'http' }, { name: 'https', allowedRoutes: ALL_NAMESPACES }]);
    expect(runRule(httpRouteParent, [open, route([{ name: 'public', namespace: 'gateway-system' }])])).toEqual([]);
    expect(summarize(runRule(httpRouteParent, [open, route([{ name: 'public', namespace: 'gateway-system', sectionName: 'http' }])])))
      .toEqual([{ rule: 'http-route-parent', path: 'spec.parentRefs[0]', severity: 'error' }]);
  });

  it('leaves a listener that selects namespaces by label alone', () => {
    const selected = gateway('gateway-system', [{ name: 'https', allowedRoutes: { namespaces: { from: 'Selector', selector: { matchLabels: { shared: 'yes' } } } } }]);
    expect(runRule(httpRouteParent, [selected, route([{ name: 'public', namespace: 'gateway-system' }])])).toEqual([]);
  });
});
