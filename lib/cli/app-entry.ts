/**
 * Which app `habr-k8s synth` and `habr-k8s diff` run and how: the entry (`--app`, or the file the
 * `app` command of cdk8s.yaml runs), the output folder (`--output`, cdk8s.yaml's `output`, `dist`),
 * the stage (`--stage`, passed to the entry as STAGE); and the App the entry builds, captured when
 * it calls `app.synth()`.
 */
import * as fs from 'fs';
import { createRequire } from 'module';
import * as path from 'path';
import type { App } from 'cdk8s';
import { UsageError, UserError } from '../errors';
import { CommandIo } from './io';
import { parseCdk8sConfig } from './cdk8s-config';
import { loadEntry } from './run-ts';

/** The options synth and diff share. */
export interface AppOptions {
  /** The entry file. @default - the file cdk8s.yaml's `app` command runs */
  readonly app?: string;
  /** The output folder, passed to the entry as CDK8S_OUTDIR. @default - cdk8s.yaml's `output`, else `dist` */
  readonly output?: string;
  /** The stage, passed to the entry as STAGE. @default - STAGE as it is */
  readonly stage?: string;
}

export const APP_OPTIONS_HELP = [
  '  --app ENTRY     the file that builds the App and calls app.synth() (.ts or .js); default: the file the',
  '                  `app` command of the closest cdk8s.yaml runs (`npx ts-node main.ts` runs main.ts)',
  '  --output DIR    the output folder, given to the entry as CDK8S_OUTDIR (the App\'s default outdir);',
  '                  default: `output` of cdk8s.yaml, else dist. An App given an outdir of its own writes there',
  '                  The entry runs in the folder of cdk8s.yaml; paths on the command line are relative to this one.',
  '  --stage NAME    given to the entry as the environment variable STAGE, for entries that build one app per stage',
].join('\n');

/** Reads `--app`, `--output` and `--stage` (also as `--name=value`); returns them and the other arguments. */
export function parseAppOptions(args: readonly string[]): { options: AppOptions; rest: string[] } {
  const options: { app?: string; output?: string; stage?: string } = {};
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const match = /^--(app|output|stage)(?:=(.*))?$/.exec(args[i]);
    if (!match) {
      rest.push(args[i]);
      continue;
    }
    const name = match[1] as keyof AppOptions;
    const value = match[2] ?? args[++i];
    if (value === undefined || value === '' || value.startsWith('-')) throw new UsageError(`--${name} needs a value`);
    if (options[name] !== undefined) throw new UsageError(`--${name} given twice`);
    options[name] = value;
  }
  return { options, rest };
}

/** The file an `app` command of cdk8s.yaml runs: its last word that names a .ts or .js file. */
export function entryOfAppCommand(command: string): string | undefined {
  return command.split(/\s+/).filter((word) => /\.(ts|tsx|js|cjs|mjs)$/.test(word)).pop();
}

/** An app to run: its project folder (where cdk8s.yaml is, the entry runs in), entry and output folder (absolute), and stage. */
export interface AppTarget {
  readonly projectDir: string;
  readonly entry: string;
  readonly output: string;
  readonly stage?: string;
}

/** The closest cdk8s.yaml at or above `folder`, as npm finds package.json. */
export function findConfig(folder: string): string | undefined {
  for (let dir = path.resolve(folder); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'cdk8s.yaml'))) return path.join(dir, 'cdk8s.yaml');
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** The project folder of `cwd`: that of the closest cdk8s.yaml, else `cwd` itself. */
export function projectDirOf(cwd: string): string {
  const config = findConfig(cwd);
  return config ? path.dirname(config) : cwd;
}

/**
 * Resolves `options` against the closest cdk8s.yaml at or above `io.cwd`, read as the cdk8s CLI
 * reads it (`app`, `output`; relative to its folder). Options on the command line are relative to `io.cwd`.
 */
