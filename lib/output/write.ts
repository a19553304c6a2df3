import * as fs from 'fs';
import * as path from 'path';
import { UserError } from '../errors';
import { crashPoint } from './crash-point';
import { exists, readIfPresent, writeDurably } from './durable-fs';
import { completeOrDiscard, StagedRename, STAGING, writeJournal } from './journal';
import { acquireLock, LockOptions } from './output-lock';
import { OutputFile, stageFolder } from './stage-folder';

export { OutputFile } from './stage-folder';
export { WRITTEN_RECORD } from './written-record';

/** A text file replaced whole by a commit; `content` may be computed from the file's current text (undefined when there is none). @inline */
export interface OutputDocument {
  readonly file: string;
  readonly content: string | ((current: string | undefined) => string);
}

/** Everything one synth writes, committed as a whole. */
export interface OutputCommit {
  /** The folder whose manifests are replaced. */
  readonly folder: string;
  readonly files: readonly OutputFile[];
  /** More text files replaced in the same commit, e.g. a diagram or a README with a generated section. @default - none */
  readonly documents?: readonly OutputDocument[];
}

/** Where and how a commit coordinates with other writers. */
export interface CommitOptions extends LockOptions {
  /**
   * The folder of the lock, the journal and the staged files: on the file system of the output,
   * and one for all output folders nested in each other. @default - `.habr-k8s` beside the output folder
   */
  readonly workDir?: string;
}

/** What a commit did. @inline */
export interface CommitResult {
  /** False when the output was already up to date and nothing was written. */
  readonly changed: boolean;
  /** Manifest files in the folder that synth did not write: kept, and `kubectl apply -f` reads them too. */
  readonly foreignManifests: readonly string[];
}

function workDirOf(folder: string, options: CommitOptions): string {
  return path.resolve(options.workDir ?? path.join(path.dirname(path.resolve(folder)), '.habr-k8s'));
}

/** Fails before the commit point on what would otherwise fail halfway: a read-only folder, or one on another file system than the staging. */
function checkTarget(target: string, workDir: string): void {
  const parent = path.dirname(path.resolve(target));
  fs.mkdirSync(parent, { recursive: true });
  fs.accessSync(parent, fs.constants.W_OK);
  if (fs.statSync(parent).dev !== fs.statSync(workDir).dev) {
    throw new UserError(`${parent} is on another file system than ${workDir}; give synth a work folder beside the output`);
  }
}

function releaseAll(release: () => void, workDir: string): void {
  release();
  try {
    fs.rmdirSync(workDir);
  } catch {
    // Not empty: another writer has just taken the lock.
  }
}

/**
 * Writes a whole output crash-safely, one writer at a time: every new file is staged and flushed
 * in the work folder, a journal of the renames that put them in place is written (the commit
 * point), then the renames run: the manifest folder is swapped in whole, documents are renamed
 * over the old ones. A crash before the journal leaves the old output; after it, the next commit
 * or {@link recoverOutput} finishes the renames first. Only files an earlier synth recorded are
 * replaced or deleted; anything else in the folder is kept.
 */
export function commitOutput(commit: OutputCommit, options: CommitOptions = {}): CommitResult {
  const workDir = workDirOf(commit.folder, options);
  const release = acquireLock(workDir, options);
  try {
    completeOrDiscard(workDir);
    const staging = path.join(workDir, STAGING);
    const renames: StagedRename[] = [];
    const folder = stageFolder(commit.folder, commit.files, path.join(staging, 'folder'));
    if (folder.changed) renames.push({ from: path.join(staging, 'folder'), to: path.resolve(commit.folder), displaceTo: path.join(staging, 'replaced') });
    (commit.documents ?? []).forEach((document, i) => {
      const current = readIfPresent(document.file);
      const content = typeof document.content === 'string' ? document.content : document.content(current);
      if (content === current) return;
      const staged = path.join(staging, `document-${i}`);
      crashPoint();
      fs.mkdirSync(staging, { recursive: true });
      writeDurably(staged, content);
      renames.push({ from: staged, to: path.resolve(document.file) });
    });
    for (const { to } of renames) checkTarget(to, workDir);
    if (renames.length > 0) {
      writeJournal(workDir, renames);
      completeOrDiscard(workDir);
    }
    return { changed: renames.length > 0, foreignManifests: folder.foreignManifests };
  } finally {
    releaseAll(release, workDir);
  }
}

/**
 * Finishes or discards a commit into `workDir` that a crash interrupted, so what follows reads a
 * whole output, and removes what the crash left (a stale lock); costs one check when there is
 * nothing. Run it before reading an output folder.
 */
export function recoverOutput(workDir: string, options: LockOptions = {}): void {
  if (!exists(workDir)) return;
  const release = acquireLock(workDir, options);
  try {
    completeOrDiscard(workDir);
  } finally {
    releaseAll(release, workDir);
  }
}

/**
 * Replaces the manifests in `outdir` with `files` through {@link commitOutput}: crash-safe, one
 * writer at a time, deleting only the files an earlier synth recorded. Subfolders (other stages'
 * output) and files synth did not write are left alone.
 */
export function writeOutputFiles(outdir: string, files: readonly OutputFile[], options: CommitOptions = {}): CommitResult {
  return commitOutput({ folder: outdir, files }, options);
}
