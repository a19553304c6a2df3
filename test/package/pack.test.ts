import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { parseManifestText } from '../../lib/manifest/load';
import { availableHelm } from '../../tools/cluster/binaries';
import { byKey, helmOk } from '../cluster/helm';
import { markedBlocks, README } from '../readme-blocks';

/**
 * Packs the library as npm would publish it, installs the tarball into a fresh project with only
 * its peers, copies examples/shop in, and runs every command there through
 * node_modules/.bin/habr-k8s, as a user would. The peers (and esbuild, yaml, TypeScript for the type
 * check) are linked from this repo's node_modules (`npm install <folder>` makes a symlink), so no
 * registry is needed.
 */

const ROOT = path.resolve(__dirname, '../..');
const NODE_MODULES = path.join(ROOT, 'node_modules');
const MANIFEST = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
const PEERS = ['cdk8s', 'cdk8s-plus-27', 'constructs'];
/** The package's own dependencies, linked so that npm needs no registry; TypeScript only for the type check of the example. */
const LINKED_FROM_REPO = [...PEERS, 'yaml', 'esbuild', 'typescript', '@types/node'];
const EXAMPLE = path.join(ROOT, 'examples/shop');

function run(command: string, args: readonly string[], cwd: string): string {
  try {
    return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${stdout ?? ''}${stderr ?? ''}`);
  }
}

function packInto(dir: string): string {
  run('npm', ['pack', '--pack-destination', dir, '--silent'], ROOT);
  const tarballs = fs.readdirSync(dir).filter((file) => file.endsWith('.tgz'));
  if (tarballs.length !== 1) throw new Error(`expected one tarball in ${dir}, found ${tarballs.join(', ') || 'none'}`);
  return path.join(dir, tarballs[0]);
}

function createConsumer(dir: string, tarball: string): string {
  const consumer = path.join(dir, 'consumer');
  fs.mkdirSync(consumer);
  fs.writeFileSync(path.join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', version: '0.0.0', private: true }));
  const linked = LINKED_FROM_REPO.map((name) => path.join(NODE_MODULES, name));
  // --omit=optional: esbuild's platform binary is found beside the linked esbuild, not fetched.
  run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', '--omit=optional', '--loglevel=error', tarball, ...linked], consumer);
  for (const file of fs.readdirSync(EXAMPLE)) fs.copyFileSync(path.join(EXAMPLE, file), path.join(consumer, file));
  return consumer;
}

describe('the packed library', () => {
  let dir: string;
  let consumer: string;
  let installed: string;
  /** `habr-k8s <args>` in the consumer project, through the link npm made. */
  let habr: (...args: string[]) => { status: number | null; stdout: string; stderr: string };

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pack-test-'));
    consumer = createConsumer(dir, packInto(dir));
    installed = path.join(consumer, 'node_modules', MANIFEST.name);
    const bin = path.join(consumer, 'node_modules', '.bin', 'habr-k8s');
    const env = { ...process.env, npm_lifecycle_event: '', INIT_CWD: '', DEBUG: '', STAGE: '', CDK8S_OUTDIR: '', TS_RUN_CACHE_DIR: '' };
    habr = (...args) => spawnSync(bin, args, { cwd: consumer, encoding: 'utf8', env });
  }, 300_000);

  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('ships the compiled library and the bin, and a prepare script that does nothing without scripts/', () => {
    const files = listFiles(installed);
    for (const file of ['package.json', 'LICENSE', 'bin/habr-k8s.js', 'build/lib/index.js', 'build/lib/index.d.ts', 'build/lib/cli/main.js', 'build/lib/cli/run-ts.js',
      'build/lib/manifest/api/k8s-1.27.json', 'build/lib/validation/schema/gateway-api.json', 'build/imports/httproute-gateway.networking.k8s.io.js']) {
      expect(files).toContain(file);
    }
    expect(files.filter((file) => !/^build\/(lib|imports)\/.*\.(js|d\.ts)$/.test(file)
      && !/^build\/lib\/(manifest\/api\/k8s-[\d.]+|validation\/schema\/gateway-api)\.json$/.test(file)
      && !/^(package\.json|bin\/habr-k8s\.js|README[^/]*|LICENSE[^/]*)$/.test(file))).toEqual([]);
    const shipped = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8'));
    expect(shipped.bin).toEqual({ 'habr-k8s': 'bin/habr-k8s.js' });
    expect(Object.keys(shipped.dependencies).sort()).toEqual(['esbuild', 'yaml']);
    expect(spawnSync('sh', ['-c', shipped.scripts.prepare], { cwd: installed, encoding: 'utf8' })).toMatchObject({ status: 0, stdout: '', stderr: '' });
  });

  test('--help lists the commands, --version is the package version; a command\'s --help its usage', () => {
    const help = habr('--help');
    expect(help).toMatchObject({ status: 0, stderr: '' });
    for (const name of ['synth', 'validate', 'diff']) expect(help.stdout).toMatch(new RegExp(`^ {2}${name} +\\S`, 'm'));
    expect(habr('--version')).toMatchObject({ status: 0, stdout: `${MANIFEST.version}\n` });
    expect(habr('validate', '--help').stdout).toMatch(/^usage: habr-k8s validate <file or folder>\.\.\. /);
  });

  test('the example type-checks against the shipped declarations', () => {
    fs.writeFileSync(path.join(consumer, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, module: 'commonjs', target: 'ES2022', noEmit: true, types: ['node'] }, files: ['main.ts'] }));
    run(process.execPath, [path.join(consumer, 'node_modules/typescript/bin/tsc'), '-p', '.'], consumer);
  });

  test('synth runs the cdk8s-style entry of cdk8s.yaml, validates it and writes dist/, printing what the README shows; validate dist agrees', () => {
    const synth = habr('synth');
    expect(synth).toMatchObject({ status: 0, stderr: '' });
    expect(synth.stdout).toBe(markedBlocks(README, 'output').get('synth'));
    const objects = parseAllDocuments(fs.readFileSync(path.join(consumer, 'dist/00-shop.yaml'), 'utf8')).map((doc) => doc.toJS());
    const kinds = objects.map((object) => `${object.kind}/${object.metadata.name}`);
    expect(kinds).toEqual(expect.arrayContaining([
      'Namespace/shop', 'StatefulSet/postgres-statefulset', 'StatefulSet/redis-statefulset', 'Deployment/api-deployment',
      'Deployment/web-deployment', 'HorizontalPodAutoscaler/api-hpa', 'CronJob/cart-cleanup-cronjob',
    ]));
    const ingresses = objects.filter((object) => object.kind === 'Ingress');
    expect(ingresses.map((ingress) => ingress.spec.tls)).toEqual([[{ hosts: ['shop.example.com'], secretName: 'shop-tls' }], [{ hosts: ['shop.example.com'], secretName: 'shop-tls' }]]);
    expect(habr('validate', 'dist')).toMatchObject({ status: 0, stdout: '20 objects checked, 0 errors, 0 warnings\n', stderr: '' });
  });

  test('diff shows what a change to main.ts would change in dist/, and writes nothing', () => {
    const main = path.join(consumer, 'main.ts');
    const source = fs.readFileSync(main, 'utf8');
    const written = fs.readFileSync(path.join(consumer, 'dist/00-shop.yaml'), 'utf8');
    expect(source.split('webReplicas: 2 }').length).toBe(2);
    fs.writeFileSync(main, source.replace('webReplicas: 2 }', 'webReplicas: 3 }'));
    try {
      const diff = habr('diff');
      expect(diff).toMatchObject({ status: 0, stderr: '' });
      expect(diff.stdout).toBe('dist/ (written) → fresh synth of main.ts\n~ Deployment shop/web-deployment\n    spec.replicas: 2 → 3\n0 added, 0 removed, 1 changed, 19 unchanged\n');
      expect(fs.readFileSync(path.join(consumer, 'dist/00-shop.yaml'), 'utf8')).toBe(written);
    } finally {
      fs.writeFileSync(main, source);
    }
  });

  test('a broken app: every bad prop one line, once, no stack trace, nothing written', () => {
    const source = fs.readFileSync(path.join(consumer, 'main.ts'), 'utf8');
    fs.writeFileSync(path.join(consumer, 'broken.ts'), source.replace("name: 'web',", "name: 'Web_Shop',").replace('port: 3000,', 'port: 70000,'));
    const synth = habr('synth', '--app', 'broken.ts', '--output', 'broken-out');
    expect(synth.status).toBe(1);
    expect(synth.stdout).toBe('');
    expect(synth.stderr.split('\n')).toEqual([
      expect.stringMatching(/^habr-k8s synth: shop\/Web: invalid name "Web_Shop": /),
      expect.stringMatching(/^habr-k8s synth: shop\/Web: invalid port 70000: /),
      '',
    ]);
    expect(fs.existsSync(path.join(consumer, 'broken-out'))).toBe(false);
  });

  test('helm writes a chart of the example whose values are those it declares with chartValues', () => {
    const helm = habr('helm');
    expect(helm).toMatchObject({ status: 0, stderr: '' });
    expect(helm.stdout.split('\n').slice(-2)).toEqual(['chart dist/helm/shop: 1 templates', '']);
    const chart = path.join(consumer, 'dist/helm/shop');
    expect(listFiles(chart).sort()).toEqual(['.helmignore', 'Chart.yaml', 'templates/.habr-k8s-written', 'templates/00-shop.yaml', 'values.schema.json', 'values.yaml']);
    expect(parseAllDocuments(fs.readFileSync(path.join(chart, 'Chart.yaml'), 'utf8'))[0].toJS()).toMatchObject({ apiVersion: 'v2', name: 'shop', version: '0.1.0' });
    expect(parseAllDocuments(fs.readFileSync(path.join(chart, 'values.yaml'), 'utf8'))[0].toJS()).toEqual({ version: '1.4.2', webReplicas: 2 });
    const schema = JSON.parse(fs.readFileSync(path.join(chart, 'values.schema.json'), 'utf8'));
    expect(schema).toMatchObject({ required: ['version', 'webReplicas'], properties: { version: { type: 'string' }, webReplicas: { type: 'integer' } } });
    const template = fs.readFileSync(path.join(chart, 'templates/00-shop.yaml'), 'utf8');
    expect(template).toContain('  replicas: {{ .Values.webReplicas | int }}\n');
    expect(template).toContain('image: {{ (print "ghcr.io/example/shop-web:" .Values.version) | quote }}\n');
  });

  const helmBinary = availableHelm();
  (helmBinary ? test : test.skip)(`helm template of that chart renders what synth wrote, object by object${helmBinary ? '' : ' (skipped: no helm binary; set HELM_BIN or build it with npm run test:cluster)'}`, () => {
    const synthesized = parseManifestText(fs.readFileSync(path.join(consumer, 'dist/00-shop.yaml'), 'utf8'), 'dist/00-shop.yaml');
    const rendered = parseManifestText(helmOk(['template', 'shop', path.join(consumer, 'dist/helm/shop')]), 'helm template');
    expect(Object.keys(byKey(rendered)).sort()).toEqual(Object.keys(byKey(synthesized)).sort());
    expect(byKey(rendered)).toEqual(byKey(synthesized));
    const tagged = byKey(parseManifestText(helmOk(['template', 'shop', path.join(consumer, 'dist/helm/shop'), '--set', 'webReplicas=5', '--set', 'version=2.0.0']), 'helm template'));
    expect(tagged['Deployment/shop/web-deployment'].spec).toMatchObject({ replicas: 5, template: { spec: { containers: [expect.objectContaining({ image: 'ghcr.io/example/shop-web:2.0.0' })] } } });
  });

  test('import compose writes an app that type-checks against the shipped declarations and synthesizes', () => {
    fs.writeFileSync(path.join(consumer, 'compose.yaml'), [
      'services:',
      '  web:',
      // The unprivileged variant of nginx, built to listen on 8080.
      '    image: nginxinc/nginx-unprivileged:1.27.3',
      '    ports: ["8080:8080"]',
      '    environment:',
      '      API_URL: http://api:3000',
      '  api:',
      '    image: ghcr.io/example/api:2.1.0',
      '    ports: ["3000"]',
      '',
    ].join('\n'));
    const imported = habr('import', 'compose', 'compose.yaml', '--out', 'imported');
    expect(imported.status).toBe(0);
    expect(imported.stdout).toBe('imported/stages.ts\nimported/stack.ts\nimported/main.ts\n'
      + 'imported compose.yaml into imported: 3 files, 1 warnings; synthesize with: npx habr-k8s synth --app imported/main.ts\n');
    expect(imported.stderr).toMatch(/^warning: web: ports: published 8080:8080: in the dev stage \(publishPorts\) the Service web is a NodePort [^\n]+\n$/);
    expect(fs.readFileSync(path.join(consumer, 'imported/stack.ts'), 'utf8')).toMatch(/from 'habr-k8s';$/m);
    run(process.execPath, [path.join(consumer, 'node_modules/typescript/bin/tsc'), '--strict', '--noEmit', '--module', 'commonjs', '--target', 'ES2022', '--types', 'node', 'imported/main.ts'], consumer);
    const synth = habr(...imported.stdout.match(/synthesize with: npx habr-k8s (.+)$/m)![1].split(' '));
    expect(synth).toMatchObject({ status: 0, stderr: '' });
    expect(synth.stdout).toBe('dist-imported/dev/00-platform.yaml  3 objects\ndist-imported/dev/01-web.yaml  3 objects\ndist-imported/dev/02-api.yaml  3 objects\n'
      + 'dist-imported/dev: 9 objects in 3 files, 0 warnings\n');
    const objects = parseManifestText(fs.readFileSync(path.join(consumer, 'dist-imported/dev/01-web.yaml'), 'utf8'), '01-web.yaml');
    expect(objects.map((object) => `${object.kind}/${object.metadata?.name}`)).toEqual(expect.arrayContaining(['Deployment/web-deployment', 'Service/web']));
  });

  test('builds an HTTPRoute through the imports/ classes it ships, and validates it', () => {
    const script = `
      const { App, Chart } = require('cdk8s');
      const { declareExternalObject, HttpRoute, Peer, renderApp, WebApp } = require('${MANIFEST.name}');
      const app = new App();
      const chart = new Chart(app, 'shop', { disableResourceNameHashes: true });
      const api = new WebApp(chart, 'Api', { name: 'api', image: 'shop/api:1.2.3', port: 8080 });
      // The app's NetworkPolicy admits only declared peers: the Gateway's data plane (in its namespace) among them.
      api.connections.allowFrom(Peer.gatewayDataPlane({ namespace: 'default' }));
      new HttpRoute(chart, 'ApiRoute', { name: 'api', gateways: [{ name: 'public' }], backends: [{ service: api.service, port: api.servicePort, weight: 100 }] });
      // The platform's Gateway, which the route attaches to.
      declareExternalObject(app, { kind: 'Gateway', name: 'public', namespace: 'default' });
      const rendered = renderApp(app);
      process.stdout.write(JSON.stringify({ findings: rendered.report.findings, yaml: rendered.files.map((file) => file.content).join('---\\n') }));
    `;
    const { findings, yaml } = JSON.parse(run(process.execPath, ['-e', script], consumer));
    expect(findings).toEqual([]);
    const route = parseAllDocuments(yaml).map((doc) => doc.toJS()).find((m) => m.kind === 'HTTPRoute');
    expect(route?.spec.rules[0].backendRefs).toEqual([{ name: 'api-service', port: 8080, weight: 100 }]);
  });
});

function listFiles(dir: string, prefix = ''): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    return entry.isDirectory() ? listFiles(path.join(dir, entry.name), relative) : [relative];
  });
}
