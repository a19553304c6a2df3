import { App, Chart } from 'cdk8s';
import { ServiceType } from 'cdk8s-plus-27';
import { Peer, PropsError, ReleasedWebApp, ReleasedWebAppProps, ReleaseStrategy, WebApp } from '../../lib';
import { RELEASE_MIXED_VERSIONS_ANNOTATION, RELEASE_VERSION_LABEL } from '../../lib/manifest/release-labels';
import { appManifests } from '../../lib/render/manifests';
import { validateObjects } from '../../lib/validation';
import { allOf, find, has, invalid, newChart, Obj, synth, testChartLabels } from '../helpers';

/** The pods of the Gateway's data plane, which a routed release admits. */
const DATA_PLANE = Peer.gatewayDataPlane({ namespace: 'gateways' });

const NAME = 'app.kubernetes.io/name';
const VERSION = RELEASE_VERSION_LABEL;
const BLUE_GREEN: ReleaseStrategy = { strategy: 'blue-green', active: 'blue' };
const TWO_VERSIONS = { blue: { image: 'shop/web:1.0' }, green: { image: 'shop/web:1.1' } };

function make(props: Partial<ReleasedWebAppProps> = {}, chart = newChart()) {
  const app = new ReleasedWebApp(chart, 'Web', { name: 'web', port: 8080, versions: TWO_VERSIONS, release: BLUE_GREEN, ...props });
  return { chart, app, objects: synth(chart) };
}

/** The PropsError `build` throws: every problem at once. */
function problemsOf(props: Partial<ReleasedWebAppProps>): { field: string; value: unknown; allowed: string }[] {
  const chart = newChart();
  try {
    make(props, chart);
  } catch (error) {
    expect(error).toBeInstanceOf(PropsError);
    expect(chart.node.children).toHaveLength(0); // nothing half-built is left behind
    return (error as PropsError).problems.map(({ field, value, allowed }) => ({ field, value, allowed }));
  }
  throw new Error('expected a PropsError');
}

const selectorOf = (objects: Obj[], name: string) => find(objects, 'Service', name).spec.selector;

