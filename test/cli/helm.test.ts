import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import { habrChartApp, renderStage } from '../../apps/habr/helm-chart';
import { stageNamed } from '../../apps/habr/stages';
import { AppTarget } from '../../lib/cli/app-entry';
import { AppLoader, HELM_HELP, helmCommand } from '../../lib/cli/helm';
import { CommandIo } from '../../lib/cli/io';
import { RestrictedNamespace, WebApp } from '../../lib';
import { KnobRegistry } from '../../lib/render/helm/knobs';
import { chartValues, withPlaceholders } from '../../lib/render/helm/values';
import { renderObjects } from '../../lib/render/synthesize';
import { runBin, typeCheck } from '../outside-project';
import { runCli } from './run-cli';
import { shopProject } from './helm-app';

const REPO = path.resolve(__dirname, '../..');

/** A command io in `cwd` that keeps what is printed. */
function testIo(cwd: string): CommandIo & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { cwd, env: {}, out: (text) => lines.push(text), err: (text) => errors.push(text), interactive: false, lines, errors };
}

/** A loader that builds `build(stage)` in this process and records the entry and stage it was asked for. */
function recordingLoader(build: (stage: string | undefined) => App): AppLoader & { calls: [string, string | undefined][] } {
  const calls: [string, string | undefined][] = [];
  return Object.assign(async (target: AppTarget) => {
    calls.push([target.entry, target.stage]);
    return build(target.stage);
  }, { calls });
}

/** An entry file in the test's folder, for a loader that builds its app in this process. */
function entryFile(file: string): string {
  fs.mkdirSync(path.dirname(path.join(cwd, file)), { recursive: true });
  fs.writeFileSync(path.join(cwd, file), '');
  return file;
}


/** A web app in namespace `web`, optionally with an object the validator refuses. */
function webApp(options: { broken?: boolean } = {}): App {
  const app = new App();
  const platform = new Chart(app, 'platform');
  new RestrictedNamespace(platform, 'Namespace', { name: 'web' });
  const chart = new Chart(app, 'web', { namespace: 'web', disableResourceNameHashes: true });
  chart.addDependency(platform);
  new WebApp(chart, 'Web', { name: 'web', image: 'docker.io/library/nginx:1.27.0', port: 8080 });
  if (options.broken) new ApiObject(chart, 'Settings', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, immutible: true });
  return app;
}

let cwd: string;
beforeEach(() => {
  cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'helm-command-'));
});
afterEach(() => fs.rmSync(cwd, { recursive: true, force: true }));

describe('arguments', () => {
  const loader = recordingLoader(() => webApp());
  const command = helmCommand(loader);

  test.each([
    [['--stage'], '--stage needs a value'],
    [['--output', '--stage', 'dev'], '--output needs a value'],
    [['--bogus'], 'unexpected argument --bogus'],
    [['web/main.ts'], 'unexpected argument web/main.ts'],
    [['--stage', 'dev', '--stage=dev'], '--stage dev given twice'],
    [['--output', 'a', '--output', 'b'], '--output given twice'],
  ])('%j is a usage error (exit 2): %s', async (args, message) => {
    await expect(command.run(args, testIo(cwd))).rejects.toMatchObject({ name: 'UsageError', exitCode: 2, message });
    expect(loader.calls).toEqual([]);
  });

  test('an entry that does not exist is an error (exit 1) naming it relative to the current folder', async () => {
    await expect(command.run(['--app', 'web/main.ts'], testIo(cwd))).rejects.toMatchObject({ exitCode: 1, message: 'web/main.ts: no such file' });
  });

  test('habr-k8s helm --help prints the help, which says what an app without values gets', async () => {
    expect(await runCli(['helm', '--help'])).toEqual({ exitCode: 0, stdout: `${HELM_HELP}\n`, stderr: '' });
    expect(HELM_HELP).toContain('an app that declares none gets fixed\ntemplates and an empty values.yaml');
  });
});

