/**
 * `habr-k8s synth` and `habr-k8s diff` on a cdk8s project in a temporary folder: an entry that ends
 * with `app.synth()`, run by the bin (a process: the entry must meet the real cdk8s module, not
 * jest's copy of it).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const REPO = path.resolve(__dirname, '../..');
const BIN = path.join(REPO, 'bin/habr-k8s.js');
const LIB = JSON.stringify(path.join(REPO, 'lib'));

/** A cdk8s entry: one WebApp whose props and extra lines the test chooses. */
function entry(webAppProps: string, extra = ''): string {
  return [
    "import { App, Chart } from 'cdk8s';",
    `import { declareExternalObject, WebApp } from ${LIB};`,
    'const app = new App();',
    "const chart = new Chart(app, 'web', { namespace: 'shop', disableResourceNameHashes: true });",
    `new WebApp(chart, 'Web', { name: 'web', image: 'nginx:1.27', port: 8080, ${webAppProps} });`,
    extra,
    'app.synth();',
    '',
  ].join('\n');
}

const made: string[] = [];
afterAll(() => made.forEach((folder) => fs.rmSync(folder, { recursive: true, force: true })));

function temporaryFolder(prefix: string): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(folder);
  return folder;
}

function project(main: string, config = 'app: npx ts-node main.ts\noutput: out\n'): string {
  const root = temporaryFolder('habr-synth-');
  fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(root, 'node_modules'));
  fs.writeFileSync(path.join(root, 'cdk8s.yaml'), config);
  fs.writeFileSync(path.join(root, 'main.ts'), main);
  return root;
}

function habr(cwd: string, ...args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], {
    cwd, encoding: 'utf8', env: { ...process.env, npm_lifecycle_event: '', INIT_CWD: '', DEBUG: '', STAGE: '', CDK8S_OUTDIR: '' },
  });
}

/** Declares the namespace created elsewhere: without it, validation warns that no Namespace object creates it. */
const CLEAN = "declareExternalObject(app, { kind: 'Namespace', name: 'shop' });";

const list = (folder: string) => (fs.existsSync(folder) ? fs.readdirSync(folder).sort() : []);

