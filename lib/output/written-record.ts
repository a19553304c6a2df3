import * as path from 'path';
import { readIfPresent } from './durable-fs';

/**
 * The record of the files a synth wrote into an output folder, kept inside that folder so it is
 * swapped in together with them (and committed with them). Its name has no manifest extension and
 * starts with a dot, so `kubectl apply -f <folder>` and the folder loader skip it.
 */
export const WRITTEN_RECORD = '.habr-k8s-written';

const HEADER = '# Files habr-k8s synth wrote into this folder; a later synth replaces or deletes only these.';

/** The record's text for `files`. */
export function formatWrittenRecord(files: readonly string[]): string {
  return [HEADER, ...files, ''].join('\n');
}

/** The files an earlier synth recorded in `folder`, or undefined when it holds no record (a new folder, or one written before records existed). */
export function readWrittenRecord(folder: string): Set<string> | undefined {
  const text = readIfPresent(path.join(folder, WRITTEN_RECORD));
  if (text === undefined) return undefined;
  return new Set(text.split('\n').filter((line) => line && !line.startsWith('#')));
}
