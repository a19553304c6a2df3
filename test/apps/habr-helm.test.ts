/**
 * The Helm chart of the habr stack without helm itself (the cluster suite runs the real helm on
 * it: lint, template, install, upgrade, history, rollback): the committed dist/helm is what
 * `npm run synth:helm` writes, a dev synth keeps it, and the validator skips it.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CHART_FOLDER, habrChart, renderStage, valuesOf } from '../../apps/habr/helm-chart';
import { DEV, PROD } from '../../apps/habr/stages';
import { KnobRegistry, templateYaml } from '../../lib/render/helm/knobs';
import { commitOutput, writeOutputFiles } from '../../lib/output/write';
import { formatWrittenRecord, WRITTEN_RECORD } from '../../lib/output/written-record';
import { readManifestFolder } from '../../lib/manifest/load';
import { availableHelm } from '../../tools/cluster/binaries';
import { byKey, CHART, changedFields, expectSchemaRefuses, helmTemplate } from '../cluster/helm';

const REPO = path.resolve(__dirname, '../..');
const chart = habrChart();

test('the committed dist/helm/habr is what `npm run synth:helm` writes', () => {
  const templates = path.join(REPO, chart.templatesFolder);
  expect(fs.readdirSync(templates).filter((f) => f !== WRITTEN_RECORD).sort()).toEqual(chart.templates.map((t) => t.file));
  for (const template of chart.templates) {
    expect({ file: template.file, content: fs.readFileSync(path.join(templates, template.file), 'utf8') }).toEqual(template);
  }
  expect(fs.readFileSync(path.join(templates, WRITTEN_RECORD), 'utf8')).toBe(formatWrittenRecord(chart.templates.map((t) => t.file)));
  for (const document of chart.documents) {
    expect({ file: document.file, content: fs.readFileSync(path.join(REPO, document.file), 'utf8') }).toEqual(document);
  }
  expect(fs.readdirSync(path.join(REPO, CHART_FOLDER)).sort()).toEqual(
    [...chart.documents.map((d) => path.basename(d.file)), 'templates'].sort(),
  );
});

test('the default values are the prod stage and values-dev.yaml the dev stage, knob by knob', () => {
  const prod = valuesOf(PROD, renderStage(PROD).objects.map((o) => o.object));
  const dev = valuesOf(DEV, renderStage(DEV).objects.map((o) => o.object));
  expect(prod).toMatchObject({
    profile: 'prod',
    release: '1.0.0',
    images: { backend: { repository: 'registry.digitalocean.com/habr-app-demo/backend' }, mongo: { repository: 'mongo', tag: '6.0.6' } },
    hosts: PROD.hosts,
    storage: { mongo: '10Gi', redis: '1Gi', className: '' },
    autoscaling: { backend: { minReplicas: 2, maxReplicas: 20, cpuUtilization: 75, memoryAverageValue: '400Mi' } },
    resources: { backend: { requests: { cpu: '100m', memory: '192Mi' }, limits: { memory: '512Mi' } } },
  });
  expect(dev).toMatchObject({ profile: 'dev', release: 'latest', hosts: DEV.hosts, ingress: { className: 'nginx' }, storage: { mongo: '100Mi', className: '' } });
  // prod routes through the platform's Gateway: no Ingress class to set.
  expect(prod).not.toHaveProperty('ingress');
  expect(dev).not.toHaveProperty('autoscaling');
  expect(dev.storage).not.toHaveProperty('redis');
  // Mongo's memory limit sets its cache size, so it is no knob.
  expect(prod.resources.mongo).not.toHaveProperty('limits');
});

test('every templated field names a value of values.yaml or values-dev.yaml, and every value is used by a template', () => {
  const values = fs.readFileSync(path.join(REPO, CHART_FOLDER, 'values.yaml'), 'utf8');
  const references = new Set(chart.templates.flatMap((t) => [...t.content.matchAll(/\.Values\.([A-Za-z0-9_.]+)/g)].map((m) => m[1])));
  const leaves = (value: unknown, prefix = ''): string[] =>
    value !== null && typeof value === 'object'
      ? Object.entries(value).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k))
      : [prefix];
  const prod = valuesOf(PROD, renderStage(PROD).objects.map((o) => o.object));
  const dev = valuesOf(DEV, renderStage(DEV).objects.map((o) => o.object));
  // The dev profile's own knobs (ingress.className, its canary) are in values-dev.yaml only; dev leaves out prod's autoscaling, storage.redis and blue/green.
  expect([...references].sort()).toEqual([...new Set([...leaves(prod), ...leaves(dev)])].sort());
  expect(leaves(dev).filter((leaf) => !leaves(prod).includes(leaf))).toEqual([
    'ingress.className', 'frontend.release.weight', 'frontend.release.versions.v1.tag', 'frontend.release.versions.v2.tag',
  ]);
  expect(values).toContain('profile: prod');
});

test('the Namespace is left out of the chart, the default-deny policy is in', () => {
  const platform = chart.templates.find((t) => t.file === '00-platform.yaml')!.content;
  expect(platform).not.toMatch(/kind: Namespace/);
  expect(platform).toMatch(/name: default-deny-ingress/);
});

test('the names the images hard-code are fixed: no template uses the release name', () => {
  for (const template of chart.templates) expect(template.content).not.toMatch(/\.Release\.|\.Chart\./);
});

describe('templateYaml', () => {
  const registry = new KnobRegistry();
  const image = `${registry.string('images.web.repository')}:${registry.string('release')}`;
  const replicas = registry.int('replicas.web');
  const memory = registry.quantity('resources.web.memory', 'Mi');
  const className = registry.optionalString('storage.className');

  it('writes integers with int, strings and quantities quoted, and a string inside a longer one with print', () => {
    const yaml = `spec:\n  replicas: ${replicas}\n  image: ${image}\n  memory: ${memory}\n  url: "http://${registry.string('release')}/x"\n`;
    expect(templateYaml(yaml, registry.knobs).template).toBe(
      'spec:\n  replicas: {{ .Values.replicas.web | int }}\n' +
        '  image: {{ (print .Values.images.web.repository ":" .Values.release) | quote }}\n' +
        '  memory: {{ .Values.resources.web.memory | quote }}\n' +
        '  url: {{ (print "http://" .Values.release "/x") | quote }}\n',
    );
  });

  it('leaves out the line of an empty optional string', () => {
    expect(templateYaml(`a: 1\nstorageClassName: ${className}\nb: 2\n`, registry.knobs).template).toBe(
      'a: 1\n{{- if .Values.storage.className }}\nstorageClassName: {{ .Values.storage.className | quote }}\n{{- end }}\nb: 2\n',
    );
  });

  it('refuses a placeholder it cannot template', () => {
    expect(() => templateYaml(`args: [${replicas}]\n`, registry.knobs)).toThrow(/cannot template/);
  });
});

describe('the writer keeps the chart', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'helm-output-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('a dev synth, which swaps dist/ as a whole, carries dist/helm along unchanged', () => {
    const dist = path.join(root, 'dist');
    const workDir = path.join(root, '.habr-k8s');
    writeOutputFiles(dist, [{ file: '00-a.yaml', content: 'a: 1\n' }], { workDir });
    commitOutput(
      {
        folder: path.join(dist, 'helm/habr/templates'),
        files: chart.templates,
        documents: chart.documents.map((d) => ({ ...d, file: path.join(root, d.file) })),
      },
      { workDir },
    );
    const before = fs.readFileSync(path.join(dist, 'helm/habr/templates/04-backend.yaml'), 'utf8');
    writeOutputFiles(dist, [{ file: '00-a.yaml', content: 'a: 2\n' }, { file: '01-b.yaml', content: 'b: 1\n' }], { workDir });
    expect(fs.readFileSync(path.join(dist, '00-a.yaml'), 'utf8')).toBe('a: 2\n');
    expect(fs.readFileSync(path.join(dist, 'helm/habr/templates/04-backend.yaml'), 'utf8')).toBe(before);
    for (const document of chart.documents) {
      expect(fs.readFileSync(path.join(root, document.file), 'utf8')).toBe(document.content);
    }
    expect(fs.existsSync(workDir)).toBe(false);
  });

  it('a second synth:helm deletes a template it no longer writes and keeps a file of the user', () => {
    const workDir = path.join(root, '.habr-k8s');
    const templates = path.join(root, 'chart/templates');
    commitOutput({ folder: templates, files: [{ file: 'a.yaml', content: 'x\n' }, { file: 'b.yaml', content: 'y\n' }] }, { workDir });
    fs.writeFileSync(path.join(templates, '_mine.tpl'), '{{/* mine */}}\n');
    commitOutput({ folder: templates, files: [{ file: 'a.yaml', content: 'x\n' }] }, { workDir });
    expect(fs.readdirSync(templates).sort()).toEqual([WRITTEN_RECORD, '_mine.tpl', 'a.yaml']);
  });
});