describe('habr-k8s synth', () => {
  test('runs the entry cdk8s.yaml names, validates it and writes the output folder of cdk8s.yaml', () => {
    const root = project(entry('replicas: 2', CLEAN));
    const synth = habr(root, 'synth');
    expect(synth).toMatchObject({ status: 0, stderr: '' });
    expect(synth.stdout).toBe('out/00-web.yaml  3 objects\nout: 3 objects in 1 files, 0 warnings\n');
    expect(list(path.join(root, 'out'))).toEqual(['.habr-k8s-written', '00-web.yaml']);
    expect(fs.readFileSync(path.join(root, 'out/00-web.yaml'), 'utf8')).toMatch(/^# habr-k8s output: [^\n]*`npx habr-k8s validate <this folder>`/);
    expect(habr(root, 'synth').stdout).toBe('out/00-web.yaml  3 objects\nout: 3 objects in 1 files, 0 warnings (unchanged)\n');
    expect(habr(root, 'validate', 'out')).toMatchObject({ status: 0, stdout: '3 objects checked, 0 errors, 0 warnings\n' });
  });

  test('--output, --stage and --app: the entry gets CDK8S_OUTDIR and STAGE; paths are relative to the folder started in; warnings are printed once', () => {
    const root = project(entry('replicas: process.env.STAGE === \'prod\' ? 3 : 1'));
    fs.mkdirSync(path.join(root, 'sub'));
    const synth = habr(path.join(root, 'sub'), 'synth', '--stage', 'prod', '--output=../prod-out', '--app', '../main.ts');
    expect(synth).toMatchObject({ status: 0, stderr: '' });
    const lines = synth.stdout.split('\n');
    expect(lines[0]).toBe('../prod-out/00-web.yaml  3 objects');
    expect(lines.filter((line) => line.includes('namespace shop (used by 3 object(s)) is not created by any Namespace object'))).toEqual([
      expect.stringMatching(/^ {2}warning Deployment shop\/web-deployment metadata.namespace: /),
    ]);
    expect(lines.slice(-3)).toEqual(['3 objects checked, 0 errors, 1 warnings', '../prod-out: 3 objects in 1 files, 1 warnings', '']);
    expect(fs.readFileSync(path.join(root, 'prod-out/00-web.yaml'), 'utf8')).toContain('replicas: 3');
    expect(list(path.join(root, 'out'))).toEqual([]);
  });

  test('bad props are one line each, once, without a stack trace, and nothing is written', () => {
    const root = project(entry("replicas: -1, serviceName: 'Not_A_Name'"));
    const synth = habr(root, 'synth');
    expect(synth.status).toBe(1);
    expect(synth.stdout).toBe('');
    expect(synth.stderr.split('\n')).toEqual([
      expect.stringMatching(/^habr-k8s synth: web\/Web: invalid replicas -1: /),
      expect.stringMatching(/^habr-k8s synth: web\/Web: invalid serviceName "Not_A_Name": /),
      '',
    ]);
    expect(list(path.join(root, 'out'))).toEqual([]);
  });

  test('a validation error is reported once, one line per finding, and nothing is written', () => {
    const root = project(entry("secretMounts: [{ secretName: 'db', mountPath: '/etc/db' }]", CLEAN));
    const synth = habr(root, 'synth');
    expect(synth.status).toBe(1);
    expect(synth.stderr.match(/Secret db/g)).toHaveLength(1);
    expect(synth.stderr).toMatch(/declareExternalObject\(\) in the app, or --external Secret\/db when validating a folder/);
    expect(synth.stderr).toMatch(/^00-web.yaml\n {2}error {3}Deployment shop\/web-deployment spec.template.spec.volumes\[3\].secret.secretName: [^\n]*\n\n3 objects checked, 1 errors, 0 warnings\nnothing written to out\n$/);
    expect(list(path.join(root, 'out'))).toEqual([]);
  });

  test('an entry that never calls app.synth(), a missing cdk8s.yaml and an unknown option are one line each', () => {
    const root = project(entry('').replace('app.synth();', ''));
    expect(habr(root, 'synth')).toMatchObject({ status: 1, stderr: 'habr-k8s synth: main.ts built no App that called app.synth(); end the entry with app.synth()\n' });
    const empty = temporaryFolder('habr-empty-');
    expect(habr(empty, 'synth')).toMatchObject({
      status: 2, stderr: 'habr-k8s synth: no cdk8s.yaml in this folder or above; run in the project\'s folder, or give the entry with --app main.ts\nsee habr-k8s synth --help\n',
    });
    expect(habr(root, 'synth', '--stage')).toMatchObject({ status: 2, stderr: 'habr-k8s synth: --stage needs a value\nsee habr-k8s synth --help\n' });
    expect(habr(root, 'synth', 'extra')).toMatchObject({ status: 2, stderr: 'habr-k8s synth: unexpected argument extra\nsee habr-k8s synth --help\n' });
  });

  test.each([
    ['', 'the project folder', (root: string) => `(${root}) is the project folder`],
    ['.', 'the project folder', (root: string) => `(${root}) is the project folder`],
    ['..', 'its parent', (root: string) => `(${path.dirname(root)}) contains the project folder ${root}`],
  ])('an App outdir of "%s" (%s) is refused in one line naming the fix, and nothing is touched', (outdir, _what, problem) => {
    const root = project(entry('replicas: 2', CLEAN).replace('new App()', `new App({ outdir: ${JSON.stringify(outdir)} })`));
    const before = list(root);
    const synth = habr(root, 'synth');
    expect(synth).toMatchObject({
      status: 1,
      stdout: '',
      stderr: `habr-k8s synth: the App's outdir ${JSON.stringify(outdir)} ${problem(root)}, which synth would replace as a whole: `
        + "give the App a folder of its own, e.g. new App({ outdir: 'dist' }), or no outdir to use --output or the output of cdk8s.yaml\n",
    });
    expect(list(root)).toEqual(before);
  });

  test('--output naming the project folder is refused the same way', () => {
    const root = project(entry('replicas: 2', CLEAN));
    const synth = habr(root, 'synth', '--output', '.');
    expect(synth).toMatchObject({ status: 1, stdout: '' });
    expect(synth.stderr).toBe(`habr-k8s synth: the App's outdir "." (${root}) is the project folder, which synth would replace as a whole: `
      + "give the App a folder of its own, e.g. new App({ outdir: 'dist' }), or no outdir to use --output or the output of cdk8s.yaml\n");
    expect(list(root)).toEqual(['cdk8s.yaml', 'main.ts', 'node_modules']);
  });

  test('an entry esbuild cannot read: each syntax error one line naming file, line and column', () => {
    const root = project(entry('replicas: 2').replace("const app = new App();", "const app = new App(;\nconst = 1;"));
    const synth = habr(root, 'synth');
    expect(synth.status).toBe(1);
    expect(synth.stderr).toMatch(/^habr-k8s synth: main\.ts:3:20: Unexpected ";"\n$/);
  });

  test('the cdk8s CLI runs the same project unchanged and writes plain cdk8s output; habr-k8s synth reads the same cdk8s.yaml', () => {
    const root = project(entry('replicas: 2', CLEAN), `app: node ${path.join(REPO, 'scripts/run.js')} main.ts\noutput: out\n`);
    const cdk8s = spawnSync(process.execPath, [path.join(REPO, 'node_modules/cdk8s-cli/bin/cdk8s'), 'synth', '--no-check-upgrade'], {
      cwd: root, encoding: 'utf8', env: { ...process.env, CDK8S_OUTDIR: '', STAGE: '' },
    });
    expect(cdk8s).toMatchObject({ status: 0, stdout: 'Synthesizing application\n  - out/web.k8s.yaml\n' });
    expect(list(path.join(root, 'out'))).toEqual(['web.k8s.yaml']);
    expect(fs.readFileSync(path.join(root, 'out/web.k8s.yaml'), 'utf8')).not.toContain('# habr-k8s output');
    fs.rmSync(path.join(root, 'out'), { recursive: true });
    expect(habr(root, 'synth')).toMatchObject({ status: 0, stdout: 'out/00-web.yaml  3 objects\nout: 3 objects in 1 files, 0 warnings\n' });
  });
});

describe('habr-k8s diff', () => {
  test('without folders: what a fresh synth would change in the output folder; writes nothing', () => {
    const root = project(entry('replicas: 2', CLEAN));
    expect(habr(root, 'synth').status).toBe(0);
    const written = fs.readFileSync(path.join(root, 'out/00-web.yaml'), 'utf8');
    fs.writeFileSync(path.join(root, 'main.ts'), entry('replicas: 3', CLEAN));
    const diff = habr(root, 'diff');
    expect(diff).toMatchObject({ status: 0, stderr: '' });
    expect(diff.stdout).toBe('out/ (written) → fresh synth of main.ts\n~ Deployment shop/web-deployment\n    spec.replicas: 2 → 3\n0 added, 0 removed, 1 changed, 2 unchanged\n');
    expect(fs.readFileSync(path.join(root, 'out/00-web.yaml'), 'utf8')).toBe(written);
  });
});
