/**
 * `habr-k8s import compose`: arguments and exit codes through the dispatcher, paths relative to
 * the folder it is started in, and an app imported outside this repository, which imports the
 * package `habr-k8s`, type-checks and is synthesized by the bin.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { IMPORT_COMPOSE_HELP } from '../../lib/cli/import-compose';
import { outsideProject, runBin, typeCheck } from '../outside-project';
import { runCli } from './run-cli';

const REPO = path.resolve(__dirname, '../..');
const SHOP = path.join(REPO, 'test/fixtures/compose/shop/docker-compose.yml');
const SHOP_WARNINGS = 8;

let cwd: string;
beforeEach(() => {
  cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'import-compose-'));
  fs.copyFileSync(SHOP, path.join(cwd, 'docker-compose.yml'));
});
afterEach(() => fs.rmSync(cwd, { recursive: true, force: true }));

const importCompose = (...args: string[]) => runCli(['import', 'compose', ...args], { cwd });

test.each([
  [[], 'missing the compose file'],
  [['a.yml', 'b.yml', '--out', 'shop'], 'one compose file, not 2: a.yml, b.yml'],
  [['docker-compose.yml'], 'missing --out DIR, the app\'s folder'],
  [['docker-compose.yml', '--out'], '--out needs a value'],
  [['docker-compose.yml', '--out', 'a', '--out=b'], '--out given twice'],
  [['docker-compose.yml', '--out', 'shop', '--namespace', '--force'], '--namespace needs a value'],
  [['docker-compose.yml', '--out', 'shop', '--replace'], 'unexpected argument --replace'],
])('%j: a usage error, exit 2, nothing written', async (args, message) => {
  expect(await importCompose(...args)).toEqual({
    exitCode: 2, stdout: '', stderr: `habr-k8s import compose: ${message}\nsee habr-k8s import compose --help\n`,
  });
  expect(fs.readdirSync(cwd)).toEqual(['docker-compose.yml']);
});

test('--help prints the usage', async () => {
  expect(await importCompose('--help')).toEqual({ exitCode: 0, stdout: `${IMPORT_COMPOSE_HELP}\n`, stderr: '' });
});

test('a file that cannot be read or imported is one line, exit 1, relative as given; nothing is written', async () => {
  expect(await importCompose('missing.yml', '--out', 'shop')).toEqual({
    exitCode: 1, stdout: '', stderr: 'habr-k8s import compose: missing.yml: cannot be read (ENOENT)\n',
  });
  fs.writeFileSync(path.join(cwd, 'bad.yml'), 'services: {}');
  expect(await importCompose('bad.yml', '--out', 'shop')).toEqual({
    exitCode: 1, stdout: '', stderr: 'habr-k8s import compose: bad.yml: services: must define at least one service\n',
  });
  expect(fs.readdirSync(cwd).sort()).toEqual(['bad.yml', 'docker-compose.yml']);
});

test('writes into --out relative to the current folder, prints the files, the warnings and the synth command', async () => {
  const run = await importCompose('docker-compose.yml', '--out', 'apps/shop', '--namespace', 'store');
  expect(run.exitCode).toBe(0);
  expect(run.stdout.split('\n')).toEqual([
    path.join('apps/shop', 'stages.ts'),
    path.join('apps/shop', 'stack.ts'),
    path.join('apps/shop', 'main.ts'),
    `imported docker-compose.yml into ${path.join('apps', 'shop')}: 3 files, ${SHOP_WARNINGS} warnings; `
      + `synthesize with: npx habr-k8s synth --app ${path.join('apps/shop', 'main.ts')}`,
    '',
  ]);
  expect(run.stderr.split('\n').filter(Boolean)).toHaveLength(SHOP_WARNINGS);
  expect(run.stderr).toMatch(/^warning: db: image: MongoStatefulSet enables authentication/);
  const stages = fs.readFileSync(path.join(cwd, 'apps/shop/stages.ts'), 'utf8');
  expect(stages).toContain("namespace: 'store',");
  // Without `name:`, compose names the project after the compose file's folder: the current folder here.
  expect(stages).toContain(`api: '${path.basename(cwd).toLowerCase().replace(/[^a-z0-9_-]/g, '')}-api',`);
});

test('an existing folder is refused (exit 1) and kept; --force replaces its files', async () => {
  fs.mkdirSync(path.join(cwd, 'shop'));
  fs.writeFileSync(path.join(cwd, 'shop/stack.ts'), '// mine');
  expect(await importCompose('docker-compose.yml', '--out', 'shop')).toMatchObject({
    exitCode: 1, stderr: expect.stringMatching(/^habr-k8s import compose: shop exists: the importer never overwrites an app you own \(pass --force to replace its files\)\n$/),
  });
  expect(fs.readFileSync(path.join(cwd, 'shop/stack.ts'), 'utf8')).toBe('// mine');
  expect((await importCompose('docker-compose.yml', '--out', 'shop', '--force')).exitCode).toBe(0);
  expect(fs.readFileSync(path.join(cwd, 'shop/stack.ts'), 'utf8')).toContain('export class ShopStack');
});

describe('an app imported outside this repository', () => {
  const project = outsideProject('compose-outside-');
  afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

  test('imports habr-k8s, type-checks, and habr-k8s synth validates and writes it with no error (three warnings: its build-only images are unpinned)', async () => {
    const run = await runCli(['import', 'compose', SHOP, '--out', 'shop'], { cwd: project });
    expect(run.exitCode).toBe(0);
    const stack = fs.readFileSync(path.join(project, 'shop/stack.ts'), 'utf8');
    expect(stack).toContain("import { declareExternalObject, MongoStatefulSet, RedisStatefulSet, RestrictedNamespace, WebApp } from 'habr-k8s';");
    expect(fs.readFileSync(path.join(project, 'shop/main.ts'), 'utf8')).toMatch(/\napp\.synth\(\);\n$/);
    expect(typeCheck(project)).toEqual({ output: '', status: 0 });

    const synth = runBin(project, ['synth', '--app', 'shop/main.ts', '--stage', 'dev']);
    expect(synth.stderr).toBe('');
    expect(synth.status).toBe(0);
    expect(synth.stdout.trim().split('\n').pop()).toBe(`${path.join('dist-shop', 'dev')}: 17 objects in 6 files, 3 warnings`);
    expect(fs.readdirSync(path.join(project, 'dist-shop/dev')).filter((f) => f.endsWith('.yaml'))).toHaveLength(6);
  }, 120_000);
});
