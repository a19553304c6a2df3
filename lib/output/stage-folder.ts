import * as fs from 'fs';
import * as path from 'path';
import { UserError } from '../errors';
import { crashPoint } from './crash-point';
import { readIfPresent, syncFolder, writeDurably } from './durable-fs';
import { formatWrittenRecord, readWrittenRecord, WRITTEN_RECORD } from './written-record';

/** A file to write into the output folder. @inline */
export interface OutputFile {
  readonly file: string;
  readonly content: string;
}

/** What staging found in the folder it will replace. */
export interface StagedFolder {
  /** False when the folder already holds exactly these files: nothing was staged. */
  readonly changed: boolean;
  /** Manifest files in the folder that synth did not write; they are kept, and `kubectl apply -f` reads them too. */
  readonly foreignManifests: readonly string[];
}

const MANIFEST_FILE = /\.(ya?ml|json)$/;
/** Staging folders the writer left before commits had a journal. */
const LEGACY_STAGING = /^\.synth-/;

/**
 * Puts `source` into the staged folder as hard links (folders recreated, links copied as links):
 * no bytes are copied, so nothing new has to reach the disk, and a file edited in place meanwhile
 * stays the same file. Where hard links are not supported, the file is copied and flushed.
 */
function carryOver(source: string, target: string): void {
  const stat = fs.lstatSync(source);
  if (stat.isDirectory()) {
    fs.mkdirSync(target);
    for (const name of fs.readdirSync(source)) carryOver(path.join(source, name), path.join(target, name));
    syncFolder(target);
  } else if (stat.isSymbolicLink()) {
    fs.symlinkSync(fs.readlinkSync(source), target);
  } else {
    try {
      fs.linkSync(source, target);
    } catch {
      fs.copyFileSync(source, target);
      const fd = fs.openSync(target, 'r+');
      try {
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    }
  }
}

function checkFileNames(files: readonly OutputFile[]): void {
  for (const { file } of files) {
    if (path.basename(file) !== file || file === WRITTEN_RECORD) throw new Error(`invalid output file name ${JSON.stringify(file)}: expected a plain file name`);
  }
}

function existingEntries(folder: string): fs.Dirent[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  if (!stat.isDirectory()) throw new UserError(`${folder} is a file, not a folder; move it away so synth can write the manifests there`);
  return fs.readdirSync(folder, { withFileTypes: true });
}

/**
 * Builds in `staging` the folder that will replace `folder`: the new files and the record of them,
 * and a copy of everything else in `folder` that no earlier synth recorded (a user's files, other
 * stages' subfolders). Files an earlier synth recorded and that are not written again are left
 * out, which deletes them. A file named like a new one that synth did not write stops the synth;
 * without any record (a new folder, or one from before records) such files are taken over.
 */
export function stageFolder(folder: string, files: readonly OutputFile[], staging: string): StagedFolder {
  checkFileNames(files);
  const entries = existingEntries(folder);
  const recorded = readWrittenRecord(folder);
  const fresh = new Set(files.map((f) => f.file));
  const carried: string[] = [];
  let legacyStaging = false;
  for (const entry of entries) {
    if (entry.name === WRITTEN_RECORD || recorded?.has(entry.name)) continue;
    if (LEGACY_STAGING.test(entry.name) && entry.isDirectory()) legacyStaging = true;
    else if (!fresh.has(entry.name)) carried.push(entry.name);
    else if (recorded) {
      throw new UserError(`${path.join(folder, entry.name)} was not written by synth; rename or delete it, then run synth again`);
    }
  }
  const foreignManifests = carried.filter((name) => MANIFEST_FILE.test(name)).map((name) => path.join(folder, name));
  const unchanged = recorded !== undefined && !legacyStaging && recorded.size === fresh.size
    && files.every((f) => recorded.has(f.file) && readIfPresent(path.join(folder, f.file)) === f.content);
  if (unchanged) return { changed: false, foreignManifests };

  crashPoint();
  fs.mkdirSync(staging, { recursive: true });
  for (const { file, content } of files) {
    crashPoint();
    writeDurably(path.join(staging, file), content);
  }
  crashPoint();
  writeDurably(path.join(staging, WRITTEN_RECORD), formatWrittenRecord(files.map((f) => f.file)));
  for (const name of carried) {
    crashPoint();
    carryOver(path.join(folder, name), path.join(staging, name));
  }
  syncFolder(staging);
  return { changed: true, foreignManifests };
}
