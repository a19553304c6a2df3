/**
 * `npm run synth` itself, over a temporary copy of the project: from another working folder,
 * killed at chosen steps of its commit, and with the mistakes a user makes.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readTree } from '../output/commit-helpers';

const REPO = path.resolve(__dirname, '../..');
const COPIED = ['apps', 'lib', 'imports', 'scripts', 'README.md', 'dist', 'docs'];
const configMap = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;

function copyProject(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'habr-main-'));
  for (const entry of COPIED) fs.cpSync(path.join(REPO, entry), path.join(root, entry), { recursive: true });
  fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(root, 'node_modules'));
  return root;
}

function run(root: string, entry: string, options: { cwd?: string; env?: Record<string, string>; args?: string[] } = {}) {
  return spawnSync(process.execPath, [path.join(root, 'scripts/run.js'), path.join(root, entry), ...(options.args ?? [])], {
    cwd: options.cwd ?? root,
    encoding: 'utf8',
    env: { ...process.env, STAGE: 'dev', HABR_SYNTH_CRASH_AT: '', DEBUG: '', ...options.env },
  });
}

/** The dev stage's whole output: manifests, diagram, README. */
function outputOf(root: string) {
  return {
    dist: readTree(path.join(root, 'dist')),
    diagram: fs.readFileSync(path.join(root, 'docs/architecture.md'), 'utf8'),
    readme: fs.readFileSync(path.join(root, 'README.md'), 'utf8'),
  };
}

/** Makes the copy's output one an earlier synth wrote: other manifests, diagram and README section, plus a user's file. */
function makeOutputOld(root: string): void {
  const backend = path.join(root, 'dist/04-backend.yaml');
  fs.writeFileSync(backend, fs.readFileSync(backend, 'utf8').replace('replicas: 2', 'replicas: 7'));
  fs.writeFileSync(path.join(root, 'dist/07-gone.yaml'), configMap('gone'));
  fs.appendFileSync(path.join(root, 'dist/.habr-k8s-written'), '07-gone.yaml\n');
  fs.writeFileSync(path.join(root, 'dist/my-extra.yaml'), configMap('mine'));
  fs.writeFileSync(path.join(root, 'docs/architecture.md'), '# old diagram\n');
  const readme = path.join(root, 'README.md');
  fs.writeFileSync(readme, fs.readFileSync(readme, 'utf8').replace(/(<!-- architecture:start -->)[^]*(<!-- architecture:end -->)/, '$1\nold\n$2'));
}

describe('npm run synth over a copy of the project', () => {
  const root = copyProject();
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
  const committed = outputOf(REPO);
  const expected = { ...committed, dist: readTree(path.join(REPO, 'dist')) };
  expected.dist!['my-extra.yaml'] = configMap('mine');

  test('writes into the project, not into the folder it is started from', () => {
    makeOutputOld(root);
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'elsewhere-'));
    const synth = run(root, 'apps/habr/main.ts', { cwd: elsewhere });
    expect(synth.stderr).toBe('');
    expect(synth.status).toBe(0);
    expect(synth.stdout).toContain('dist/my-extra.yaml  kept: not written by synth, yet kubectl apply -f dist reads it\n');
    expect(outputOf(root)).toEqual(expected);
    expect(fs.readdirSync(elsewhere)).toEqual([]);
  });

  // Crash points of this commit: 1–2 lock, 3–15 staging, 16–17 journal (renamed into place at 17:
  // the commit point), 18–19 folder swap (dist/ absent at 19), 20–21 diagram and README, 22–23 clean-up.
  test.each([6, 17, 19, 21])('killed at step %i, it is finished or undone by the next command (validate)', (step) => {
    makeOutputOld(root);
    const old = outputOf(root);
    expect(run(root, 'apps/habr/main.ts', { env: { HABR_SYNTH_CRASH_AT: String(step) } }).signal).toBe('SIGKILL');
    const validate = run(root, 'scripts/validate.ts', { args: ['dist', '--external', 'Secret/mongodb-secret'] });
    expect(validate.stdout).toMatch(/^2\d objects checked, 0 errors, 0 warnings$/m);
    expect(outputOf(root)).toEqual(step <= 17 ? old : expected);
    expect(fs.existsSync(path.join(root, '.habr-k8s'))).toBe(false);
  });

  test.each([
    ['an unknown stage', { STAGE: 'qa' }, 'synth: unknown stage "qa": set STAGE to one of dev, prod', 2],
  ])('%s is one line and exit code 2', (_what, env, message, code) => {
    const synth = run(root, 'apps/habr/main.ts', { env });
    expect({ status: synth.status, stderr: synth.stderr }).toEqual({ status: code, stderr: `${message}\n` });
  });

  test('dist being a file is one line naming it, and nothing is written', () => {
    fs.rmSync(path.join(root, 'dist'), { recursive: true });
    fs.writeFileSync(path.join(root, 'dist'), 'not a folder\n');
    const before = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    const synth = run(root, 'apps/habr/main.ts');
    expect({ status: synth.status, stderr: synth.stderr }).toEqual({
      status: 1, stderr: 'synth: dist is a file, not a folder; move it away so synth can write the manifests there\n',
    });
    expect(fs.readFileSync(path.join(root, 'README.md'), 'utf8')).toBe(before);
    const debug = run(root, 'apps/habr/main.ts', { env: { DEBUG: '1' } });
    expect(debug.stderr).toMatch(/^synth: dist is a file[^\n]*\nUserError: [^\n]*\n\s+at existingEntries \([^)]*lib\/output\/stage-folder\.ts:\d+/);
  });
});
