import * as fs from 'fs';
import * as path from 'path';

/** A file to write into the output folder. */
export interface OutputFile {
  readonly file: string;
  readonly content: string;
}

const MANIFEST_FILE = /\.(ya?ml|json)$/;

/**
 * Replaces the manifest files at the top of `outdir` with `files`: the new files are written to a
 * temporary folder first and renamed into place, and stale manifest files of an earlier synth are
 * removed. Subfolders (other stages' output) are left alone.
 */
export function writeOutputFiles(outdir: string, files: readonly OutputFile[]): void {
  fs.mkdirSync(outdir, { recursive: true });
  const staging = fs.mkdtempSync(path.join(outdir, '.synth-'));
  try {
    for (const { file, content } of files) {
      if (path.basename(file) !== file) throw new Error(`output file name must not contain a folder: ${file}`);
      fs.writeFileSync(path.join(staging, file), content);
    }
    const fresh = new Set(files.map((f) => f.file));
    for (const entry of fs.readdirSync(outdir, { withFileTypes: true })) {
      if (entry.isFile() && MANIFEST_FILE.test(entry.name) && !fresh.has(entry.name)) {
        fs.rmSync(path.join(outdir, entry.name));
      }
    }
    for (const { file } of files) fs.renameSync(path.join(staging, file), path.join(outdir, file));
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}