describe('the habr chart through the command', () => {
  const loader = recordingLoader((stage) => habrChartApp(stageNamed(stage ?? 'prod')));
  const args = ['--app', 'apps/habr/chart.ts', '--stage', 'prod', '--stage', 'dev', '--output', 'out/habr'];
  const files = (root: string): string[] => fs.readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => fs.statSync(path.join(root, f)).isFile()).sort();
  const expectCommittedChart = (folder: string) => {
    const committed = path.join(REPO, 'dist/helm/habr');
    expect(files(folder)).toEqual(files(committed));
    for (const file of files(committed)) {
      expect({ file, content: fs.readFileSync(path.join(folder, file), 'utf8') }).toEqual({ file, content: fs.readFileSync(path.join(committed, file), 'utf8') });
    }
  };

  test('writes exactly the committed dist/helm/habr, with paths relative to the current folder', async () => {
    entryFile('apps/habr/chart.ts');
    const io = testIo(cwd);
    expect(await helmCommand(loader).run(args, io)).toBe(0);
    const entry = path.join(cwd, 'apps/habr/chart.ts');
    // Per stage: as written, with placeholders, and once per other value of a switch (prod: backend and
    // frontend green; dev: two more canary weights).
    expect(loader.calls).toEqual([...Array(4).fill([entry, 'prod']), ...Array(4).fill([entry, 'dev'])]);
    expectCommittedChart(path.join(cwd, 'out/habr'));
    expect(io.lines).toContain(path.join('out/habr/templates', '00-platform.yaml'));
    expect(io.lines).toContain(path.join('out/habr', 'values-dev.yaml'));
    expect(io.lines[io.lines.length - 1]).toMatch(/^chart out\/habr: \d+ templates$/);
    expect(fs.existsSync(path.join(cwd, '.habr-k8s'))).toBe(false);

    const again = testIo(cwd);
    expect(await helmCommand(loader).run(args, again)).toBe(0);
    expect(again.lines[again.lines.length - 1]).toMatch(/^chart out\/habr: \d+ templates, unchanged$/);
  });

  test('the bin runs apps/habr/chart.ts (npm run synth:helm) from a subfolder of the checkout', () => {
    const run = runBin(path.join(REPO, 'apps'), ['helm', '--app', 'habr/chart.ts', '--stage', 'prod', '--stage', 'dev', '--output', path.join(cwd, 'habr')]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout.trim().split('\n').pop()).toMatch(new RegExp(`^chart ${path.relative(path.join(REPO, 'apps'), path.join(cwd, 'habr'))}: \\d+ templates$`));
    expectCommittedChart(path.join(cwd, 'habr'));
    expect(fs.existsSync(path.join(REPO, '.habr-k8s'))).toBe(false);
  }, 120_000);

  test('the stage the chart builds from its values renders as the stage itself', () => {
    for (const name of ['prod', 'dev']) {
      expect(renderObjects(habrChartApp(stageNamed(name))).objects).toEqual(renderStage(stageNamed(name)).objects);
    }
  });
});

describe('an app outside this repository that declares its values', () => {
  const project = shopProject();
  afterAll(() => fs.rmSync(project.dir, { recursive: true, force: true }));

  test('type-checks against the package name habr-k8s', () => {
    expect(typeCheck(project.dir)).toEqual({ output: '', status: 0 });
  }, 120_000);

  test('habr-k8s helm in a subfolder runs the entry of cdk8s.yaml and writes <output>/helm/<name>: values, values-dev.yaml, schema, profile blocks', async () => {
    const run = runBin(path.join(project.dir, 'shop'), ['helm', '--stage', 'prod', '--stage', 'dev']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout.trim().split('\n').pop()).toBe('chart ../dist/helm/shop: 2 templates');
    const chart = path.join(project.dir, 'dist/helm/shop');
    const read = (file: string) => fs.readFileSync(path.join(chart, file), 'utf8');
    expect(read('Chart.yaml')).toBe('# Written by `habr-k8s helm`; do not edit.\napiVersion: v2\nname: shop\n'
      + 'description: shop, typed and validated by habr-k8s\ntype: application\nversion: "0.1.0"\nappVersion: "1.4.0"\n');
    expect(read('values.yaml')).toBe('# Written by `habr-k8s helm` from shop/main.ts (stage prod); do not edit: pass -f or --set instead.\n'
      + 'profile: prod\nimage:\n  repository: registry.example.com/shop/web\n  tag: "1.4.0"\nreplicas: 3\nmemory: 256Mi\nhost: shop.example.com\n');
    expect(read('values-dev.yaml')).toBe('# Written by `habr-k8s helm` from shop/main.ts: `helm template -f values-dev.yaml` renders its stage dev.\n'
      + 'profile: dev\nimage:\n  repository: docker.io/shop/web\n  tag: 1.4.0-dev\nreplicas: 1\nmemory: 128Mi\n'
      // The dev stage has no host: helm removes a default the values file sets to null.
      + 'host: null\n');
    const schema = JSON.parse(read('values.schema.json'));
    expect(schema).toMatchObject({
      title: 'values of the shop chart',
      additionalProperties: false,
      required: ['profile', 'image', 'replicas', 'memory'],
      properties: {
        profile: { enum: ['prod', 'dev'] },
        image: { type: 'object', required: ['repository', 'tag'], properties: { tag: { type: 'string' } } },
        replicas: { type: 'integer' },
        host: { type: 'string' },
      },
    });
    const web = read('templates/01-web.yaml');
    expect(web).toContain('replicas: {{ .Values.replicas | int }}');
    expect(web).toContain('image: {{ (print .Values.image.repository ":" .Values.image.tag) | quote }}');
    expect(web).toContain('memory: {{ .Values.memory | quote }}');
    expect(web).toContain('host: {{ .Values.host | quote }}');
    expect(web).toContain('{{- if eq .Values.profile "prod" }}');
    expect(web).not.toMatch(/zzhv|9[01]0\d{3}/);
  }, 120_000);
});

