import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { markedBlocks, README } from '../readme-blocks';

/**
 * Packs the library as npm would publish it, installs the tarball into a fresh project and
 * compiles and runs the consumer example of docs/constructs.md there: its `tsconfig.json`, `main.ts`
 * and command, taken from that page so that it cannot drift. The peer dependencies (and TypeScript)
 * are linked from this repo's node_modules (`npm install <folder>` makes a symlink), so no registry
 * is needed.
 */

const ROOT = path.resolve(__dirname, '../..');
const NODE_MODULES = path.join(ROOT, 'node_modules');
const PACKAGE_NAME: string = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).name;
const LINKED_FROM_REPO = ['cdk8s', 'cdk8s-plus-27', 'constructs', 'yaml', 'esbuild', 'typescript', '@types/node'];
const CONSUMER_DOC = 'docs/constructs.md';
const CONSUMER_HEADING = '## Using the library from your own program';

/** The consumer section of docs/constructs.md: from its heading to the next one of the same level. */
function consumerSection(): string {
  const doc = fs.readFileSync(path.join(ROOT, CONSUMER_DOC), 'utf8');
  const start = doc.indexOf(CONSUMER_HEADING);
  if (start < 0) throw new Error(`${CONSUMER_DOC} has no "${CONSUMER_HEADING}" section`);
  const end = doc.indexOf('\n## ', start + 1);
  return doc.slice(start, end < 0 ? undefined : end);
}

/** The fenced block of `language` right after the line `label` (e.g. "`tsconfig.json`:"). */
function blockAfter(section: string, label: string, language: string): string {
  const match = new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n\\n\`\`\`${language}\\n([\\s\\S]*?)\`\`\`$`, 'm').exec(section);
  if (!match) throw new Error(`${CONSUMER_DOC}: no \`\`\`${language} block after "${label}"`);
  return match[1];
}

const CONSUMER = consumerSection();
const CONSUMER_TSCONFIG = blockAfter(CONSUMER, '`tsconfig.json`:', 'json');
const CONSUMER_PROGRAM = blockAfter(CONSUMER, '`main.ts`:', 'ts');
/** The command line, without its comment. */
const RUN_COMMAND = blockAfter(CONSUMER, 'Compile and run it:', 'sh').split('#')[0].trim();

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
  fs.writeFileSync(path.join(consumer, 'tsconfig.json'), CONSUMER_TSCONFIG);
  return consumer;
}

