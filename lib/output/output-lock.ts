import * as fs from 'fs';
import * as path from 'path';
import { UserError } from '../errors';
import { crashPoint } from './crash-point';
import { readIfPresent } from './durable-fs';

/** How long a writer waits for another one before it gives up. */
export interface LockOptions {
  /** @default 30000 */
  readonly timeoutMs?: number;
  /** Called once when the lock is held by another live process, before waiting for it. */
  readonly onWait?: (holderPid: number) => void;
}

const LOCK_FILE = 'lock';
const BREAK_GUARD = 'lock.break';
const POLL_MS = 25;
const TEMPORARY_LOCK = /^lock\.(\d+)\.tmp$/;

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Whether process `pid` is running; a lock naming this very process was left by an earlier one with the same pid (a container restart). */
function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function holderOf(content: string | undefined): number {
  return Number((content ?? '').trim());
}

/** Removes the temporary lock files, and the guard of {@link breakStaleLock}, of processes that died holding them. */
function sweepDeadTemporaries(workDir: string): void {
  for (const name of fs.readdirSync(workDir)) {
    const match = TEMPORARY_LOCK.exec(name);
    if (match && !isAlive(Number(match[1]))) fs.rmSync(path.join(workDir, name), { force: true });
  }
  const guard = path.join(workDir, BREAK_GUARD);
  if (!isAlive(holderOf(readIfPresent(guard)))) fs.rmSync(guard, { force: true });
}

/**
 * Removes a lock whose holder is dead. Breakers take turns through a second lock, so one of them
 * cannot remove the fresh lock another has just taken in place of the stale one.
 */
function breakStaleLock(lock: string, mine: string, staleContent: string): void {
  const guard = path.join(path.dirname(lock), BREAK_GUARD);
  try {
    fs.linkSync(mine, guard);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    if (!isAlive(holderOf(readIfPresent(guard)))) fs.rmSync(guard, { force: true });
    return;
  }
  try {
    if (readIfPresent(lock) === staleContent) {
      crashPoint();
      fs.rmSync(lock, { force: true });
    }
  } finally {
    fs.rmSync(guard, { force: true });
  }
}

/**
 * Takes the one-writer-at-a-time lock of `workDir` (a file holding the writer's pid, created with
 * an atomic link so it is never seen half-written), waiting while a live process holds it and
 * taking over a lock whose process is dead. Returns the function that releases it.
 */
export function acquireLock(workDir: string, options: LockOptions = {}): () => void {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const lock = path.join(workDir, LOCK_FILE);
  const mine = path.join(workDir, `lock.${process.pid}.tmp`);
  const started = Date.now();
  let waited = false;
  for (;;) {
    fs.mkdirSync(workDir, { recursive: true });
    sweepDeadTemporaries(workDir);
    crashPoint();
    fs.writeFileSync(mine, `${process.pid}\n`);
    try {
      crashPoint();
      fs.linkSync(mine, lock);
      return () => fs.rmSync(lock, { force: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') continue; // another writer removed the empty work folder meanwhile
      if (code !== 'EEXIST') throw error;
    } finally {
      fs.rmSync(mine, { force: true });
    }
    const content = readIfPresent(lock);
    if (content === undefined) continue;
    const holder = holderOf(content);
    if (!isAlive(holder)) {
      fs.writeFileSync(mine, `${process.pid}\n`);
      try {
        breakStaleLock(lock, mine, content);
      } finally {
        fs.rmSync(mine, { force: true });
      }
      continue;
    }
    if (Date.now() - started > timeoutMs) {
      throw new UserError(`another synth (pid ${holder}) has been writing for over ${timeoutMs / 1000} s; `
        + `run again when it has finished, or delete ${lock} if process ${holder} is not a synth`);
    }
    if (!waited) options.onWait?.(holder);
    waited = true;
    sleep(POLL_MS);
  }
}
