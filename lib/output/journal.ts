/**
 * The commit journal: the list of renames that turn the staged output into the real one. Writing
 * it is the commit point. Before it exists, a crash leaves the old output and only staged files to
 * discard; once it exists, every rename is repeated (skipping those done) until the journal is
 * removed, so a crash at any step is finished by the next run instead of leaving a mix.
 */
import * as fs from 'fs';
import * as path from 'path';
import { crashPoint } from './crash-point';
import { exists, readIfPresent, syncFolder, writeDurably } from './durable-fs';

/** One rename of a commit: a staged file or folder into its place. */
export interface StagedRename {
  readonly from: string;
  readonly to: string;
  /** For a folder: where the folder it replaces goes first, since a folder cannot be renamed over a full one. */
  readonly displaceTo?: string;
}

const JOURNAL = 'journal.json';
/** The folder, inside the work folder, that holds a commit's staged files and the output they replace. */
export const STAGING = 'staging';

/** Writes the journal of `renames` (absolute paths) durably and atomically: from here on the commit will complete. */
export function writeJournal(workDir: string, renames: readonly StagedRename[]): void {
  const relative = (file: string) => path.relative(workDir, file);
  const entries = renames.map((r) => ({ from: relative(r.from), to: relative(r.to), ...(r.displaceTo ? { displaceTo: relative(r.displaceTo) } : {}) }));
  const journal = path.join(workDir, JOURNAL);
  crashPoint();
  writeDurably(`${journal}.tmp`, `${JSON.stringify({ renames: entries }, null, 2)}\n`);
  crashPoint();
  fs.renameSync(`${journal}.tmp`, journal);
  syncFolder(workDir);
}

function readJournal(workDir: string): StagedRename[] | undefined {
  const text = readIfPresent(path.join(workDir, JOURNAL));
  if (text === undefined) return undefined;
  const absolute = (file: string) => path.resolve(workDir, file);
  return (JSON.parse(text).renames as StagedRename[]).map((r) => ({
    from: absolute(r.from), to: absolute(r.to), displaceTo: r.displaceTo && absolute(r.displaceTo),
  }));
}

function applyRename({ from, to, displaceTo }: StagedRename): void {
  if (!exists(from)) return; // done before an interruption
  if (displaceTo && exists(to)) {
    crashPoint();
    fs.renameSync(to, displaceTo);
  }
  crashPoint();
  fs.renameSync(from, to);
  syncFolder(path.dirname(to));
}

function discardStaging(workDir: string): void {
  for (const leftover of [path.join(workDir, `${JOURNAL}.tmp`), path.join(workDir, STAGING)]) {
    if (!exists(leftover)) continue;
    crashPoint();
    fs.rmSync(leftover, { recursive: true, force: true });
  }
}

/**
 * Brings the output to a whole state after a commit that may have been interrupted: finishes it
 * when its journal was written, discards its staged files otherwise. Call it holding the lock.
 */
export function completeOrDiscard(workDir: string): void {
  const renames = readJournal(workDir);
  if (renames) {
    for (const rename of renames) applyRename(rename);
    crashPoint();
    fs.rmSync(path.join(workDir, JOURNAL));
    syncFolder(workDir);
  }
  discardStaging(workDir);
}
