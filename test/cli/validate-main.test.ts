/**
 * lib/cli/validate-main.ts: the bin runs `habr-k8s validate` from an entry of its own, writing
 * straight to its file descriptors, and ends the process once the report is written; what it prints
 * and exits with is what the dispatcher of every command gives, to a pipe, however long the report,
 * and a reader that stops early ends it quietly.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { writePublicCorpus } from '../../bench/public-corpus';
import { runCli } from './run-cli';

const ROOT = path.resolve(__dirname, '../..');
const BIN = path.join(ROOT, 'bin/habr-k8s.js');
const { entryName } = require(BIN) as { entryName: (args: readonly string[]) => string };

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'validate-main-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const corpus = path.join(root, 'corpus');
writePublicCorpus(corpus, 2000);

describe('the bin entry of habr-k8s validate', () => {
  test.each([
    [['validate', 'dist'], 'validate-main'],
    [['validate'], 'validate-main'],
    [['synth'], 'main'],
    [['--help'], 'main'],
    [[], 'main'],
    [['validated'], 'main'],
  ])('%j runs lib/cli/%s', (args, entry) => {
    expect(entryName(args)).toBe(entry);
    expect(fs.existsSync(path.join(ROOT, 'lib/cli', `${entry}.ts`))).toBe(true);
  });

  it('prints to a pipe what the dispatcher of every command gives, in full, with its exit code', async () => {
    // A report longer than a pipe's buffer (64 KB): the process ends only once all of it is out.
    const expected = await runCli(['validate', corpus]);
    expect(expected.stdout.length).toBeGreaterThan(2 * 65536);
    const bin = spawnSync(process.execPath, [BIN, 'validate', corpus], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
    expect({ status: bin.status, stdout: bin.stdout, stderr: bin.stderr }).toEqual({ status: expected.exitCode, stdout: expected.stdout, stderr: expected.stderr });
  });

  it('ends quietly, exit code 0, when its reader stops early', () => {
    // head reads a little and leaves: the rest of the report meets a closed pipe (EPIPE).
    const piped = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${BIN}" validate "${corpus}" | head -c 100 >/dev/null`], { cwd: ROOT, encoding: 'utf8' });
    expect({ status: piped.status, stderr: piped.stderr }).toEqual({ status: 0, stderr: '' });
  });

  it('answers --help and a wrong option as the dispatcher does', async () => {
    for (const args of [['validate', '--help'], ['validate', '--kubernetes-version']]) {
      const expected = await runCli(args);
      const bin = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8' });
      expect({ status: bin.status, stdout: bin.stdout, stderr: bin.stderr }).toEqual({ status: expected.exitCode, stdout: expected.stdout, stderr: expected.stderr });
    }
  });
});
