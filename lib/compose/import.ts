import * as fs from 'fs';
import * as path from 'path';
import { GeneratedFile, generateApp } from './generate';
import { parseCompose } from './parse';
import { ImportWarning, planImport } from './plan';
import { ComposeError } from './values';

export { ComposeError };

/** What to import and where the app goes. */
export interface ImportOptions {
  /** The app's folder, e.g. `apps/shop`; its name names the stack, the namespace and the output folder. */
  readonly out: string;
  /** Replace the files of an existing folder. @default false (an existing folder is refused) */
  readonly force?: boolean;
  /** @default - the folder's name */
  readonly namespace?: string;
  /** The repository the app belongs to: the constructs are imported from its `lib/` by a relative path. @default - the repository this importer is in */
  readonly repository?: string;
}

export interface ImportResult {
  /** The files written, with their paths. */
  readonly files: readonly GeneratedFile[];
  readonly warnings: readonly ImportWarning[];
}

const REPOSITORY = path.resolve(__dirname, '..', '..');

/** The app's files for the compose file's text, without touching the disk. */
export function renderImport(text: string, composeFile: string, options: ImportOptions): ImportResult {
  const project = parseCompose(text, composeFile);
  const plan = planImport(project, composeFile);
  const out = path.resolve(options.out);
  const appName = path.basename(out).toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/^-+|-+$/g, '') || 'compose';
  const repository = path.resolve(options.repository ?? REPOSITORY);
  const inside = !path.relative(repository, out).startsWith('..');
  const libraryModule = inside ? path.relative(out, path.join(repository, 'lib')).split(path.sep).join('/') : 'habr-k8s';
  const files = generateApp(plan, { appName, composeFile: path.basename(composeFile), libraryModule, namespace: options.namespace });
  return { files, warnings: plan.warnings };
}

/**
 * Reads `composeFile` and writes the app into `options.out`. Nothing is written when the file
 * cannot be read or imported (a {@link ComposeError}), or when the folder exists and `force` is not set.
 */
export function importCompose(composeFile: string, options: ImportOptions): ImportResult {
  let text: string;
  try {
    text = fs.readFileSync(composeFile, 'utf8');
  } catch (error) {
    throw new ComposeError(`${composeFile}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const result = renderImport(text, composeFile, options);
  if (fs.existsSync(options.out) && !options.force) {
    throw new ComposeError(`${options.out} exists: the importer never overwrites an app you own (pass --force to replace its files)`);
  }
  fs.mkdirSync(options.out, { recursive: true });
  for (const file of result.files) fs.writeFileSync(path.join(options.out, file.file), file.content);
  return result;
}
