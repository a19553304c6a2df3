import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';

/**
 * Packs the library as npm would publish it, installs the tarball into a fresh project and
 * compiles and runs a program that imports it by package name. The peer dependencies are linked
 * from this repo's node_modules (`npm install <folder>` makes a symlink), so no registry is needed.
 */

const ROOT = path.resolve(__dirname, '../..');
const NODE_MODULES = path.join(ROOT, 'node_modules');
const PACKAGE_NAME: string = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).name;
const LINKED_FROM_REPO = ['cdk8s', 'cdk8s-plus-27', 'constructs', 'yaml', '@types/node'];

const CONSUMER_PROGRAM = `
import { App, Chart } from 'cdk8s';
import { declareExternalObject, HpaPolicy, HttpRoute, IngressedService, MongoStatefulSet, renderApp, WebApp } from '${PACKAGE_NAME}';

const app = new App();
const chart = new Chart(app, 'shop', { disableResourceNameHashes: true });
const mongo = new MongoStatefulSet(chart, 'Mongo', { storage: '2Gi' });
const api = new WebApp(chart, 'Api', { name: 'api', image: 'shop/api:1.2.3', port: 8080, replicas: 2 });
new IngressedService(chart, 'Public', { name: 'api-public', target: api, host: 'api.shop.example' });
// An HTTPRoute through the L1 class generated into imports/ (shipped as build/imports).
new HttpRoute(chart, 'ApiRoute', { name: 'api', gateways: [{ name: 'public' }], backends: [{ service: api.service!, port: api.servicePort!, weight: 100 }] });
new HpaPolicy(chart, 'ApiScaling', { target: api, minReplicas: 2, maxReplicas: 5, cpuUtilization: 70 });
api.connections.allowTo(mongo);
declareExternalObject(chart, { kind: 'Secret', name: 'mongodb-secret' });
// The whole-app validation (schema files included) must work from the installed package too.
const rendered = renderApp(app);
if (rendered.report.findings.length) throw new Error(JSON.stringify(rendered.report.findings, null, 2));
process.stdout.write(rendered.files.map((file) => file.content).join('---\\n'));
`;

const CONSUMER_TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'node16',
    moduleResolution: 'node16',
    strict: true,
    types: ['node'],
    outDir: 'out',
  },
  files: ['main.ts'],
};

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
  run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error', tarball, ...linked], consumer);
  fs.writeFileSync(path.join(consumer, 'main.ts'), CONSUMER_PROGRAM);
  fs.writeFileSync(path.join(consumer, 'tsconfig.json'), JSON.stringify(CONSUMER_TSCONFIG));
  return consumer;
}

describe('the packed library', () => {
  let dir: string;
  let installed: string;
  let manifests: Array<Record<string, any>>;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pack-test-'));
    const consumer = createConsumer(dir, packInto(dir));
    installed = path.join(consumer, 'node_modules', PACKAGE_NAME);
    run(process.execPath, [path.join(NODE_MODULES, 'typescript', 'bin', 'tsc'), '-p', consumer], consumer);
    const yaml = run(process.execPath, [path.join(consumer, 'out', 'main.js')], consumer);
    manifests = parseAllDocuments(yaml).map((doc) => doc.toJS());
  }, 60_000);

  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('ships only the compiled library', () => {
    const files = listFiles(installed);
    expect(files).toContain('package.json');
    expect(files).toContain('build/lib/index.js');
    expect(files).toContain('build/lib/index.d.ts');
    expect(files).toContain('build/lib/validation/schema/k8s-1.27.json');
    expect(files).toContain('build/lib/validation/schema/gateway-api.json');
    expect(files).toContain('build/imports/httproute-gateway.networking.k8s.io.js');
    expect(files.filter((file) => !/^build\/(lib|imports)\/.*\.(js|d\.ts)$/.test(file)
      && !/^build\/lib\/validation\/schema\/(k8s-[\d.]+|gateway-api)\.json$/.test(file)
      && !/^(package\.json|README[^/]*|LICENSE[^/]*)$/.test(file))).toEqual([]);
  });

  test('compiles and synthesizes in another project', () => {
    const deployment = manifests.find((m) => m.kind === 'Deployment');
    expect(deployment?.metadata.name).toBe('api-deployment');
    expect(deployment?.spec.replicas).toBeUndefined();
    const hpa = manifests.find((m) => m.kind === 'HorizontalPodAutoscaler');
    expect(hpa?.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'api-deployment' });
    expect(hpa?.spec.maxReplicas).toBe(5);
    const route = manifests.find((m) => m.kind === 'HTTPRoute');
    expect(route?.spec.rules[0].backendRefs).toEqual([{ name: 'api-service', port: 8080, weight: 100 }]);
    const ingress = manifests.find((m) => m.kind === 'Ingress');
    expect(ingress?.spec.rules[0].host).toBe('api.shop.example');
    const mongoPolicy = manifests.find((m) => m.kind === 'NetworkPolicy' && m.metadata.name === 'mongodb-network-policy');
    expect(mongoPolicy?.spec.ingress[0].from).toEqual([{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'api' } } }]);
  });
});

function listFiles(dir: string, prefix = ''): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    return entry.isDirectory() ? listFiles(path.join(dir, entry.name), relative) : [relative];
  });
}
