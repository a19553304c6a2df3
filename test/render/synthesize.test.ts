import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { appManifests } from '../../lib/render/manifests';
import { renderApp, renderObjects, RenderedObjects, SynthesisError, synthesize, yamlFiles } from '../../lib/render/synthesize';
import { WebApp } from '../../lib';
import { WRITTEN_RECORD } from '../../lib/output/write';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'synth-'));
}

function snapshotFolder(dir: string): Record<string, string> {
  return Object.fromEntries(fs.readdirSync(dir).sort().map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
}

test('a failing synth leaves the output folder exactly as it was', () => {
  const outdir = tempDir();
  fs.writeFileSync(path.join(outdir, '00-old.yaml'), 'kind: Old\n');
  const before = snapshotFolder(outdir);

  const app = new App();
  const chart = new Chart(app, 'broken');
  new k8s.KubeService(chart, 'Orphan', {
    metadata: { name: 'orphan-service' },
    spec: { selector: { app: 'nothing' }, ports: [{ port: 80 }] },
  });

  expect(() => synthesize(app, outdir)).toThrow(SynthesisError);
  expect(snapshotFolder(outdir)).toEqual(before);
});

function twoChartApp(): App {
  const app = new App();
  const first = new Chart(app, 'first');
  const second = new Chart(app, 'second');
  new WebApp(second, 'Api', { name: 'api', image: 'api:1.0', port: 8080 });
  new WebApp(first, 'Worker', { name: 'worker', image: 'worker:1.0' });
  second.addDependency(first);
  return app;
}

test('a successful synth writes numbered files and their record, leaving subfolders and unrecorded files alone', () => {
  const outdir = tempDir();
  fs.writeFileSync(path.join(outdir, 'my-extra.yaml'), 'kind: Mine\n');
  fs.mkdirSync(path.join(outdir, 'prod'));
  fs.writeFileSync(path.join(outdir, 'prod', 'keep.yaml'), 'kind: Keep\n');

  const result = synthesize(twoChartApp(), outdir);

  expect(fs.readdirSync(outdir).sort()).toEqual([WRITTEN_RECORD, '00-first.yaml', '01-second.yaml', 'my-extra.yaml', 'prod']);
  expect(fs.readFileSync(path.join(outdir, 'my-extra.yaml'), 'utf8')).toBe('kind: Mine\n');
  expect(fs.readFileSync(path.join(outdir, 'prod', 'keep.yaml'), 'utf8')).toBe('kind: Keep\n');
  expect(result.commit.foreignManifests).toEqual([path.join(outdir, 'my-extra.yaml')]);
  expect(result.manifests.map((m) => [m.file, m.objects.map((o) => o.kind)])).toEqual([
    ['00-first.yaml', ['Deployment', 'NetworkPolicy']],
    ['01-second.yaml', ['Deployment', 'Service', 'NetworkPolicy']],
  ]);
  expect(fs.existsSync(path.join(path.dirname(outdir), '.habr-k8s'))).toBe(false);
});

test('a later synth deletes the files an earlier one wrote and no longer writes, and only those', () => {
  const outdir = tempDir();
  const app = new App();
  new WebApp(new Chart(app, 'gone'), 'Old', { name: 'old', image: 'old:1.0' });
  synthesize(app, outdir);
  fs.writeFileSync(path.join(outdir, '07-mine.yaml'), 'kind: Mine\n');

  synthesize(twoChartApp(), outdir);

  expect(fs.readdirSync(outdir).sort()).toEqual([WRITTEN_RECORD, '00-first.yaml', '01-second.yaml', '07-mine.yaml']);
  expect(fs.readFileSync(path.join(outdir, WRITTEN_RECORD), 'utf8').split('\n').slice(1)).toEqual(['00-first.yaml', '01-second.yaml', '']);
});

test('a synth refuses to replace a file of the same name that it did not write, naming it', () => {
  const outdir = tempDir();
  synthesize(twoChartApp(), outdir);
  fs.rmSync(path.join(outdir, WRITTEN_RECORD));
  synthesize(twoChartApp(), outdir); // no record: the files are taken over
  const app = new App();
  new WebApp(new Chart(app, 'third'), 'Ui', { name: 'ui', image: 'ui:1.0' });
  fs.writeFileSync(path.join(outdir, '00-third.yaml'), 'kind: Mine\n');

  expect(() => synthesize(app, outdir)).toThrow(`${path.join(outdir, '00-third.yaml')} was not written by synth; rename or delete it, then run synth again`);
  expect(fs.readFileSync(path.join(outdir, '00-third.yaml'), 'utf8')).toBe('kind: Mine\n');
});

test('charts are ordered after their dependencies even when added before them', () => {
  const app = new App();
  const late = new Chart(app, 'late');
  const early = new Chart(app, 'early');
  late.addDependency(early);
  new WebApp(early, 'A', { name: 'a', image: 'a:1' });
  new WebApp(late, 'B', { name: 'b', image: 'b:1' });
  const result = synthesize(app, tempDir());
  expect(result.files.map((f) => f.file)).toEqual(['00-early.yaml', '01-late.yaml']);
});

test('a dependency cycle between charts is refused', () => {
  const app = new App();
  const a = new Chart(app, 'a');
  const b = new Chart(app, 'b');
  a.addDependency(b);
  b.addDependency(a);
  expect(() => synthesize(app, tempDir())).toThrow(/cycle: a -> b -> a/);
});

test('appManifests returns, chart by chart, exactly what cdk8s Chart.toJson() returns', () => {
  const app = new App();
  const data = new Chart(app, 'data');
  const web = new Chart(app, 'web');
  const jobs = new Chart(app, 'jobs');
  web.addDependency(data);
  const db = new WebApp(data, 'Db', { name: 'db', image: 'db:1', port: 5432 });
  const api = new WebApp(web, 'Api', { name: 'api', image: 'api:1', port: 8080 });
  new WebApp(web, 'Ui', { name: 'ui', image: 'ui:1', port: 3000 });
  new WebApp(jobs, 'Worker', { name: 'worker', image: 'worker:1' });
  api.connections.allowTo(db);
  // Explicit object-level dependency inside one chart: the Service must come before the Deployment.
  api.deployment.addDependency(api.service!);

  const manifests = appManifests(app);
  for (const manifest of manifests) expect(manifest.objects).toEqual(manifest.chart.toJson());
  expect(manifests.find((m) => m.chart === web)!.objects.map((o) => o.kind).slice(0, 2)).toEqual(['Service', 'Deployment']);
});

/** The chart order cdk8s' own `app.synth()` writes: its FILE_PER_CHART files are numbered in apply order. */
function cdk8sChartOrder(build: (app: App) => void): string[] {
  const app = new App({ outdir: tempDir() });
  build(app);
  app.synth();
  return fs.readdirSync(app.outdir).sort().map((f) => f.replace(/^\d+-/, '').replace(/\.k8s\.yaml$/, ''));
}

function ourChartOrder(build: (app: App) => void): string[] {
  const app = new App();
  build(app);
  return appManifests(app).map((m) => m.chart.node.id);
}

describe('charts are written in the order cdk8s itself applies them', () => {
  const configMap = (chart: Chart, name: string) => new k8s.KubeConfigMap(chart, name, { metadata: { name }, data: { a: '1' } });

  test('an object-level dependency across two charts puts the depended-on chart first', () => {
    const build = (app: App) => {
      const objA = configMap(new Chart(app, 'a'), 'obj-a');
      const objB = configMap(new Chart(app, 'b'), 'obj-b');
      objA.node.addDependency(objB);
    };
    expect(cdk8sChartOrder(build)).toEqual(['b', 'a']);
    expect(ourChartOrder(build)).toEqual(['b', 'a']);
    const app = new App();
    build(app);
    expect(appManifests(app).map((m) => m.file)).toEqual(['00-b.yaml', '01-a.yaml']);
  });

  test('a construct-level dependency on a construct of a later chart, with an unrelated chart in between', () => {
    const build = (app: App) => {
      const a = new Chart(app, 'a');
      new Chart(app, 'b');
      const c = new Chart(app, 'c');
      const api = new WebApp(c, 'Api', { name: 'api', image: 'api:1', port: 8080 });
      const db = new WebApp(a, 'Db', { name: 'db', image: 'db:1', port: 5432 });
      api.node.addDependency(db);
      configMap(new Chart(app, 'd'), 'obj-d');
    };
    expect(ourChartOrder(build)).toEqual(cdk8sChartOrder(build));
  });

  test('explicit chart dependencies and chains keep the order cdk8s gives them', () => {
    const build = (app: App) => {
      const a = new Chart(app, 'a');
      const b = new Chart(app, 'b');
      const c = new Chart(app, 'c');
      configMap(a, 'obj-a');
      const objB = configMap(b, 'obj-b');
      const objC = configMap(c, 'obj-c');
      a.addDependency(c);
      objC.node.addDependency(objB);
    };
    expect(ourChartOrder(build)).toEqual(cdk8sChartOrder(build));
    expect(ourChartOrder(build)).toEqual(['b', 'c', 'a']);
  });

  test('the objects of each chart are still what Chart.toJson() returns', () => {
    const app = new App();
    const objA = configMap(new Chart(app, 'a'), 'obj-a');
    const b = new Chart(app, 'b');
    const objB = configMap(b, 'obj-b');
    configMap(b, 'obj-b2');
    objA.node.addDependency(objB);
    const manifests = appManifests(app);
    for (const manifest of manifests) expect(manifest.objects).toEqual(manifest.chart.toJson());
  });
});

describe('the output stage takes a format', () => {
  test('renderApp is renderObjects written by yamlFiles, the default format', () => {
    const rendered = renderApp(twoChartApp());
    expect(rendered.files).toEqual(yamlFiles(renderObjects(twoChartApp())));
    expect(rendered.files.map((f) => f.file)).toEqual(rendered.manifests.map((m) => m.file));
    expect(rendered.files[0].content).toMatch(/^# /);
  });

  test('synthesize writes the files of the format it is given, from the same validated objects', () => {
    const outdir = tempDir();
    const seen: RenderedObjects[] = [];
    const names = (rendered: RenderedObjects) => {
      seen.push(rendered);
      return [{ file: 'names.txt', content: rendered.objects.map((o) => `${o.object.kind}/${o.object.metadata?.name}`).join('\n') + '\n' }];
    };
    const result = synthesize(twoChartApp(), outdir, { format: names });
    expect(fs.readdirSync(outdir).filter((f) => f !== WRITTEN_RECORD)).toEqual(['names.txt']);
    expect(fs.readFileSync(path.join(outdir, 'names.txt'), 'utf8')).toContain('Deployment/api-deployment\n');
    expect(seen).toHaveLength(1);
    expect(seen[0].report.errors).toBe(0);
    expect(result.files).toEqual([{ file: 'names.txt', content: fs.readFileSync(path.join(outdir, 'names.txt'), 'utf8') }]);
  });

  test('a format is not asked for files when validation fails', () => {
    const app = new App();
    new k8s.KubeService(new Chart(app, 'broken'), 'Orphan', { metadata: { name: 'orphan-service' }, spec: { selector: { app: 'nothing' }, ports: [{ port: 80 }] } });
    const format = jest.fn(yamlFiles);
    expect(() => synthesize(app, tempDir(), { format })).toThrow(SynthesisError);
    expect(format).not.toHaveBeenCalled();
  });
});
