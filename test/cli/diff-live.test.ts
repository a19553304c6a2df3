import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DIFF_COMMAND } from '../../lib/cli/diff';
import { runCli } from './run-cli';
import { writeLoadHook } from './load-hook';

const ROOT = path.resolve(__dirname, '../..');

describe('habr-k8s diff --live: the command line', () => {
  test('the help shows --live with the stage and connection options and the exit codes', () => {
    expect(DIFF_COMMAND.help).toContain('habr-k8s diff --live [FOLDER] [--stage NAME] [--kubeconfig FILE] [--context NAME] [--namespace NS]');
    expect(DIFF_COMMAND.help).toMatch(/^ {2}--kubeconfig FILE {4}the kubeconfig/m);
    expect(DIFF_COMMAND.help).toContain('1 when the server refuses an object');
  });

  test('unknown options, extra folders, a bad stage and a missing value are usage errors (exit code 2), before any cluster is asked', async () => {
    const cases: Array<[string[], string]> = [
      [['diff', '--live', '--app', 'main.ts'], 'habr-k8s diff: unknown option --app'],
      [['diff', '--live', 'dist', 'dist/prod'], 'habr-k8s diff: unexpected argument dist/prod'],
      [['diff', '--live', '--stage', 'Prod!'], 'habr-k8s diff: --stage Prod!: a stage is lower-case letters, digits and dashes'],
      [['diff', '--live', '--context'], 'habr-k8s diff: --context needs a value'],
    ];
    for (const [args, message] of cases) {
      const run = await runCli(args, { cwd: ROOT });
      expect({ args, exitCode: run.exitCode, stderr: run.stderr.trim() }).toEqual({ args, exitCode: 2, stderr: `${message}\nsee habr-k8s diff --help` });
    }
  });

  test('the stage chooses the folder: a stage never synthesized is refused, naming its folder', async () => {
    const run = await runCli(['diff', '--live', '--stage', 'staging'], { cwd: ROOT });
    expect(run.exitCode).toBe(1);
    expect(run.stderr.trim()).toBe(`habr-k8s diff: ${path.join('dist', 'staging')}: no such folder; synthesize the stage first`);
  });

  test('the Kubernetes client is loaded for --live only; a cluster that cannot be reached is exit code 1, named in one line', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'habr-k8s-diff-live-'));
    try {
      const hook = writeLoadHook(dir, /^@kubernetes\/client-node/);
      // Port 1 on the loopback: nothing listens there, the connection is refused at once.
      const kubeconfig = path.join(dir, 'kubeconfig');
      fs.writeFileSync(kubeconfig, JSON.stringify({
        apiVersion: 'v1', kind: 'Config', 'current-context': 'nowhere',
        clusters: [{ name: 'nowhere', cluster: { server: 'https://127.0.0.1:1', 'insecure-skip-tls-verify': true } }],
        users: [{ name: 'someone', user: { token: 'unused' } }],
        contexts: [{ name: 'nowhere', context: { cluster: 'nowhere', user: 'someone' } }],
      }));
      const run = (args: string[]) => spawnSync(process.execPath, ['-r', hook, path.join(ROOT, 'bin/habr-k8s.js'), ...args], { cwd: ROOT, encoding: 'utf8' });
      const offline = run(['diff', 'dist', 'dist']);
      expect(offline.status).toBe(0);
      expect(offline.stdout).toMatch(/^0 added, 0 removed, 0 changed, \d+ unchanged$/m);
      expect(offline.stderr).toBe('');
      const live = run(['diff', '--live', '--kubeconfig', kubeconfig]);
      expect(live.status).toBe(1);
      expect(live.stderr).toMatch(/^loaded @kubernetes\/client-node\n/);
      expect(live.stderr).toMatch(/^habr-k8s diff: .*ECONNREFUSED 127\.0\.0\.1:1\n$/m);
      expect(live.stdout).toBe('');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