describe('the packed library', () => {
  let dir: string;
  let installed: string;
  let written: string[];
  let manifests: Array<Record<string, any>>;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pack-test-'));
    const consumer = createConsumer(dir, packInto(dir));
    installed = path.join(consumer, 'node_modules', PACKAGE_NAME);
    // The page's command, as a user's shell runs it; npx finds the tsc linked into the project.
    run('sh', ['-c', RUN_COMMAND], consumer);
    const out = path.join(consumer, 'dist');
    written = fs.readdirSync(out).sort();
    manifests = written.filter((file) => file.endsWith('.yaml'))
      .flatMap((file) => parseAllDocuments(fs.readFileSync(path.join(out, file), 'utf8')).map((doc) => ({ ...doc.toJS(), file })));
  }, 300_000);

  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('ships only the compiled library', () => {
    const files = listFiles(installed);
    expect(files).toContain('package.json');
    expect(files).toContain('LICENSE');
    expect(files).toContain('bin/habr-k8s.js');
    expect(files).toContain('build/lib/index.js');
    expect(files).toContain('build/lib/index.d.ts');
    expect(files).toContain('build/lib/manifest/api/k8s-1.27.json');
    expect(files).toContain('build/lib/validation/schema/gateway-api.json');
    expect(files).toContain('build/imports/httproute-gateway.networking.k8s.io.js');
    expect(files.filter((file) => !/^build\/(lib|imports)\/.*\.(js|d\.ts)$/.test(file)
      && !/^build\/lib\/(manifest\/api\/k8s-[\d.]+|validation\/schema\/gateway-api)\.json$/.test(file)
      && !/^(package\.json|README[^/]*|LICENSE[^/]*|bin\/habr-k8s\.js)$/.test(file))).toEqual([]);
  });

  test('builds an HTTPRoute through the imports/ classes it ships, and validates it', () => {
    const script = `
      const { App, Chart } = require('cdk8s');
      const { HttpRoute, renderApp, WebApp } = require('${PACKAGE_NAME}');
      const app = new App();
      const chart = new Chart(app, 'shop', { disableResourceNameHashes: true });
      const api = new WebApp(chart, 'Api', { name: 'api', image: 'shop/api:1.2.3', port: 8080 });
      new HttpRoute(chart, 'ApiRoute', { name: 'api', gateways: [{ name: 'public' }], backends: [{ service: api.service, port: api.servicePort, weight: 100 }] });
      const rendered = renderApp(app);
      process.stdout.write(JSON.stringify({ findings: rendered.report.findings, yaml: rendered.files.map((file) => file.content).join('---\\n') }));
    `;
    const { findings, yaml } = JSON.parse(run(process.execPath, ['-e', script], path.dirname(path.dirname(installed))));
    expect(findings).toEqual([]);
    const route = parseAllDocuments(yaml).map((doc) => doc.toJS()).find((m) => m.kind === 'HTTPRoute');
    expect(route?.spec.rules[0].backendRefs).toEqual([{ name: 'api-service', port: 8080, weight: 100 }]);
  });

  test('docs/constructs.md gives the tsconfig, the program and the command the test runs', () => {
    expect(JSON.parse(CONSUMER_TSCONFIG).files).toEqual(['main.ts']);
    expect(CONSUMER_PROGRAM).toContain(`from '${PACKAGE_NAME}'`);
    expect(RUN_COMMAND).toBe('npx tsc && node out/main.js');
  });

  test('the docs/constructs.md example compiles, runs and writes the apply-ordered YAML it says', () => {
    expect(written).toEqual(['.habr-k8s-written', '00-platform.yaml', '01-shop.yaml']);
    const namespace = manifests.find((m) => m.kind === 'Namespace');
    expect(namespace?.file).toBe('00-platform.yaml');
    expect(namespace?.metadata.name).toBe('shop');
    expect(namespace?.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    const shop = manifests.filter((m) => m.file === '01-shop.yaml');
    expect(shop.every((m) => m.metadata.namespace === 'shop')).toBe(true);
    const deployment = shop.find((m) => m.kind === 'Deployment');
    expect(deployment?.metadata.name).toBe('api-deployment');
    // The HpaPolicy took the replicas over.
    expect(deployment?.spec.replicas).toBeUndefined();
    expect(deployment?.spec.template.spec.containers[0].image).toBe('registry.example.com/api:2.3.1');
    const hpa = shop.find((m) => m.kind === 'HorizontalPodAutoscaler');
    expect(hpa?.spec).toMatchObject({ minReplicas: 3, maxReplicas: 12, scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api-deployment' } });
    const ingress = shop.find((m) => m.kind === 'Ingress');
    expect(ingress?.spec.rules[0].host).toBe('api.example.com');
    expect(ingress?.spec.tls).toEqual([{ hosts: ['api.example.com'], secretName: 'api-tls' }]);
    expect(shop.find((m) => m.kind === 'PodDisruptionBudget')?.spec.maxUnavailable).toBe(1);
    const mongoPolicy = shop.find((m) => m.kind === 'NetworkPolicy' && m.metadata.name === 'mongodb-network-policy');
    expect(mongoPolicy?.spec.ingress[0].from).toEqual([{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'api' } } }]);
  });

  test("the README's quick start: npx habr-k8s synth on the example prints what the README shows", () => {
    const shop = path.join(path.dirname(path.dirname(installed)), 'shop');
    fs.mkdirSync(shop);
    for (const file of ['main.ts', 'cdk8s.yaml']) fs.copyFileSync(path.join(ROOT, 'examples', 'shop', file), path.join(shop, file));
    expect(run('npx', ['--no-install', 'habr-k8s', 'synth'], shop)).toBe(markedBlocks(README, 'output').get('synth'));
    expect(fs.readdirSync(path.join(shop, 'dist')).sort()).toEqual(['.habr-k8s-written', '00-shop.yaml']);
  });
});

function listFiles(dir: string, prefix = ''): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    return entry.isDirectory() ? listFiles(path.join(dir, entry.name), relative) : [relative];
  });
}
