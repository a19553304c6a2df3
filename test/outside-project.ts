/**
 * A project outside this repository that uses the library by its package name, `habr-k8s`, as a
 * user's project does: its node_modules links the peer packages of this repo, `habr-k8s` is this
 * repo's lib/ (no build needed), and its tsconfig maps the name to lib/ for the type check.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const REPO = path.resolve(__dirname, '..');
const LINKED = ['cdk8s', 'cdk8s-plus-27', 'constructs'];

/** A fresh project folder in the system's temporary folder, outside any checkout. */
export function outsideProject(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const modules = path.join(dir, 'node_modules');
  fs.mkdirSync(path.join(modules, 'habr-k8s'), { recursive: true });
  for (const name of LINKED) fs.symlinkSync(path.join(REPO, 'node_modules', name), path.join(modules, name), 'dir');
  fs.writeFileSync(path.join(modules, 'habr-k8s', 'package.json'), JSON.stringify({ name: 'habr-k8s', main: 'index.js' }));
  fs.writeFileSync(path.join(modules, 'habr-k8s', 'index.js'), `module.exports = require(${JSON.stringify(path.join(REPO, 'lib', 'index.ts'))});\n`);
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      target: 'ES2022', module: 'commonjs', moduleResolution: 'node', strict: true, esModuleInterop: true, resolveJsonModule: true,
      skipLibCheck: true, noEmit: true, types: ['node'], typeRoots: [path.join(REPO, 'node_modules', '@types')],
      baseUrl: '.', paths: { 'habr-k8s': [path.join(REPO, 'lib', 'index.ts')] },
    },
    include: ['**/*.ts'],
    exclude: ['node_modules'],
  }, null, 2));
  return dir;
}

/** `tsc --noEmit` in the project: its output (empty when the code type-checks) and exit status. */
export function typeCheck(dir: string): { output: string; status: number | null } {
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '--noEmit', '-p', dir], { cwd: dir, encoding: 'utf8' });
  return { output: tsc.stdout + tsc.stderr, status: tsc.status };
}

/** `habr-k8s <args>` run by this checkout's bin in a process, in `cwd`, with none of the variables the bin or an entry reads set. */
export function runBin(cwd: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [path.join(REPO, 'bin', 'habr-k8s.js'), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, npm_lifecycle_event: '', INIT_CWD: '', DEBUG: '', STAGE: '', CDK8S_OUTDIR: '', OUTDIR: '', ...env },
  });
}