describe('blue/green', () => {
  test('one Deployment per version, each selecting by app and version, with its own image', () => {
    const { objects } = make();
    expect(allOf(objects, 'Deployment').map((d) => d.metadata.name)).toEqual(['web-blue-deployment', 'web-green-deployment']);
    for (const [version, image] of [['blue', 'shop/web:1.0'], ['green', 'shop/web:1.1']]) {
      const deployment = find(objects, 'Deployment', `web-${version}-deployment`);
      // Each version's objects carry its image's tag as app.kubernetes.io/version.
      const labels = testChartLabels('web', { [VERSION]: version, 'app.kubernetes.io/version': image.split(':')[1] });
      expect(deployment.metadata.labels).toEqual(labels);
      expect(deployment.spec.selector).toEqual({ matchLabels: { [NAME]: 'web', [VERSION]: version } });
      expect(deployment.spec.template.metadata.labels).toEqual(labels);
      expect(deployment.spec.template.spec.containers[0]).toMatchObject({ name: 'web', image, ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }] });
    }
  });

  test('the Service selects the active version, the preview Service the other; both ClusterIP on the same port', () => {
    const { objects, app } = make();
    expect(selectorOf(objects, 'web-service')).toEqual({ [NAME]: 'web', [VERSION]: 'blue' });
    expect(selectorOf(objects, 'web-preview-service')).toEqual({ [NAME]: 'web', [VERSION]: 'green' });
    expect(find(objects, 'Service', 'web-preview-service').spec.ports).toEqual([{ name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' }]);
    // The Service switches between versions: the app's labels, no version.
    expect(find(objects, 'Service', 'web-service').metadata.labels).toEqual(testChartLabels('web'));
    expect(app.activeVersion).toBe('blue');
    expect(app.serviceAddress()).toBe('web-service.default.svc.cluster.local:8080');
  });

  test('switching the active version changes only the two Service selectors', () => {
    const blue = make().objects;
    const green = make({ release: { strategy: 'blue-green', active: 'green' } }).objects;
    expect(green).toHaveLength(blue.length);
    const changed = green.filter((object, i) => JSON.stringify(object) !== JSON.stringify(blue[i]));
    expect(changed.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['Service/web-service', 'Service/web-preview-service']);
    expect(selectorOf(green, 'web-service')[VERSION]).toBe('green');
    expect(selectorOf(green, 'web-preview-service')[VERSION]).toBe('blue');
  });

  test('a single version has no preview Service', () => {
    const { objects } = make({ versions: { blue: TWO_VERSIONS.blue } });
    expect(has(objects, 'Service', 'web-preview-service')).toBe(false);
    expect(allOf(objects, 'Deployment')).toHaveLength(1);
  });

  test('per-version settings: replicas, env merged over the app env, resources, PDB and HPA named after the version', () => {
    const { objects } = make({
      env: { MODE: 'prod', COLOR: 'none' },
      replicas: 3,
      versions: {
        blue: { image: 'shop/web:1.0', disruptionBudget: { maxUnavailable: 1 } },
        green: { image: 'shop/web:1.1', env: { COLOR: 'green' }, replicas: 2, resources: { requests: { cpu: '300m' } }, autoscaling: { minReplicas: 2, maxReplicas: 5, cpuUtilization: 70 } },
      },
    });
    const blue = find(objects, 'Deployment', 'web-blue-deployment');
    const green = find(objects, 'Deployment', 'web-green-deployment');
    expect(blue.spec.replicas).toBe(3);
    expect(green.spec.replicas).toBeUndefined(); // the HPA owns them
    expect(blue.spec.template.spec.containers[0].env).toEqual([{ name: 'MODE', value: 'prod' }, { name: 'COLOR', value: 'none' }]);
    expect(green.spec.template.spec.containers[0].env).toEqual([{ name: 'MODE', value: 'prod' }, { name: 'COLOR', value: 'green' }]);
    expect(green.spec.template.spec.containers[0].resources.requests.cpu).toBe('300m');
    expect(find(objects, 'PodDisruptionBudget', 'web-blue-pdb').spec.selector).toEqual({ matchLabels: { [NAME]: 'web', [VERSION]: 'blue' } });
    expect(has(objects, 'PodDisruptionBudget', 'web-green-pdb')).toBe(false);
    expect(find(objects, 'HorizontalPodAutoscaler', 'web-green-hpa').spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web-green-deployment' });
    expect(has(objects, 'HorizontalPodAutoscaler', 'web-blue-hpa')).toBe(false);
  });

  test('spreadAcrossNodes spreads each version by its own selector; rollout applies to every version', () => {
    const { objects } = make({ spreadAcrossNodes: true, rollout: { maxSurge: 1, maxUnavailable: 0 } });
    const green = find(objects, 'Deployment', 'web-green-deployment');
    expect(green.spec.template.spec.topologySpreadConstraints[0].labelSelector).toEqual({ matchLabels: { [NAME]: 'web', [VERSION]: 'green' } });
    expect(green.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
  });

  test('the Ingress, service name and type go to the app Service; the preview stays ClusterIP', () => {
    const { objects } = make({ serviceName: 'web', serviceType: ServiceType.NODE_PORT, ingress: { controller: Peer.ingressController(), host: 'shop.example.com', ingressClassName: 'nginx' } });
    expect(find(objects, 'Service', 'web').spec.type).toBe('NodePort');
    expect(find(objects, 'Service', 'web-preview-service').spec.type).toBe('ClusterIP');
    expect(find(objects, 'Ingress', 'web-ingress').spec.rules[0].http.paths[0].backend).toEqual({ service: { name: 'web', port: { number: 8080 } } });
    // The NodePort's pods (every version) admit every address, and the controller of the Ingress.
    expect(find(objects, 'NetworkPolicy', 'web-network-policy').spec.ingress).toEqual([
      { from: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 8080, protocol: 'TCP' }] },
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }], ports: [{ port: 8080, protocol: 'TCP' }] },
    ]);
  });

  test('every strategy synthesizes to objects that pass schema validation and every rule', () => {
    const app = new App();
    const strategies: Partial<ReleasedWebAppProps>[] = [
      { ingress: { controller: Peer.ingressController(), host: 'a.example.com' } },
      { versions: { v1: { image: 'a:1' }, v2: { image: 'a:2' } }, release: { strategy: 'rainbow', active: 'v1' } },
      { versions: { v1: { image: 'a:1' }, v2: { image: 'a:2' } }, ingress: { controller: Peer.ingressController(), host: 'c.example.com' }, release: { strategy: 'canary', stable: 'v1', canary: 'v2', weight: 5, router: { kind: 'ingress-nginx' } } },
      { versions: { v1: { image: 'a:1' }, v2: { image: 'a:2' } }, replicas: 2, release: { strategy: 'canary', stable: 'v1', canary: 'v2', weight: 50 } },
      { versions: { v1: { image: 'a:1' }, v2: { image: 'a:2' } }, release: { strategy: 'canary', stable: 'v1', canary: 'v2', weight: 30, router: { kind: 'http-route', dataPlane: DATA_PLANE, gateways: [{ name: 'edge', namespace: 'gateways' }], hostnames: ['e.example.com'] } } },
    ];
    strategies.forEach((props, i) => make({ name: `web${i}`, ...props }, new Chart(app, `shop${i}`, { namespace: 'shop', disableResourceNameHashes: true })));
    const objects = appManifests(app).flatMap((m) => m.objects.map((object, order) => ({ object, source: m.file, order })));
    expect(objects.length).toBeGreaterThan(20);
    expect(validateObjects(objects, { externalObjects: [{ kind: 'Namespace', name: 'shop' }, { kind: 'Gateway', namespace: 'gateways', name: 'edge' }] }).findings).toEqual([]);
  });
});

