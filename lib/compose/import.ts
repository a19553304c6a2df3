import * as fs from 'fs';
import * as path from 'path';
import { GeneratedFile, generateApp } from './generate';
import { parseCompose } from './parse';
import { ComposeProject } from './model';
import { ImportPlan, ImportWarning, planImport } from './plan';
import { ComposeError, parseDotEnv } from './values';

export { ComposeError };

/** What to import and where the app goes. */
export interface ImportOptions {
  /** The app's folder, e.g. `apps/shop`; its name names the stack, the namespace and the output folder. */
  readonly out: string;
  /** Replace the files of an existing folder. @default false (an existing folder is refused) */
  readonly force?: boolean;
  /** @default - the folder's name */
  readonly namespace?: string;
  /**
   * A checkout of this library: an app in its `apps/` folder imports the constructs from its `lib/`
   * by a relative path; any other app imports them from the package, `habr-k8s`.
   * @default - the checkout this importer is in
   */
  readonly repository?: string;
  /** The folder the compose file and `out` are relative to. @default - the process's current folder */
  readonly cwd?: string;
  /**
   * What `${NAME}` references in the compose file read. @default - for {@link importCompose}, the
   * `.env` file next to the compose file, as compose reads it; for {@link renderImport}, none
   */
  readonly variables?: Readonly<Record<string, string>>;
}

export interface ImportResult {
  /** The files written, with their paths. */
  readonly files: readonly GeneratedFile[];
  readonly warnings: readonly ImportWarning[];
  /** Where the app imports the constructs from: `habr-k8s`, or a relative path to `lib/` in apps/ of a checkout. */
  readonly libraryModule: string;
}

const REPOSITORY = path.resolve(__dirname, '..', '..');

/** Whether `file` is inside `folder` (not the folder itself). */
function isInside(file: string, folder: string): boolean {
  const relative = path.relative(folder, file);
  return relative !== '' && relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}

/** The compose file's text read (its relative paths from the file's folder) and planned, as {@link renderImport} reads it. */
export function planComposeText(text: string, composeFile: string, options: Pick<ImportOptions, 'cwd' | 'variables'>): { project: ComposeProject; plan: ImportPlan } {
  const project = parseCompose(text, composeFile, path.dirname(path.resolve(options.cwd ?? process.cwd(), composeFile)), options.variables);
  return { project, plan: planImport(project, composeFile) };
}

/** The app's files for the compose file's text, without touching the disk. */
export function renderImport(text: string, composeFile: string, options: ImportOptions): ImportResult {
  return renderPlan(planComposeText(text, composeFile, options).plan, composeFile, options);
}

/** The app's files for the plan of a compose file ({@link planComposeText}), without touching the disk. */
export function renderPlan(plan: ImportPlan, composeFile: string, options: ImportOptions): ImportResult {
  const cwd = options.cwd ?? process.cwd();
  const out = path.resolve(cwd, options.out);
  const appName = path.basename(out).toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/^-+|-+$/g, '') || 'compose';
  const repository = path.resolve(options.repository ?? REPOSITORY);
  const libraryModule = isInside(out, path.join(repository, 'apps'))
    ? path.relative(out, path.join(repository, 'lib')).split(path.sep).join('/')
    : 'habr-k8s';
  const files = generateApp(plan, { appName, composeFile: path.basename(composeFile), libraryModule, namespace: options.namespace });
  return { files, warnings: plan.warnings, libraryModule };
}

/**
 * Reads `composeFile` and writes the app into `options.out`. Nothing is written when the file
 * cannot be read or imported (a {@link ComposeError}), or when the folder exists and `force` is not set.
 */
export function importCompose(composeFile: string, options: ImportOptions): ImportResult {
  const cwd = options.cwd ?? process.cwd();
  let text: string;
  try {
    text = fs.readFileSync(path.resolve(cwd, composeFile), 'utf8');
  } catch (error) {
    throw new ComposeError(`${composeFile}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const dotEnv = path.join(path.dirname(path.resolve(cwd, composeFile)), '.env');
  const variables = options.variables ?? (fs.existsSync(dotEnv) ? parseDotEnv(fs.readFileSync(dotEnv, 'utf8')) : {});
  const result = renderImport(text, composeFile, { ...options, variables });
  const out = path.resolve(cwd, options.out);
  if (fs.existsSync(out) && !options.force) {
    throw new ComposeError(`${options.out} exists: the importer never overwrites an app you own (pass --force to replace its files)`);
  }
  fs.mkdirSync(out, { recursive: true });
  for (const file of result.files) fs.writeFileSync(path.join(out, file.file), file.content);
  return result;
}
