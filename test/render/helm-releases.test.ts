/**
 * Releases as chart values (lib/render/helm/releases.ts) and the switches that template them
 * (lib/render/helm/switches.ts), on a small app with a ReleasedWebApp, through helmChartOf.
 */
import { ApiObject, App, Chart } from 'cdk8s';
import { declareExternalObject, Peer, ReleasedWebApp, ReleaseStrategy, RestrictedNamespace } from '../../lib';
import { chartStage, helmChartOf } from '../../lib/render/helm/app-chart';
import { KnobRegistry } from '../../lib/render/helm/knobs';
import { releaseChartValues, releaseFromValues, releaseValuesSchema, splitImage } from '../../lib/render/helm/releases';
import { chartValues, chartValuesOf, ChartValuesOptions, switchVariants } from '../../lib/render/helm/values';

const VERSIONS = { blue: { image: 'registry.example.com/web:1.0.0' }, green: { image: 'registry.example.com/web:1.1.0' } };

interface Extra {
  /** More values, with their options. */
  readonly values?: Record<string, string | number>;
  readonly options?: ChartValuesOptions;
  /** Adds objects made from the values. */
  readonly add?: (chart: Chart, values: Record<string, string | number>, release: ReleaseStrategy) => void;
}

/** An app whose ReleasedWebApp `web` (routed by an HTTPRoute through the Gateway gateway-system/public, whose data plane runs in its own namespace) declares its release as the chart values `web.release`. */
function releasedApp(release: ReleaseStrategy, extra: Extra = {}): App {
  const app = new App();
  const platform = new Chart(app, 'platform');
  new RestrictedNamespace(platform, 'Namespace', { name: 'web' });
  const chart = new Chart(app, 'web', { namespace: 'web', disableResourceNameHashes: true });
  chart.addDependency(platform);
  declareExternalObject(app, { kind: 'Gateway', name: 'public', namespace: 'gateway-system' });
  const declared = releaseChartValues('web.release', release, VERSIONS);
  const values = chartValues(app, { web: { release: declared.values }, ...extra.values }, {
    ...extra.options, choices: { ...declared.choices, ...extra.options?.choices }, ranges: { ...declared.ranges, ...extra.options?.ranges },
  });
  const built = releaseFromValues(values.web.release, release, VERSIONS);
  new ReleasedWebApp(chart, 'Web', {
    name: 'web',
    port: 8080,
    replicas: 2,
    route: { gateways: [{ name: 'public', namespace: 'gateway-system' }], hostnames: ['web.example.com'], dataPlane: Peer.gatewayDataPlane({ namespace: 'gateway-system', podLabels: { app: 'gateway' } }) },
    ...built,
  });
  extra.add?.(chart, values as unknown as Record<string, string | number>, built.release);
  return app;
}

/** The chart of one stage built by `build`, as `habr-k8s helm` builds it. */
function chartOf(build: () => App) {
  const registry = new KnobRegistry();
  return helmChartOf([chartStage('default', registry, build)], registry, { folder: 'chart', source: 'web/main.ts' });
}

const templates = (chart: ReturnType<typeof chartOf>) => chart.templates.map((t) => t.content).join('');
const schemaOf = (chart: ReturnType<typeof chartOf>) => JSON.parse(chart.documents.find((d) => d.file.endsWith('values.schema.json'))!.content as string);