describe('connections', () => {
  test('the release is a peer like a WebApp: one NetworkPolicy over every version, and clients reach all of them', () => {
    const chart = newChart();
    const { app } = make({}, chart);
    const client = new WebApp(chart, 'Client', { name: 'client', image: 'shop/client:1.0' });
    client.connections.allowTo(app);
    const objects = synth(chart);
    const policy = find(objects, 'NetworkPolicy', 'web-network-policy');
    expect(policy.spec.podSelector).toEqual({ matchLabels: { [NAME]: 'web' } });
    expect(policy.spec.ingress).toEqual([{ from: [{ podSelector: { matchLabels: { [NAME]: 'client' } } }], ports: [{ protocol: 'TCP', port: 8080 }] }]);
    const clientPolicy = find(objects, 'NetworkPolicy', 'client-network-policy');
    expect(clientPolicy.spec.egress[1]).toEqual({ to: [{ podSelector: { matchLabels: { [NAME]: 'web' } } }], ports: [{ protocol: 'TCP', port: 8080 }] });
  });

  test('a release can be the client too, and networkPolicy: false leaves the policy out', () => {
    const chart = newChart();
    const { app } = make({ networkPolicy: false }, chart);
    const server = new WebApp(chart, 'Api', { name: 'api', image: 'shop/api:1.0', port: 9000 });
    app.connections.allowTo(server);
    const objects = synth(chart);
    expect(has(objects, 'NetworkPolicy', 'web-network-policy')).toBe(false);
    expect(find(objects, 'NetworkPolicy', 'api-network-policy').spec.ingress[0].from).toEqual([{ podSelector: { matchLabels: { [NAME]: 'web' } } }]);
  });
});

describe('rainbow', () => {
  test('every version runs and has its own Service; the app Service selects the active one', () => {
    const { objects, app } = make({
      versions: { v1: { image: 'shop/web:1' }, v2: { image: 'shop/web:2' }, v3: { image: 'shop/web:3' } },
      release: { strategy: 'rainbow', active: 'v3' },
    });
    expect(allOf(objects, 'Deployment')).toHaveLength(3);
    expect(selectorOf(objects, 'web-service')).toEqual({ [NAME]: 'web', [VERSION]: 'v3' });
    for (const version of ['v1', 'v2', 'v3']) expect(selectorOf(objects, `web-${version}-service`)).toEqual({ [NAME]: 'web', [VERSION]: version });
    expect(Object.keys(app.versionServices)).toEqual(['v1', 'v2', 'v3']);
    expect(has(objects, 'Service', 'web-preview-service')).toBe(false);
  });
});

