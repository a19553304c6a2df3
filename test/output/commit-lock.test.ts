/** One writer at a time: two writers of different outputs into one folder, a writer that gives up, a stale lock. */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { formatWrittenRecord, WRITTEN_RECORD } from '../../lib/output/written-record';
import { drive, driveInBackground, readTree, startHolding, Tree, writePlan } from './commit-helpers';

function newRoot(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'commit-lock-'));
}

function planFor(root: string, manifests: Tree, extra: { holdUntil?: string; timeoutMs?: number } = {}): string {
  const files = Object.entries(manifests).map(([file, content]) => ({ file, content }));
  return writePlan({ commit: { folder: path.join(root, 'dist'), files }, workDir: path.join(root, '.habr-k8s'), ...extra });
}

const FIRST: Tree = { '00-a.yaml': 'kind: A\nwriter: first\n', '01-b.yaml': 'kind: B\nwriter: first\n' };
const SECOND: Tree = { '00-a.yaml': 'kind: A\nwriter: second\n', '02-c.yaml': 'kind: C\nwriter: second\n' };

test('a second writer waits for the first and then writes its whole output, never a mix', async () => {
  const root = newRoot();
  const release = path.join(root, 'release');
  const first = await startHolding(planFor(root, FIRST, { holdUntil: release }));
  const background = driveInBackground([planFor(root, SECOND)]);
  await background.stderrLine(`waiting for pid ${first.pid}`);
  fs.writeFileSync(release, '');
  expect(await first.exited).toBe(0);
  const second = await background.finished;

  expect(second.stderr).toBe(`waiting for pid ${first.pid}\n`);
  expect(second.status).toBe(0);
  expect(readTree(path.join(root, 'dist'))).toEqual({ ...SECOND, [WRITTEN_RECORD]: formatWrittenRecord(Object.keys(SECOND)) });
  expect(fs.readdirSync(root).sort()).toEqual(['dist', 'held.txt', 'release']);
});

test('a writer that waited too long refuses with one line naming the other process', async () => {
  const root = newRoot();
  const release = path.join(root, 'release');
  const first = await startHolding(planFor(root, FIRST, { holdUntil: release }));
  const second = drive([planFor(root, SECOND, { timeoutMs: 200 })]);
  fs.writeFileSync(release, '');
  expect(await first.exited).toBe(0);

  expect(second.status).toBe(1);
  expect(second.stderr.split('\n')).toEqual([
    `waiting for pid ${first.pid}`,
    `driver: another synth (pid ${first.pid}) has been writing for over 0.2 s; run again when it has finished, `
      + `or delete ${path.join(root, '.habr-k8s', 'lock')} if process ${first.pid} is not a synth`,
    '',
  ]);
  expect(readTree(path.join(root, 'dist'))).toEqual({ ...FIRST, [WRITTEN_RECORD]: formatWrittenRecord(Object.keys(FIRST)) });
});

test('a lock left by a killed process is taken over, and nothing of it is left', () => {
  const root = newRoot();
  const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
  fs.mkdirSync(path.join(root, '.habr-k8s'));
  fs.writeFileSync(path.join(root, '.habr-k8s', 'lock'), dead.stdout);
  fs.writeFileSync(path.join(root, '.habr-k8s', `lock.${dead.stdout.trim()}.tmp`), dead.stdout);

  const run = drive([planFor(root, FIRST)]);

  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  expect(fs.readdirSync(root)).toEqual(['dist']);
});