export function resolveApp(options: AppOptions, io: CommandIo): AppTarget {
  const configFile = findConfig(io.cwd);
  const projectDir = configFile ? path.dirname(configFile) : io.cwd;
  const shownConfig = configFile ? shownPath(configFile, io.cwd) : 'cdk8s.yaml';
  let config: { app?: unknown; output?: unknown } = {};
  if (configFile) {
    try {
      config = parseCdk8sConfig(fs.readFileSync(configFile, 'utf8'));
    } catch (error) {
      throw new UserError(`${shownConfig}: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  let entry: string;
  if (options.app !== undefined) entry = path.resolve(io.cwd, options.app);
  else {
    if (typeof config.app !== 'string') {
      throw new UsageError(configFile
        ? `${shownConfig} has no \`app\` command; give the entry with --app main.ts`
        : 'no cdk8s.yaml in this folder or above; run in the project\'s folder, or give the entry with --app main.ts');
    }
    const named = entryOfAppCommand(config.app);
    if (!named) throw new UsageError(`the app command of ${shownConfig} (${config.app}) names no .ts or .js file; give the entry with --app main.ts`);
    entry = path.resolve(projectDir, named);
  }
  if (!fs.existsSync(entry)) throw new UserError(`${shownPath(entry, io.cwd)}: no such file${options.app === undefined ? ` (named by the app command of ${shownConfig})` : ''}`);
  const output = options.output !== undefined ? path.resolve(io.cwd, options.output) : path.resolve(projectDir, typeof config.output === 'string' ? config.output : 'dist');
  return { projectDir, entry, output, ...(options.stage !== undefined ? { stage: options.stage } : {}) };
}

/** Sets the process's folder and environment variables for the duration of `body`, then restores them. */
export async function withProcessState<T>(cwd: string, env: Readonly<Record<string, string | undefined>>, body: () => Promise<T>): Promise<T> {
  const savedCwd = process.cwd();
  const savedEnv = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  const assign = (values: Readonly<Record<string, string | undefined>>) => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  process.chdir(cwd);
  assign(env);
  try {
    return await body();
  } finally {
    assign(savedEnv);
    process.chdir(savedCwd);
  }
}

/**
 * Runs the entry in this process and returns the App it called `app.synth()` on. The entry's own
 * `cdk8s` (the one its folder resolves, which must be the one this library resolves: one cdk8s in
 * the process) has `App.prototype.synth` replaced for the run, so the entry writes nothing itself
 * and needs no change to work under plain `cdk8s synth` too. Call it inside {@link withProcessState}
 * with CDK8S_OUTDIR and STAGE set. An entry must call `app.synth()` before its module has finished
 * loading, or in promise callbacks that settle without waiting on I/O.
 */
export async function captureApp(entry: string, cwd: string): Promise<App> {
  const shown = shownPath(entry, cwd);
  let cdk8sOfEntry: string;
  try {
    cdk8sOfEntry = createRequire(entry).resolve('cdk8s');
  } catch {
    throw new UserError(`${shown}: cannot find the cdk8s package from its folder; install cdk8s, constructs and cdk8s-plus-27 in the project`);
  }
  const cdk8sOfLibrary = require.resolve('cdk8s');
  if (fs.realpathSync(cdk8sOfEntry) !== fs.realpathSync(cdk8sOfLibrary)) {
    throw new UserError(`${shown} loads cdk8s from ${cdk8sOfEntry}, habr-k8s from ${cdk8sOfLibrary}; install one copy (npm dedupe)`);
  }
  const { App: AppClass } = require(cdk8sOfLibrary) as typeof import('cdk8s');
  const captured: App[] = [];
  const synth = Object.getOwnPropertyDescriptor(AppClass.prototype, 'synth')!;
  Object.defineProperty(AppClass.prototype, 'synth', { ...synth, value: function capture(this: App) { captured.push(this); } });
  try {
    await loadEntry(entry);
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    Object.defineProperty(AppClass.prototype, 'synth', synth);
  }
  if (captured.length === 0) throw new UserError(`${shown} built no App that called app.synth(); end the entry with app.synth()`);
  if (captured.length > 1) throw new UserError(`${shown} called app.synth() on ${captured.length} Apps; habr-k8s synth writes one App per run`);
  return captured[0];
}

/** The work folder of synth's lock, journal and staging: `.habr-k8s` in the project folder. */
export function workDirOf(projectDir: string): string {
  return path.join(projectDir, '.habr-k8s');
}

/** `file` as the user would type it from `cwd`: relative to it (`.` for itself). */
export function shownPath(file: string, cwd: string): string {
  return path.relative(cwd, path.resolve(cwd, file)) || '.';
}