describe('canary', () => {
  const versions = { v1: { image: 'shop/web:1' }, v2: { image: 'shop/web:2' } };

  test('ingress-nginx: a canary Ingress on the primary host and path, to a canary Service of the canary version', () => {
    const { objects, app } = make({
      versions,
      ingress: { controller: Peer.ingressController(), host: 'shop.example.com', path: '/shop', ingressClassName: 'nginx', annotations: { 'nginx.ingress.kubernetes.io/from-to-www-redirect': 'true' } },
      release: { strategy: 'canary', stable: 'v1', canary: 'v2', weight: 10, router: { kind: 'ingress-nginx' } },
    });
    expect(selectorOf(objects, 'web-service')).toEqual({ [NAME]: 'web', [VERSION]: 'v1' });
    expect(selectorOf(objects, 'web-canary-service')).toEqual({ [NAME]: 'web', [VERSION]: 'v2' });
    const primary = find(objects, 'Ingress', 'web-ingress');
    const canary = find(objects, 'Ingress', 'web-canary-ingress');
    expect(canary.metadata.annotations).toEqual({ 'nginx.ingress.kubernetes.io/canary': 'true', 'nginx.ingress.kubernetes.io/canary-weight': '10' });
    expect(canary.spec).toEqual({
      ingressClassName: 'nginx',
      rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/shop', pathType: 'Prefix', backend: { service: { name: 'web-canary-service', port: { number: 8080 } } } }] } }],
    });
    expect(primary.spec.rules[0].http.paths[0].path).toBe('/shop');
    expect(app.canaryIngress).toBeDefined();
    expect(allOf(objects, 'Deployment').map((d) => d.spec.replicas)).toEqual([1, 1]);
  });

  test('Gateway API: an HTTPRoute with weighted backendRefs to the app Service (stable) and the canary Service', () => {
    const { objects, app } = make({
      versions,
      ingress: { controller: Peer.ingressController(), host: 'shop.example.com', path: '/shop' },
      release: { strategy: 'canary', stable: 'v1', canary: 'v2', weight: 10, router: { kind: 'http-route', dataPlane: DATA_PLANE, gateways: [{ name: 'edge', namespace: 'gateways', sectionName: 'https' }] } },
    });
    const route = find(objects, 'HTTPRoute', 'web-route');
    expect(route.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(route.metadata.labels).toEqual(testChartLabels('web'));
    expect(route.spec).toEqual({
      parentRefs: [{ name: 'edge', namespace: 'gateways', sectionName: 'https' }],
      hostnames: ['shop.example.com'],
      rules: [{
        matches: [{ path: { type: 'PathPrefix', value: '/shop' } }],
        backendRefs: [{ name: 'web-service', port: 8080, weight: 90 }, { name: 'web-canary-service', port: 8080, weight: 10 }],
      }],
    });
    expect(selectorOf(objects, 'web-canary-service')).toEqual({ [NAME]: 'web', [VERSION]: 'v2' });
    expect(has(objects, 'Ingress', 'web-canary-ingress')).toBe(false);
    expect(app.httpRoute).toBeDefined();
  });

  test('Gateway API without an Ingress: the router\'s hostnames and path, else every host and /', () => {
    const route = (router: Record<string, unknown>) => find(make({ versions, release: { strategy: 'canary', stable: 'v1', canary: 'v2', weight: 100, router: { kind: 'http-route', dataPlane: DATA_PLANE, gateways: [{ name: 'edge' }], ...router } } }).objects, 'HTTPRoute', 'web-route');
    const given = route({ hostnames: ['a.example.com'], path: '/a' });
    expect(given.spec.hostnames).toEqual(['a.example.com']);
    expect(given.spec.rules[0].matches).toEqual([{ path: { type: 'PathPrefix', value: '/a' } }]);
    const defaults = route({});
    expect(defaults.spec.hostnames).toBeUndefined();
    expect(defaults.spec.rules[0].matches).toEqual([{ path: { type: 'PathPrefix', value: '/' } }]);
    expect(defaults.spec.rules[0].backendRefs.map((b: Obj) => b.weight)).toEqual([0, 100]);
  });

  test('Gateway API: the HTTPRoute\'s checks apply, named by the release\'s own fields', () => {
    expect(() => make({ versions, release: { strategy: 'canary', stable: 'v1', canary: 'v2', weight: 10, router: { kind: 'http-route', dataPlane: DATA_PLANE, gateways: [] } } }))
      .toThrow(invalid('test/Web', 'release.router.gateways', []));
  });

  test('raising the weight changes only the canary Ingress annotation', () => {
    const props = (weight: number): Partial<ReleasedWebAppProps> => ({
      versions, ingress: { controller: Peer.ingressController(), host: 'shop.example.com' }, release: { strategy: 'canary', stable: 'v1', canary: 'v2', weight, router: { kind: 'ingress-nginx' } },
    });
    const before = make(props(10)).objects;
    const after = make(props(50)).objects;
    const changed = after.filter((object, i) => JSON.stringify(object) !== JSON.stringify(before[i]));
    expect(changed.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['Ingress/web-canary-ingress']);
  });

  test('by replica ratio: one Service over both versions, annotated as mixing them, and the replicas split by the weight', () => {
    const { objects } = make({ versions, replicas: 4, release: { strategy: 'canary', stable: 'v1', canary: 'v2', weight: 25 } });
    const service = find(objects, 'Service', 'web-service');
    expect(service.spec.selector).toEqual({ [NAME]: 'web' });
    expect(service.metadata.annotations).toEqual({ [RELEASE_MIXED_VERSIONS_ANNOTATION]: 'true' });
    expect(find(objects, 'Deployment', 'web-v1-deployment').spec.replicas).toBe(3);
    expect(find(objects, 'Deployment', 'web-v2-deployment').spec.replicas).toBe(1);
    expect(has(objects, 'Service', 'web-canary-service')).toBe(false);
    expect(allOf(objects, 'Ingress')).toHaveLength(0);
  });
});

describe('props are validated, all problems at once', () => {
  test('version names must be DNS labels that fit "<name>-<version>-deployment"', () => {
    const long = 'v'.repeat(50);
    expect(problemsOf({ versions: { Blue: { image: 'a:1' }, [long]: { image: 'a:2' } }, release: { strategy: 'rainbow', active: 'Blue' } })).toEqual([
      { field: 'versions key', value: 'Blue', allowed: expect.stringMatching(/DNS-1123 label/) },
      { field: `versions key "${long}" (as "<name>-<version>-deployment")`, value: `web-${long}-deployment`, allowed: expect.stringMatching(/at most 63/) },
    ]);
  });

  test('each version\'s container settings are checked and named by version; the version label cannot be set by hand', () => {
    expect(problemsOf({
      labels: { [VERSION]: 'x' },
      versions: { blue: { image: 'a:1', resources: { requests: { cpu: 'lots' } } }, green: { image: 'a:2', replicas: -1 } },
    })).toEqual([
      { field: `labels["${VERSION}"]`, value: 'x', allowed: expect.stringMatching(/each version sets it/) },
      { field: 'versions.blue.resources.requests.cpu', value: 'lots', allowed: expect.stringMatching(/quantity/) },
      { field: 'versions.green.replicas', value: -1, allowed: 'must be an integer >= 0' },
    ]);
  });

  test('blue/green: active names a version, at most two versions, at least one', () => {
    expect(problemsOf({ versions: { a: { image: 'a:1' }, b: { image: 'a:2' }, c: { image: 'a:3' } }, release: { strategy: 'blue-green', active: 'green' } })).toEqual([
      { field: 'release.active', value: 'green', allowed: 'must name one of the versions (a, b, c)' },
      { field: 'versions', value: ['a', 'b', 'c'], allowed: expect.stringMatching(/at most two versions.*rainbow/) },
    ]);
    expect(problemsOf({ versions: {} })).toEqual([
      { field: 'versions', value: {}, allowed: 'must name at least one version' },
      { field: 'release.active', value: 'blue', allowed: 'must name one of the versions (none)' },
    ]);
  });

  test('an unknown strategy is refused', () => {
    expect(problemsOf({ release: { strategy: 'big-bang' } as unknown as ReleaseStrategy })).toEqual([
      { field: 'release.strategy', value: 'big-bang', allowed: 'must be one of "blue-green", "rainbow", "canary"' },
    ]);
  });

  test('canary: stable and canary name two different versions, nothing else, weight an integer 0–100, a known router', () => {
    expect(problemsOf({
      versions: { v1: { image: 'a:1' }, v2: { image: 'a:2' }, v3: { image: 'a:3' } },
      release: { strategy: 'canary', stable: 'v1', canary: 'v1', weight: 101, router: { kind: 'istio' } as never },
    })).toEqual([
      { field: 'release.canary', value: 'v1', allowed: 'must differ from release.stable' },
      { field: 'versions', value: ['v1', 'v2', 'v3'], allowed: expect.stringMatching(/exactly two versions/) },
      { field: 'release.weight', value: 101, allowed: 'must be an integer from 0 to 100' },
      { field: 'release.router.kind', value: 'istio', allowed: 'must be one of "ingress-nginx", "http-route", "replica-ratio"' },
    ]);
    expect(problemsOf({ versions: { v1: { image: 'a:1' } }, release: { strategy: 'canary', stable: 'v0', canary: 'v2', weight: 2.5, router: { kind: 'ingress-nginx' } } })).toEqual([
      { field: 'release.stable', value: 'v0', allowed: 'must name one of the versions (v1)' },
      { field: 'release.canary', value: 'v2', allowed: 'must name one of the versions (v1)' },
      { field: 'versions', value: ['v1'], allowed: expect.stringMatching(/exactly two versions, the stable and the canary one/) },
      { field: 'release.weight', value: 2.5, allowed: 'must be an integer from 0 to 100' },
      { field: 'release.router', value: { kind: 'ingress-nginx' }, allowed: expect.stringMatching(/needs the app's `ingress`/) },
    ]);
  });

  test('canary by replica ratio: the weight must be expressible with the replicas, which the versions must not set', () => {
    expect(problemsOf({
      replicas: 4,
      versions: { v1: { image: 'a:1', replicas: 3 }, v2: { image: 'a:2', autoscaling: { maxReplicas: 3, cpuUtilization: 50 } } },
      release: { strategy: 'canary', stable: 'v1', canary: 'v2', weight: 10 },
    })).toEqual([
      { field: 'versions.v1.replicas', value: 3, allowed: expect.stringMatching(/left out for a canary by replica ratio/) },
      { field: 'versions.v2.autoscaling', value: { maxReplicas: 3, cpuUtilization: 50 }, allowed: expect.stringMatching(/an autoscaler would undo/) },
      { field: 'release.weight', value: 10, allowed: expect.stringMatching(/cannot be made with 4 replicas.*can be 0, 25, 50, 75, 100/) },
    ]);
    expect(problemsOf({ replicas: 0, versions: { v1: { image: 'a:1' }, v2: { image: 'a:2' } }, release: { strategy: 'canary', stable: 'v1', canary: 'v2', weight: 0 } })).toEqual([
      { field: 'replicas', value: 0, allowed: 'must be at least 1 for a canary by replica ratio' },
    ]);
  });

  test('the first problem message names the construct path, the field and the value', () => {
    expect(() => make({ release: { strategy: 'blue-green', active: 'red' } })).toThrow(invalid('test/Web', 'release.active', 'red'));
  });

  test('a version\'s budget and autoscaler are checked with every other prop, and reported on the release\'s path', () => {
    const chart = newChart();
    const error = (() => {
      try {
        make({
          serviceName: 'Web',
          versions: {
            blue: { image: 'a:1', autoscaling: { minReplicas: 3, maxReplicas: 2, cpuUtilization: 50 } },
            green: { image: 'a:2', disruptionBudget: { minAvailable: '100%' } },
          },
        }, chart);
      } catch (e) {
        return e as PropsError;
      }
      throw new Error('expected a PropsError');
    })();
    expect(error.problems.map((p) => `${p.path} ${p.field} ${JSON.stringify(p.value)}`)).toEqual([
      'test/Web versions.blue.autoscaling.minReplicas 3',
      'test/Web versions.green.disruptionBudget.minAvailable "100%"',
      'test/Web serviceName "Web"',
    ]);
    expect(chart.node.children).toHaveLength(0);
  });

  test('errors of a version\'s budget and autoscaler are reported per version, and nothing is left in the chart', () => {
    expect(problemsOf({
      versions: {
        blue: { image: 'a:1', disruptionBudget: { maxUnavailable: 0 } },
        green: { image: 'a:2', autoscaling: { maxReplicas: 0, cpuUtilization: 50 } },
      },
    })).toEqual([
      { field: 'versions.blue.disruptionBudget.maxUnavailable', value: 0, allowed: expect.stringMatching(/above zero/) },
      { field: 'versions.green.autoscaling.maxReplicas', value: 0, allowed: 'must be an integer >= 1' },
    ]);
  });
});
