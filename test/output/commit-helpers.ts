import { spawn, spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { OutputCommit } from '../../lib/output/write';

const REPO = path.resolve(__dirname, '../..');
const DRIVER_ARGS = [path.join(REPO, 'scripts/run.js'), path.join(__dirname, 'fixtures/commit-driver.ts')];

/** Files by path relative to their folder. */
export type Tree = Record<string, string>;

/** Every file under `dir`, by relative path, sorted; undefined when `dir` is absent. */
export function readTree(dir: string): Tree | undefined {
  if (!fs.existsSync(dir)) return undefined;
  const files: [string, string][] = [];
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath ?? entry.path, entry.name);
    files.push([path.relative(dir, file), fs.readFileSync(file, 'utf8')]);
  }
  return Object.fromEntries(files.sort(([a], [b]) => a.localeCompare(b)));
}

/** Writes a plan for the commit driver (test/synth/fixtures/commit-driver.ts) and returns its path. */
export function writePlan(plan: { commit: OutputCommit; workDir: string; holdUntil?: string; timeoutMs?: number }): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'commit-plan-')), 'plan.json');
  fs.writeFileSync(file, JSON.stringify(plan));
  return file;
}

/** Runs the commit driver to its end; `crashAt` sets HABR_SYNTH_CRASH_AT. */
export function drive(args: readonly string[], crashAt?: number): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [...DRIVER_ARGS, ...args], {
    encoding: 'utf8',
    env: { ...process.env, HABR_SYNTH_CRASH_AT: crashAt === undefined ? '' : String(crashAt) },
  });
}

/** A driver run in the background: its exit status and stderr, and a promise of a line on its stderr. */
export interface BackgroundRun {
  readonly finished: Promise<{ status: number | null; stderr: string }>;
  stderrLine(line: string): Promise<void>;
}

/** Starts the commit driver without waiting for it, so that a test can act while it runs. */
export function driveInBackground(args: readonly string[]): BackgroundRun {
  const child = spawn(process.execPath, [...DRIVER_ARGS, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const waiters: { line: string; resolve: () => void }[] = [];
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    for (const waiter of waiters) if (stderr.split('\n').includes(waiter.line)) waiter.resolve();
  });
  const finished = new Promise<{ status: number | null; stderr: string }>((resolve) => child.on('close', (status) => resolve({ status, stderr })));
  return {
    finished,
    stderrLine: (line) => new Promise((resolve, reject) => {
      waiters.push({ line, resolve });
      finished.then(() => reject(new Error(`the driver exited without printing ${JSON.stringify(line)}: ${stderr}`)));
    }),
  };
}

/** Starts the commit driver with a plan that holds the lock; resolves once it holds it, with its pid and its exit. */
export function startHolding(plan: string): Promise<{ pid: number; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, [...DRIVER_ARGS, plan], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('holding the lock')) resolve({ pid: child.pid!, exited });
    });
    exited.then((code) => reject(new Error(`the holding writer exited (${code}) before it held the lock`)));
  });
}