describe('releaseChartValues', () => {
  test('blue/green: the active version is a choice of the version names, each version has its tag', () => {
    expect(releaseChartValues('web.release', { strategy: 'blue-green', active: 'blue' }, VERSIONS)).toEqual({
      values: { active: 'blue', versions: { blue: { tag: '1.0.0' }, green: { tag: '1.1.0' } } },
      choices: { 'web.release.active': ['blue', 'green'] },
      ranges: {},
    });
  });

  test('canary: the weight is a range from 0 to 100', () => {
    expect(releaseChartValues('web.release', { strategy: 'canary', stable: 'blue', canary: 'green', weight: 10 }, VERSIONS)).toEqual({
      values: { weight: 10, versions: { blue: { tag: '1.0.0' }, green: { tag: '1.1.0' } } },
      choices: {},
      ranges: { 'web.release.weight': { minimum: 0, maximum: 100 } },
    });
  });

  test('releaseFromValues puts the values back: the active version or weight, and the tags in the versions\' own repositories', () => {
    const values = { active: 'green', versions: { blue: { tag: '2.0.0' }, green: { tag: '2.1.0' } } };
    expect(releaseFromValues(values, { strategy: 'rainbow', active: 'blue' }, VERSIONS)).toEqual({
      release: { strategy: 'rainbow', active: 'green' },
      versions: { blue: { image: 'registry.example.com/web:2.0.0' }, green: { image: 'registry.example.com/web:2.1.0' } },
    });
    const canary = { strategy: 'canary', stable: 'blue', canary: 'green', weight: 10 } as const;
    expect(releaseFromValues({ weight: 30, versions: values.versions }, canary, VERSIONS).release).toEqual({ ...canary, weight: 30 });
  });

  test('an image without a tag, or with a digest, can be no value', () => {
    expect(() => splitImage('registry.example.com:5000/web')).toThrow('image registry.example.com:5000/web: a chart value needs a repository and a tag');
    expect(() => splitImage('web:1@sha256:abc')).toThrow('a chart value needs a repository and a tag');
    expect(splitImage('registry.example.com:5000/web:1.0')).toEqual({ repository: 'registry.example.com:5000/web', tag: '1.0' });
    expect(splitImage('nginx:1.27')).toEqual({ repository: 'nginx', tag: '1.27' });
    expect(splitImage('localhost/team/web:1.0')).toEqual({ repository: 'localhost/team/web', tag: '1.0' });
  });

  test('releaseValuesSchema: an enum of the version names, or a weight from 0 to 100, and a tag per version', () => {
    expect(releaseValuesSchema({ strategy: 'blue-green', active: 'blue' }, ['blue', 'green'])).toMatchObject({
      additionalProperties: false,
      required: ['active', 'versions'],
      properties: { active: { enum: ['blue', 'green'] }, versions: { required: ['blue', 'green'], properties: { blue: { required: ['tag'] } } } },
    });
    expect(releaseValuesSchema({ strategy: 'canary', stable: 'blue', canary: 'green', weight: 1 }, ['blue', 'green']).properties.weight)
      .toEqual({ type: 'integer', minimum: 0, maximum: 100 });
  });
});

