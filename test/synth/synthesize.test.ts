import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { appManifests } from '../../lib/synth/manifests';
import { SynthesisError, synthesize } from '../../lib/synth/synthesize';
import { WebApp } from '../../lib';
import { WRITTEN_RECORD } from '../../lib/synth/write';

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