test('the validator skips a Helm chart folder with a note, as it skips another stage', () => {
  const folder = readManifestFolder(path.join(REPO, 'dist'));
  expect(folder.findings).toEqual([]);
  expect(folder.notes).toContainEqual(expect.stringMatching(/^helm\/habr\/: skipped, a Helm chart/));
  expect(folder.objects.every((o) => !o.source.startsWith('helm/'))).toBe(true);
});

const helmBinary = availableHelm();
/** The committed output of a stage, but the Namespace `default`, which the chart leaves to the user (see docs/helm.md). */
const committedStage = (folder: string) => byKey(readManifestFolder(folder, { recursive: false }).objects.map((o) => o.object).filter((o) => o.kind !== 'Namespace'));
const DEV_VALUES = path.join(CHART, 'values-dev.yaml');

(helmBinary ? describe : describe.skip)(`the chart under the real helm${helmBinary ? '' : ' (skipped: no helm binary; set HELM_BIN or build it with npm run test:cluster)'}`, () => {
  test('helm template with the default values renders exactly dist/prod, object by object, both versions of backend and frontend included', () => {
    const rendered = byKey(helmTemplate());
    const prod = committedStage(path.join(REPO, 'dist/prod'));
    expect(Object.keys(rendered).sort()).toEqual(Object.keys(prod).sort());
    expect(rendered).toEqual(prod);
    expect(Object.keys(rendered)).toEqual(expect.arrayContaining([
      'Deployment/default/backend-blue-deployment', 'Deployment/default/backend-green-deployment', 'Service/default/backend-preview-service',
      'Deployment/default/frontend-blue-deployment', 'Deployment/default/frontend-green-deployment', 'HorizontalPodAutoscaler/default/backend-green-hpa',
    ]));
  });

  test('helm template -f values-dev.yaml renders exactly dist/, the canary included', () => {
    const rendered = byKey(helmTemplate(['-f', DEV_VALUES]));
    const dev = committedStage(path.join(REPO, 'dist'));
    expect(Object.keys(rendered).sort()).toEqual(Object.keys(dev).sort());
    expect(rendered).toEqual(dev);
    expect(rendered['Ingress/default/frontend-canary-ingress'].metadata?.annotations?.['nginx.ingress.kubernetes.io/canary-weight']).toBe('20');
  });

  test.each([
    [[], 'backend.release.active=green', [
      'Service/default/backend-preview-service spec.selector.release.habr-k8s.io/version',
      'Service/default/backend-service spec.selector.release.habr-k8s.io/version',
    ]],
    [[], 'frontend.release.active=green', [
      'Service/default/frontend-preview-service spec.selector.release.habr-k8s.io/version',
      'Service/default/frontend-service spec.selector.release.habr-k8s.io/version',
    ]],
    // A version's tag is its image's and its app.kubernetes.io/version label's.
    [[], 'backend.release.versions.green.tag=1.2.0', [
      'Deployment/default/backend-green-deployment metadata.labels.app.kubernetes.io/version',
      'Deployment/default/backend-green-deployment spec.template.metadata.labels.app.kubernetes.io/version',
      'Deployment/default/backend-green-deployment spec.template.spec.containers.0.image',
      'HorizontalPodAutoscaler/default/backend-green-hpa metadata.labels.app.kubernetes.io/version',
      'PodDisruptionBudget/default/backend-green-pdb metadata.labels.app.kubernetes.io/version',
    ]],
    [['-f', DEV_VALUES], 'frontend.release.weight=35', ['Ingress/default/frontend-canary-ingress metadata.annotations.nginx.ingress.kubernetes.io/canary-weight']],
    [['-f', DEV_VALUES], 'frontend.release.versions.v2.tag=v3', [
      'Deployment/default/frontend-v2-deployment metadata.labels.app.kubernetes.io/version',
      'Deployment/default/frontend-v2-deployment spec.template.metadata.labels.app.kubernetes.io/version',
      'Deployment/default/frontend-v2-deployment spec.template.spec.containers.0.image',
    ]],
  ])('%j --set %s changes exactly the fields it should: no Deployment moves with the switch', (args, set, fields) => {
    const before = byKey(helmTemplate(args));
    const after = byKey(helmTemplate([...args, '--set', set]));
    expect(Object.keys(after)).toEqual(Object.keys(before));
    expect(changedFields(before, after)).toEqual(fields);
  });

  test('--set backend.release.active=green: backend-service selects green, the preview blue; the weight is a number in the annotation', () => {
    const green = byKey(helmTemplate(['--set', 'backend.release.active=green']));
    const version = (key: string) => (green[key].spec as { selector: Record<string, string> }).selector['release.habr-k8s.io/version'];
    expect([version('Service/default/backend-service'), version('Service/default/backend-preview-service')]).toEqual(['green', 'blue']);
    const canary = byKey(helmTemplate(['-f', DEV_VALUES, '--set', 'frontend.release.weight=35']))['Ingress/default/frontend-canary-ingress'];
    expect(canary.metadata?.annotations?.['nginx.ingress.kubernetes.io/canary-weight']).toBe('35');
  });

  test.each([
    ['a version the backend does not have', ['--set', 'backend.release.active=purple'], /backend\/release\/active': value must be one of 'blue', 'green'/],
    ['a canary weight above 100', ['-f', DEV_VALUES, '--set', 'frontend.release.weight=150'], /frontend\/release\/weight': maximum: got 150, want 100/],
    ['a negative canary weight', ['-f', DEV_VALUES, '--set', 'frontend.release.weight=-1'], /frontend\/release\/weight': minimum: got -1, want 0/],
    ['an unpinned version in prod', ['--set', 'frontend.release.versions.green.tag=latest'], /frontend\/release\/versions\/green\/tag/],
    ['a key a release does not have, in prod', ['--set', 'backend.release.activ=green'], /\/backend\/release': additional properties 'activ' not allowed/],
  ])('values.schema.json refuses %s before anything renders', (_what, args, message) => expectSchemaRefuses(args, message));
});
