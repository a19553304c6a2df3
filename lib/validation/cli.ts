/** The logic behind `npm run validate -- <folder> [--external Kind/name ...] [--kubernetes-version 1.27]`, kept testable without a process. */
import { formatReport, validateObjects } from './index';
import { loadManifestFolder } from './load';
import { ExternalObject, Finding } from './types';

export const USAGE = 'usage: npm run validate -- <folder> [--external Kind/name | Kind/namespace/name ...] [--kubernetes-version 1.27|1.33]';

export interface CliResult {
  readonly exitCode: number;
  readonly output: string;
}

export interface CliArguments {
  readonly folder: string;
  readonly externalObjects: readonly ExternalObject[];
  /** @default - the default schema version (1.27) */
  readonly kubernetesVersion?: string;
}

/** `Secret/db-password` or `Secret/prod/db-password`. */
export function parseExternal(spec: string): ExternalObject {
  const parts = spec.split('/');
  if (parts.length === 2 && parts.every(Boolean)) return { kind: parts[0], name: parts[1] };
  if (parts.length === 3 && parts.every(Boolean)) return { kind: parts[0], namespace: parts[1], name: parts[2] };
  throw new Error(`--external ${spec}: expected Kind/name or Kind/namespace/name`);
}

/** Every value after `--external` up to the next flag is an external object; the one other argument is the folder. */
export function parseArguments(args: readonly string[]): CliArguments {
  const folders: string[] = [];
  const externalObjects: ExternalObject[] = [];
  let kubernetesVersion: string | undefined;
  let readingExternals = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--external') readingExternals = true;
    else if (arg === '--kubernetes-version') {
      kubernetesVersion = args[++i];
      if (!kubernetesVersion || kubernetesVersion.startsWith('--')) throw new Error('--kubernetes-version needs a version, e.g. 1.27');
      readingExternals = false;
    } else if (arg.startsWith('--')) throw new Error(`unknown option ${arg}`);
    else if (readingExternals && arg.includes('/')) externalObjects.push(parseExternal(arg));
    else {
      readingExternals = false;
      folders.push(arg);
    }
  }
  if (folders.length !== 1) throw new Error(folders.length ? `expected one folder, got ${folders.join(', ')}` : 'missing folder');
  return { folder: folders[0], externalObjects, kubernetesVersion };
}

/** Exit code 0: no errors; 1: errors found; 2: the command itself could not run. */
export function runValidateCli(args: readonly string[]): CliResult {
  let parsed: CliArguments;
  try {
    parsed = parseArguments(args);
  } catch (error) {
    return { exitCode: 2, output: `${(error as Error).message}\n${USAGE}` };
  }
  try {
    const unreadable: Finding[] = [];
    const report = validateObjects(loadManifestFolder(parsed.folder, unreadable), {
      externalObjects: parsed.externalObjects,
      kubernetesVersion: parsed.kubernetesVersion,
      extraChecks: [() => unreadable],
    });
    return { exitCode: report.errors > 0 ? 1 : 0, output: formatReport(report) };
  } catch (error) {
    return { exitCode: 2, output: `cannot validate ${parsed.folder}: ${(error as Error).message}` };
  }
}