describe('a release in the chart', () => {
  test('blue/green: the Service selects the active version, the preview Service the other one; the Deployments do not depend on it', () => {
    const chart = chartOf(() => releasedApp({ strategy: 'blue-green', active: 'blue' }));
    const text = templates(chart);
    expect(text).toContain('    release.habr-k8s.io/version: {{ .Values.web.release.active | quote }}\n');
    expect(text).toContain('    release.habr-k8s.io/version: {{ get (dict "blue" "green" "green" "blue") .Values.web.release.active | quote }}\n');
    expect(text.match(/\.Values\.web\.release\.active/g)).toHaveLength(2);
    expect(text).toContain('image: {{ (print "registry.example.com/web:" .Values.web.release.versions.green.tag) | quote }}');
    expect(chart.documents.find((d) => d.file.endsWith('values.yaml'))!.content).toContain('web:\n  release:\n    active: blue\n');
    expect(schemaOf(chart).properties.web.properties.release.properties.active).toEqual({ enum: ['blue', 'green'] });
  });

  test('canary routed by the HTTPRoute: the weights are the value and 100 minus it', () => {
    const chart = chartOf(() => releasedApp({ strategy: 'canary', stable: 'blue', canary: 'green', weight: 10, router: { kind: 'http-route' } }));
    const text = templates(chart);
    expect(text).toMatch(/name: web-service\n(.*\n)\s+weight: \{\{ sub 100 \(\.Values\.web\.release\.weight \| int\) \}\}\n/);
    expect(text).toMatch(/name: web-canary-service\n(.*\n)\s+weight: \{\{ \(\.Values\.web\.release\.weight \| int\) \}\}\n/);
    expect(schemaOf(chart).properties.web.properties.release.properties.weight).toEqual({ type: 'integer', minimum: 0, maximum: 100 });
  });

  test('a field that is the value plus a number, as a string, is templated so', () => {
    const chart = chartOf(() => releasedApp({ strategy: 'canary', stable: 'blue', canary: 'green', weight: 10, router: { kind: 'http-route' } }, {
      add: (chart, _values, release) => new ApiObject(chart, 'Settings', {
        apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { shifted: String((release as { weight: number }).weight + 5) },
      }),
    }));
    expect(templates(chart)).toContain('shifted: {{ add (.Values.web.release.weight | int) 5 | quote }}');
  });

  test('a field derived from a range otherwise is refused, naming it', () => {
    expect(() => chartOf(() => releasedApp({ strategy: 'canary', stable: 'blue', canary: 'green', weight: 10, router: { kind: 'http-route' } }, {
      add: (chart, _values, release) => new ApiObject(chart, 'Settings', {
        apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { doubled: String((release as { weight: number }).weight * 2) },
      }),
    }))).toThrow('stage default: the chart cannot switch it: ConfigMap web/settings data.doubled is no template of .Values.web.release.weight | int: '
      + 'it must be the value plus or minus a number, or a number minus the value');
  });

  test('a switch that adds or removes an object is refused', () => {
    expect(() => chartOf(() => releasedApp({ strategy: 'blue-green', active: 'blue' }, {
      add: (chart, _values, release) => {
        if ((release as { active: string }).active === 'green') new ApiObject(chart, 'Extra', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'extra' } });
      },
    }))).toThrow('stage default: the chart cannot switch it: web.release.active=green changes which objects the app has; a chart value can only change fields');
  });

  test('a switch that adds a field is refused', () => {
    expect(() => chartOf(() => releasedApp({ strategy: 'blue-green', active: 'blue' }, {
      add: (chart, _values, release) => new ApiObject(chart, 'Extra', {
        apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'extra' }, data: (release as { active: string }).active === 'green' ? { a: '1', b: '2' } : { a: '1' },
      }),
    }))).toThrow('web.release.active=green: ConfigMap web/extra changes the fields (or list length) of data');
  });

  test('a field that follows two switches, or a switch and another value, is refused', () => {
    expect(() => chartOf(() => releasedApp({ strategy: 'blue-green', active: 'blue' }, {
      values: { mode: 'a' },
      options: { choices: { mode: ['a', 'b'] } },
      add: (chart, values, release) => new ApiObject(chart, 'Extra', {
        apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'extra' }, data: { both: `${values.mode}-${(release as { active: string }).active}` },
      }),
    }))).toThrow('ConfigMap web/extra data.both changes with web.release.active and with mode; a field may follow one value only');
    expect(() => chartOf(() => releasedApp({ strategy: 'blue-green', active: 'blue' }, {
      values: { suffix: 'x' },
      add: (chart, values, release) => new ApiObject(chart, 'Extra', {
        apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'extra' }, data: { both: `${(release as { active: string }).active}-${values.suffix}` },
      }),
    }))).toThrow('ConfigMap web/extra data.both changes with web.release.active and holds another value too; a field may follow one value only');
  });

  test('a choice that changes nothing is refused like any unused value', () => {
    expect(() => chartOf(() => releasedApp({ strategy: 'blue-green', active: 'blue' }, { values: { mode: 'a' }, options: { choices: { mode: ['a', 'b'] } } })))
      .toThrow('values mode change no template; leave them out of the chart');
  });

  test('chartValues refuses a choice or range whose value it does not allow, or that is no value', () => {
    expect(() => chartValues(new App(), { mode: 'c', weight: 101, few: 1 }, {
      choices: { mode: ['a', 'b'], missing: ['x'] }, ranges: { weight: { minimum: 0, maximum: 100 }, few: { minimum: 0, maximum: 1 } },
    })).toThrow('<app>: chart values: mode: "c" is none of its choices a, b; choice missing is no value; weight: 101 is not an integer from 0 to 100; '
      + 'range few: 0 to 1 holds fewer than three integers');
  });

  test('switchVariants: every other alternative of a choice, two other integers of a range', () => {
    const app = new App();
    chartValues(app, { mode: 'b', weight: 0, other: 50 }, { choices: { mode: ['a', 'b', 'c'] }, ranges: { weight: { minimum: 0, maximum: 100 }, other: { minimum: 0, maximum: 100 } } });
    expect(switchVariants(chartValuesOf(app))).toEqual([{ mode: 'a' }, { mode: 'c' }, { weight: 100 }, { weight: 50 }, { other: 0 }, { other: 100 }]);
    expect(switchVariants(undefined)).toEqual([]);
  });

  test('chartStage: the app, then under placeholders, then once per switch variant with its switches, the same whether the build is sync or async', async () => {
    const seen: unknown[] = [];
    const build = () => {
      const app = new App();
      seen.push(chartValues(app, { mode: 'b', weight: 0 }, { choices: { mode: ['a', 'b'] }, ranges: { weight: { minimum: 0, maximum: 100 } } }));
      return app;
    };
    const registry = new KnobRegistry();
    const stage = chartStage('dev', registry, build);
    const builds = [{ mode: 'b', weight: 0 }, { mode: 'b', weight: 0 }, { mode: 'a', weight: 0 }, { mode: 'b', weight: 100 }, { mode: 'b', weight: 50 }];
    expect(seen.splice(0)).toEqual(builds);
    expect(stage.name).toBe('dev');
    expect(stage.variants.map((variant) => variant.switches)).toEqual([{ mode: 'a' }, { weight: 100 }, { weight: 50 }]);
    expect(stage.variants.map((variant) => variant.switches)).toEqual(switchVariants(chartValuesOf(stage.app)));
    const loaded = await chartStage('dev', registry, async () => build());
    expect(seen).toEqual(builds);
    expect(loaded.variants.map((variant) => variant.switches)).toEqual([{ mode: 'a' }, { weight: 100 }, { weight: 50 }]);
  });
});
