/**
 * What docs/gateway-api-migration.md claims, shown on the stages: the dev stage (ingress-nginx
 * Ingresses, as the article deploys it) and the prod stage (HTTPRoutes through the platform's
 * Gateway) differ exactly by the mapping the document gives, and the dev stage moved onto the
 * same Gateway (only its `front` changed) turns its canary Ingress's weight into route weights.
 */
import { App } from 'cdk8s';
import { HabrStack } from '../../apps/habr/stack';
import { DEV, GatewayFrontSettings, PROD, StageConfig } from '../../apps/habr/stages';
import { NGINX_CANARY_WEIGHT_ANNOTATION } from '../../lib/manifest/release-labels';
import { renderObjects } from '../../lib/render/synthesize';
import { allOf, DEV_UNPINNED_IMAGE_WARNINGS, find, findingLines, Obj } from '../helpers';

/** A stage's objects, validated as synth validates them: no error, no warning but the dev images' `:latest`. */
function objectsOf(stage: StageConfig): Obj[] {
  const app = new App();
  new HabrStack(app, stage);
  const rendered = renderObjects(app);
  expect(findingLines(rendered.report.findings)).toEqual(stage.requirePinnedImages ? [] : DEV_UNPINNED_IMAGE_WARNINGS);
  return rendered.objects.map((o) => o.object as Obj);
}

const gateway = PROD.front as GatewayFrontSettings;
const dev = objectsOf(DEV);
const prod = objectsOf(PROD);
/** The dev stage with prod's front: the same apps and releases, routed by the Gateway API. */
const devOnGateway = objectsOf({ ...DEV, front: PROD.front });
const APPS = ['frontend', 'backend'] as const;

describe('ingress-nginx (dev) to the Gateway API (prod), as docs/gateway-api-migration.md maps them', () => {
  test.each(APPS)('%s: the Ingress host, path and backend become an HTTPRoute\'s hostname, PathPrefix match and backendRef', (app) => {
    const ingress = find(dev, 'Ingress', `${app}-ingress`);
    const [rule] = ingress.spec.rules;
    expect(rule.host).toBe(DEV.hosts[app]);
    const [path] = rule.http.paths;
    for (const [stage, objects] of [[PROD, prod], [{ ...DEV, front: PROD.front }, devOnGateway]] as const) {
      const route = find(objects, 'HTTPRoute', `${app}-route`);
      expect(route.spec.hostnames).toEqual([stage.hosts[app]]);
      expect(route.spec.rules).toHaveLength(1);
      expect(path.pathType).toBe('Prefix');
      expect(route.spec.rules[0].matches).toEqual([{ path: { type: 'PathPrefix', value: path.path } }]);
      expect(route.spec.rules[0].backendRefs[0]).toMatchObject({ name: path.backend.service.name, port: path.backend.service.port.number });
    }
  });

  test('the ingress class becomes the parentRef of the platform\'s Gateway and its https listener, where TLS terminates', () => {
    expect(allOf(dev, 'Ingress').map((i) => i.spec.ingressClassName)).toEqual(['nginx', 'nginx', 'nginx']);
    for (const route of allOf(prod, 'HTTPRoute')) {
      expect(route.spec.parentRefs).toEqual([{ name: gateway.gateway.name, namespace: gateway.gateway.namespace, sectionName: 'https' }]);
    }
    // No Ingress, so no tls section and no cert-manager annotation of ours: the certificate is the Gateway listener's.
    expect(allOf(prod, 'Ingress')).toEqual([]);
    expect(JSON.stringify(prod)).not.toMatch(/cert-manager|"secretName":"[a-z]+-tls"/);
  });

  test('the canary Ingress\'s weight becomes the weights of the route\'s two backendRefs', () => {
    const canary = find(dev, 'Ingress', 'frontend-canary-ingress');
    const weight = Number(canary.metadata.annotations[NGINX_CANARY_WEIGHT_ANNOTATION]);
    expect(weight).toBe(20);
    const stableService = find(dev, 'Ingress', 'frontend-ingress').spec.rules[0].http.paths[0].backend.service.name;
    const canaryService = canary.spec.rules[0].http.paths[0].backend.service.name;
    expect(find(devOnGateway, 'HTTPRoute', 'frontend-route').spec.rules[0].backendRefs).toEqual([
      { name: stableService, port: 40002, weight: 100 - weight },
      { name: canaryService, port: 40002, weight },
    ]);
    expect(allOf(devOnGateway, 'Ingress')).toEqual([]);
  });

  test('the NetworkPolicies admit the Gateway\'s data plane where they admitted the ingress controller\'s namespace', () => {
    const controller = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } };
    const dataPlane = {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': gateway.dataPlane.namespace } },
      podSelector: { matchLabels: gateway.dataPlane.podLabels },
    };
    for (const app of APPS) {
      const froms = (objects: Obj[]) => (find(objects, 'NetworkPolicy', `${app}-network-policy`).spec.ingress as Obj[]).flatMap((rule) => rule.from);
      expect(froms(dev)).toContainEqual(controller);
      expect(froms(dev)).not.toContainEqual(dataPlane);
      expect(froms(prod)).toContainEqual(dataPlane);
      expect(froms(prod)).not.toContainEqual(controller);
    }
  });

  test.each(APPS)('%s: from-to-www-redirect becomes an HTTPRoute for www.<host> that redirects (301) to the host, on the same listener', (app) => {
    expect(find(dev, 'Ingress', `${app}-ingress`).metadata.annotations).toEqual({ 'nginx.ingress.kubernetes.io/from-to-www-redirect': 'true' });
    for (const [stage, objects] of [[PROD, prod], [{ ...DEV, front: PROD.front }, devOnGateway]] as const) {
      const redirect = find(objects, 'HTTPRoute', `${app}-www-redirect-route`);
      expect(redirect.spec).toEqual({
        parentRefs: find(objects, 'HTTPRoute', `${app}-route`).spec.parentRefs,
        hostnames: [`www.${stage.hosts[app]}`],
        rules: [{
          matches: [{ path: { type: 'PathPrefix', value: '/' } }],
          filters: [{ type: 'RequestRedirect', requestRedirect: { hostname: stage.hosts[app], statusCode: 301 } }],
        }],
      });
    }
  });
});
