/**
 * `npm run synth` (`habr-k8s synth`) itself, over a temporary copy of the project: from a subfolder,
 * killed at chosen steps of its commit, and with the mistakes a user makes.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readTree } from '../output/commit-helpers';

const REPO = path.resolve(__dirname, '../..');
const COPIED = ['apps', 'bin', 'lib', 'imports', 'scripts', 'dist', 'docs', 'cdk8s.yaml', 'package.json'];
const configMap = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;

function copyProject(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'habr-main-'));
  for (const entry of COPIED) fs.cpSync(path.join(REPO, entry), path.join(root, entry), { recursive: true });
  fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(root, 'node_modules'));
  return root;
}

/** `habr-k8s <args>` with the copy's bin. */
function run(root: string, args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  return spawnSync(process.execPath, [path.join(root, 'bin/habr-k8s.js'), ...args], {
    cwd: options.cwd ?? root,
    encoding: 'utf8',
    // Not started by npm (as `npm test` is): the bin's folder is its working folder.
    env: { ...process.env, STAGE: 'dev', HABR_SYNTH_CRASH_AT: '', DEBUG: '', npm_lifecycle_event: '', INIT_CWD: '', ...options.env },
  });
}

/** The dev stage's whole output: manifests and diagram. */
function outputOf(root: string) {
  return {
    dist: readTree(path.join(root, 'dist')),
    diagram: fs.readFileSync(path.join(root, 'docs/architecture.md'), 'utf8'),
  };
}

/** Makes the copy's output one an earlier synth wrote: other manifests and diagram, plus a user's file. */
function makeOutputOld(root: string): void {
  const backend = path.join(root, 'dist/04-backend.yaml');
  fs.writeFileSync(backend, fs.readFileSync(backend, 'utf8').replace('replicas: 2', 'replicas: 7'));
  fs.writeFileSync(path.join(root, 'dist/07-gone.yaml'), configMap('gone'));
  fs.appendFileSync(path.join(root, 'dist/.habr-k8s-written'), '07-gone.yaml\n');
  fs.writeFileSync(path.join(root, 'dist/my-extra.yaml'), configMap('mine'));
  fs.writeFileSync(path.join(root, 'docs/architecture.md'), '# old diagram\n');
}

describe('npm run synth over a copy of the project', () => {
  const root = copyProject();
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
  const committed = outputOf(REPO);
  const expected = { ...committed, dist: readTree(path.join(REPO, 'dist')) };
  expected.dist!['my-extra.yaml'] = configMap('mine');

  test('started in a subfolder, writes into the project (the folder of cdk8s.yaml) and names paths from the subfolder', () => {
    makeOutputOld(root);
    const synth = run(root, ['synth'], { cwd: path.join(root, 'apps') });
    expect(synth.stderr).toBe('');
    expect(synth.status).toBe(0);
    expect(synth.stdout).toContain('../dist/04-backend.yaml  4 objects\n');
    expect(synth.stdout).toContain('../dist/my-extra.yaml  kept: not written by synth, yet kubectl apply -f ../dist reads it\n');
    // The five warnings: the dev images are built in minikube as `:latest` (image-pinning).
    expect(synth.stdout).toMatch(/\n\.\.\/dist: 24 objects in 7 files, 4 warnings\n$/);
    expect(outputOf(root)).toEqual(expected);
    expect(fs.readdirSync(path.join(root, 'apps'))).toEqual(fs.readdirSync(path.join(REPO, 'apps')));
  });

  test('under npm, a path is relative to the folder npm was started in (INIT_CWD)', () => {
    const validate = run(root, ['validate', '../dist', '--external', 'Secret/mongodb-secret'], { env: { npm_lifecycle_event: 'validate', INIT_CWD: path.join(root, 'apps') } });
    expect(validate.status).toBe(0);
    expect(validate.stdout).toContain('validate it by itself: npx habr-k8s validate ../dist/prod\n');
  });

  // Crash points of this commit: 1–2 lock, 3–15 staging, 16 journal (in place from 17: the commit
  // point), 17–18 folder swap (dist/ absent at 18), 19 diagram, 20–21 clean-up.
  test.each([6, 16, 18, 19])('killed at step %i, it is finished or undone by the next command (validate)', (step) => {
    makeOutputOld(root);
    const old = outputOf(root);
    expect(run(root, ['synth'], { env: { HABR_SYNTH_CRASH_AT: String(step) } }).signal).toBe('SIGKILL');
    const validate = run(root, ['validate', 'dist', '--external', 'Secret/mongodb-secret']);
    expect(validate.stdout).toMatch(/^2\d objects checked, 0 errors, 4 warnings$/m);
    expect(outputOf(root)).toEqual(step <= 16 ? old : expected);
    expect(fs.existsSync(path.join(root, '.habr-k8s'))).toBe(false);
  });

  test.each([
    ['an unknown stage', { STAGE: 'qa' }, 'habr-k8s synth: unknown stage "qa": set STAGE (habr-k8s synth --stage NAME) to one of dev, prod\nsee habr-k8s synth --help', 2],
  ])('%s is one line and exit code 2', (_what, env, message, code) => {
    const synth = run(root, ['synth'], { env });
    expect({ status: synth.status, stderr: synth.stderr }).toEqual({ status: code, stderr: `${message}\n` });
  });

  test('dist being a file is one line naming it, and nothing is written', () => {
    fs.rmSync(path.join(root, 'dist'), { recursive: true });
    fs.writeFileSync(path.join(root, 'dist'), 'not a folder\n');
    const before = fs.readFileSync(path.join(root, 'docs/architecture.md'), 'utf8');
    const synth = run(root, ['synth']);
    expect({ status: synth.status, stderr: synth.stderr }).toEqual({
      status: 1, stderr: 'habr-k8s synth: dist is a file, not a folder; move it away so synth can write the manifests there\n',
    });
    expect(fs.readFileSync(path.join(root, 'docs/architecture.md'), 'utf8')).toBe(before);
    const debug = run(root, ['synth'], { env: { DEBUG: '1' } });
    expect(debug.stderr).toMatch(/^habr-k8s synth: dist is a file[^\n]*\nUserError: [^\n]*\n\s+at existingEntries \([^)]*lib\/output\/stage-folder\.ts:\d+/);
  });
});