test('an app that declares no values gets fixed templates and an empty values.yaml in dist/helm/<its folder>', async () => {
  const io = testIo(cwd);
  expect(await helmCommand(recordingLoader(() => webApp())).run(['--app', entryFile('web/main.ts')], io)).toBe(0);
  const chart = path.join(cwd, 'dist/helm/web');
  expect(fs.readFileSync(path.join(chart, 'values.yaml'), 'utf8')).toBe(
    '# Written by `habr-k8s helm` from web/main.ts; do not edit: pass -f or --set instead.\n# The app declares no values: its templates are fixed.\n{}\n');
  expect(fs.readdirSync(path.join(chart, 'templates')).sort()).toEqual(['.habr-k8s-written', '00-platform.yaml', '01-web.yaml']);
  expect(fs.readFileSync(path.join(chart, 'templates/01-web.yaml'), 'utf8')).not.toContain('{{');
  expect(JSON.parse(fs.readFileSync(path.join(chart, 'values.schema.json'), 'utf8'))).toMatchObject({ additionalProperties: false, properties: {} });
});

test('an app with validation errors exits 1 with the report, and nothing is written', async () => {
  const io = testIo(cwd);
  expect(await helmCommand(recordingLoader(() => webApp({ broken: true }))).run(['--app', entryFile('web/main.ts'), '--output', 'chart'], io)).toBe(1);
  expect(io.errors.join('\n')).toContain('ConfigMap web/settings immutible: unknown field "immutible"');
  expect(io.errors[io.errors.length - 1]).toBe('helm: nothing written to chart');
  expect(fs.readdirSync(cwd)).toEqual(['web']);
});

test('a value no template uses is an error, and nothing is written', async () => {
  const loader = recordingLoader(() => {
    const app = webApp();
    chartValues(app, { replicas: 2 });
    return app;
  });
  await expect(helmCommand(loader).run(['--app', entryFile('web/main.ts')], testIo(cwd))).rejects.toThrow('values replicas change no template; leave them out of the chart');
  expect(fs.readdirSync(cwd)).toEqual(['web']);
});

test('a field the app derives from a value is an error naming it, and nothing is written', async () => {
  const loader = recordingLoader(() => {
    const app = webApp();
    const values = chartValues(app, { workers: 2 });
    const chart = Chart.of(app.node.findChild('web'));
    new ApiObject(chart, 'Settings', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { threads: `${values.workers * 4}` } });
    return app;
  });
  await expect(helmCommand(loader).run(['--app', entryFile('web/main.ts')], testIo(cwd))).rejects.toMatchObject({
    exitCode: 1,
    message: 'stage default: the chart would not render it: ConfigMap web/settings data.threads differs from what the templates make of its values; '
      + 'a field derived from a value cannot be templated: keep that value fixed, out of chartValues',
  });
  expect(fs.readdirSync(cwd)).toEqual(['web']);
});

describe('chartValues', () => {
  test('names every leaf that cannot be a value, at once, with the construct path', () => {
    const app = new App();
    const chart = new Chart(app, 'web');
    expect(() => chartValues(chart, { a: true, b: 1.5, c: [1], d: { e: 'x', f: 3 } }, { kinds: { 'd.*': 'quantity' } })).toThrow(
      'web: chart values: a: true is neither a string nor an integer; b: 1.5 is no integer; a value is a string or an integer; '
      + 'c: [1] is neither a string nor an integer; d.e: "x" is no quantity; d.f: 3 is a number, but a quantity value is a string');
  });

  test('an app declares its values once', () => {
    const app = new App();
    chartValues(app, { a: 'x' });
    expect(() => chartValues(app, { b: 'y' })).toThrow('<app>: chart values: the app declares its chart values a second time; declare them once');
  });

  test('returns the values themselves, or placeholders of each kind while the app is built with them; one placeholder per value', () => {
    const values = { image: 'web', replicas: 2, memory: '64Mi', request: '32Mi', className: '' };
    const options = { kinds: { memory: 'quantity', request: 'quantity', className: 'optional-string' } as const, placeholderUnits: { request: 'Ki' } };
    expect(chartValues(new App(), values, options)).toBe(values);
    const registry = new KnobRegistry();
    const first = withPlaceholders(registry, () => chartValues(new App(), values, options));
    expect(first).toEqual({ image: 'zzhv0001zz', replicas: 900002, memory: '910003Mi', request: '910004Ki', className: 'zzhv0005zz' });
    expect(withPlaceholders(registry, () => chartValues(new App(), values, options))).toEqual(first);
    expect(registry.knobs.map((k) => `${k.path}:${k.kind}`)).toEqual(['image:string', 'replicas:int', 'memory:quantity', 'request:quantity', 'className:optional-string']);
    expect(chartValues(new App(), values, options)).toBe(values);
  });

  test('withPlaceholders ends with its build, also when it throws or its promise is rejected; builds do not nest', async () => {
    const registry = new KnobRegistry();
    expect(() => withPlaceholders(registry, () => {
      throw new Error('entry failed');
    })).toThrow('entry failed');
    await expect(withPlaceholders(registry, async () => {
      expect(() => withPlaceholders(registry, () => 1)).toThrow('an app is already being built with placeholders');
      throw new Error('async entry failed');
    })).rejects.toThrow('async entry failed');
    expect(chartValues(new App(), { a: 'x' })).toEqual({ a: 'x' });
  });
});
